package dev.lifeboat.core.host;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.secrets.SecretStore;
import dev.lifeboat.core.secrets.Secrets;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Adds a Docker host, for {@code host add} and the console's add-host wizard alike: an SSH server's
 * host key is shown first and pinned only once the admin accepted it, then the key authenticates,
 * then the Docker engine must answer; only then is the host saved (and audited).
 */
public final class HostEnrollment {
    /** What a successful Docker check learnt. */
    public record Added(Host host, String dockerVersion) {
    }

    private final HistoryStore history;
    private final SecretStore secrets;
    private final Function<Host, DockerEngine> connector;

    public HostEnrollment(HistoryStore history, SecretStore secrets, Function<Host, DockerEngine> connector) {
        this.history = history;
        this.secrets = secrets;
        this.connector = connector;
    }

    /** {@code user@host[:port]} as an endpoint URI; a clear error for anything else. */
    public static String sshEndpoint(String userAtHost) {
        String t = userAtHost == null ? "" : userAtHost.trim();
        if (!t.matches("[A-Za-z0-9._-]+@[A-Za-z0-9.:\\[\\]-]+")) {
            throw new LifeboatException("Give the server as USER@HOST or USER@HOST:PORT, e.g. root@db1.example.org");
        }
        return "ssh://" + t;
    }

    /** The server's host-key fingerprint, learnt without trusting it, to show the admin before accepting. */
    public String fingerprint(String userAtHost) {
        return SshTunnel.serverFingerprint(sshEndpoint(userAtHost));
    }

    /** Whether the key file needs a passphrase that the secret store does not hold yet. */
    public boolean needsPassphrase(Path identity) {
        String file = identity.toAbsolutePath().normalize().toString();
        return SshTunnel.isPassphraseProtected(file) && !secrets.names().contains(Secrets.sshPassphraseName(file));
    }

    /** Keeps a key's passphrase in the secret store (never in the history or the logs). */
    public void storePassphrase(Path identity, String passphrase) {
        if (passphrase == null || passphrase.isEmpty()) {
            throw new LifeboatException("The key " + identity + " is passphrase-protected: type its passphrase");
        }
        secrets.put(Secrets.sshPassphraseName(identity.toAbsolutePath().normalize().toString()), passphrase);
    }

    /**
     * Connects with {@code identity}, accepting the server only if its key is {@code acceptedFingerprint}
     * (or one {@code knownHosts} lists), and returns the host with that key pinned.
     */
    public Host authenticate(String name, String userAtHost, Path identity, String acceptedFingerprint, Path knownHosts,
                             boolean production) {
        return authenticate(name, userAtHost, null, identity, acceptedFingerprint, knownHosts, production);
    }

    /**
     * As above, with the Docker socket on the host when it is not the default ({@code /run/user/UID/docker.sock}
     * for rootless Docker); null for the default.
     */
    public Host authenticate(String name, String userAtHost, String dockerSocket, Path identity, String acceptedFingerprint,
                             Path knownHosts, boolean production) {
        return authenticate(name, userAtHost, dockerSocket, null, null, identity, acceptedFingerprint, knownHosts, production);
    }

    /**
     * As above, reached through a jump host {@code jump} ({@code user@bastion[:port]}) whose host key the
     * admin accepted ({@code acceptedJumpKey}; null on first contact, which fails showing it). The same
     * identity signs in on both.
     */
    public Host authenticate(String name, String userAtHost, String dockerSocket, String jump, String acceptedJumpKey,
                             Path identity, String acceptedFingerprint, Path knownHosts, boolean production) {
        if (identity == null) {
            throw new LifeboatException("An SSH host needs a private key file");
        }
        StringBuilder endpoint = new StringBuilder(sshEndpoint(userAtHost));
        String sep = "?";
        if (dockerSocket != null) {
            endpoint.append(sep).append("socket=").append(SshTunnel.checkSocketPath(dockerSocket));
            sep = "&";
        }
        if (jump != null) {
            endpoint.append(sep).append("jump=").append(sshEndpoint(jump).substring("ssh://".length()));
            if (acceptedJumpKey != null) {
                endpoint.append("&jumpKey=").append(java.net.URLEncoder.encode(acceptedJumpKey, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        Host probe = new Host(name, endpoint.toString(), production, identity.toAbsolutePath().normalize().toString(), null);
        String pinned = SshTunnel.probeHostKey(probe, acceptedFingerprint, knownHosts, secrets);
        return new Host(name, probe.endpoint(), production, probe.identityFile(), pinned);
    }

    /** The version of the host's Docker engine: proof that it answers (over SSH too). */
    public String dockerVersion(Host host) {
        try (DockerEngine docker = connector.apply(host)) {
            return docker.serverVersion();
        }
    }

    /** Checks that the host's Docker engine answers, then saves the host. */
    public Added add(Host host, String actor) {
        String version = dockerVersion(host);
        history.hosts().add(host);
        history.runs().audit(actor, "host-add", host.name(), host.endpoint()
                + (host.hostKey() == null ? "" : " host key " + host.hostKey()) + (host.production() ? " (production)" : ""));
        return new Added(host, version);
    }
}
