package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.HostEnrollment;
import dev.lifeboat.core.model.Host;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "host", description = "Manage Docker hosts.", subcommands = {HostCommand.Add.class, HostCommand.ListHosts.class})
final class HostCommand {

    @Command(name = "add", description = "Register a Docker host: the local engine, or a server over SSH. "
            + "Checks that its engine answers before saving it.")
    static final class Add extends AppCommand {
        @Parameters(index = "0", description = "Host name")
        String name;
        @ArgGroup(multiplicity = "1")
        Endpoint endpoint;
        @Option(names = "--identity", paramLabel = "KEYFILE", description = "SSH private key (the path is stored, not the key)")
        Path identity;
        @Option(names = "--accept-host-key", paramLabel = "SHA256:...",
                description = "Accept the server's host key with this fingerprint on first contact")
        String acceptHostKey;
        @Option(names = "--known-hosts", paramLabel = "FILE",
                description = "Trust the server's key if this OpenSSH known_hosts file lists it")
        Path knownHosts;
        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase of a protected key "
                + "(else $LIFEBOAT_SSH_PASSPHRASE or asked); it is kept in the secret store")
        Path passphraseFile;
        @Option(names = "--docker-socket", paramLabel = "PATH", description = "With --ssh: the engine's socket on the host when"
                + " it is not /var/run/docker.sock (rootless Docker: /run/user/UID/docker.sock)")
        String dockerSocket;
        @Option(names = "--jump", paramLabel = "USER@BASTION[:PORT]", description = "With --ssh: reach the host through this"
                + " jump host (same identity)")
        String jump;
        @Option(names = "--accept-jump-host-key", paramLabel = "SHA256:...", description = "With --jump: the jump host's key,"
                + " checked out of band (first contact without it shows it)")
        String acceptJumpHostKey;
        @Option(names = "--production", description = "Restores need the typed phrase RESTORE PRODUCTION")
        boolean production;

        static final class Endpoint {
            @Option(names = "--docker", paramLabel = "URI", description = "Local engine, e.g. unix:///var/run/docker.sock")
            String docker;
            @Option(names = "--ssh", paramLabel = "USER@HOST[:PORT]", description = "A server reached over SSH")
            String ssh;
        }

        @Override
        protected int run(AppContext app) {
            HostEnrollment enrollment = new HostEnrollment(app.history(), app.secrets(), app.connector());
            Host host;
            if (endpoint.ssh != null) {
                if (identity == null) {
                    throw new LifeboatException("An SSH host needs --identity KEYFILE");
                }
                Prompts.ensurePassphrase(app, identity, passphraseFile);
                // through a jump host the server cannot be reached directly: its key is shown by the refusal instead
                String accepted = acceptHostKey == null && knownHosts == null && jump == null
                        ? Prompts.acceptHostKey(HostEnrollment.sshEndpoint(endpoint.ssh), spec.commandLine().getOut())
                        : acceptHostKey;
                host = enrollment.authenticate(name, endpoint.ssh, dockerSocket, jump, acceptJumpHostKey, identity, accepted,
                        knownHosts, production);
            } else {
                if (dockerSocket != null) {
                    throw new LifeboatException("--docker-socket goes with --ssh; for this machine give --docker unix://PATH");
                }
                host = new Host(name, endpoint.docker, production);
            }
            HostEnrollment.Added added = enrollment.add(host, app.actor());
            spec.commandLine().getOut().println("Host " + name + " added (Docker " + added.dockerVersion() + ")"
                    + (host.hostKey() == null ? "" : ", host key " + host.hostKey())
                    + (production ? ", marked production" : ""));
            return 0;
        }
    }

    @Command(name = "list", description = "List registered hosts.")
    static final class ListHosts extends AppCommand {
        @Mixin
        JsonOption json;

        @Override
        protected int run(AppContext app) {
            var hosts = app.history().hosts().all();
            if (json.on()) {
                Json.print(spec.commandLine().getOut(), hosts);
            } else {
                hosts.forEach(h -> spec.commandLine().getOut().printf("%-20s %s%s%n", h.name(), h.endpoint(),
                        h.production() ? "  production" : ""));
            }
            return 0;
        }
    }
}
