package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.storage.Repositories.Registration;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.secrets.Secrets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "dest", description = "Manage backup destinations.", subcommands = {DestCommand.Add.class, DestCommand.ListDest.class})
final class DestCommand {

    @Command(name = "add", description = "Register a destination (a local directory or an S3 bucket), encrypted with "
            + "the key in FILE.")
    static final class Add extends AppCommand {
        @Parameters(index = "0", description = "Destination name")
        String name;
        @ArgGroup(multiplicity = "1")
        Where where;
        @Option(names = "--endpoint", paramLabel = "URL", description = "S3 endpoint of a non-AWS server")
        String endpoint;
        @Option(names = "--region", defaultValue = "us-east-1")
        String region;
        @Option(names = "--path-style", description = "Path-style S3 addressing (most self-hosted servers)")
        boolean pathStyle;
        @Option(names = "--storage-class", description = "S3 storage class, e.g. STANDARD_IA")
        String storageClass;
        @Option(names = "--object-lock", paramLabel = "governance|compliance", description = "For --s3: write every object"
                + " of a point under S3 Object Lock in this mode (the bucket must have Object Lock); prune extends the"
                + " retention to the tier a point holds")
        String objectLock;
        @Option(names = "--lock-days", paramLabel = "DAYS", defaultValue = "7", description = "With --object-lock: how long"
                + " a new point is retained before prune extends it (default 7, the daily slots)")
        int lockDays;
        @Option(names = "--attempts", paramLabel = "N", description = "For --s3: tries per request before the run fails"
                + " (5xx, throttling, dropped connections; default 5, at most 10)")
        Integer attempts;
        @Option(names = "--retry-wait", paramLabel = "DURATION", description = "For --s3: the longest wait before the first"
                + " retry (e.g. 500ms, 2s); each later one may wait twice as long, up to 16 times it (default 500ms)")
        String retryWait;
        @Option(names = "--part-size", paramLabel = "MIB", description = "For --s3: the size of the parts artifacts go up"
                + " in, 5 to 512 MiB (default 16; S3 takes 10,000 parts, so 16 MiB parts carry artifacts up to about 156"
                + " GiB; each part is held in memory while it goes up)")
        Integer partSize;
        @Option(names = "--append-only", description = "This machine never prunes or rewrites what the destination holds"
                + " (unless it is the --owner)")
        boolean appendOnly;
        @Option(names = "--owner", paramLabel = "MACHINE", description = "With --append-only: the one machine that prunes"
                + " it (its hostname, or LIFEBOAT_MACHINE)")
        String owner;
        @Option(names = {"--key", "--key-file"}, required = true, paramLabel = "FILE|secret:NAME",
                description = "Repository key: a key file, or secret:NAME for one in the secret store "
                        + "(create one with 'lifeboat key generate')")
        String key;
        @Option(names = "--access-key-id", paramLabel = "ID", description = "For --s3: keep these credentials in the secret "
                + "store; the secret access key is read from $AWS_SECRET_ACCESS_KEY, --secret-key-file, or typed")
        String accessKeyId;
        @Option(names = "--secret-key-file", paramLabel = "FILE", description = "For --s3 with --access-key-id")
        Path secretKeyFile;
        @Option(names = "--credentials-secret", paramLabel = "NAME", description = "For --s3: credentials already in the "
                + "secret store, as ACCESS_KEY_ID:SECRET_ACCESS_KEY")
        String credentialsSecret;
        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "For --sftp: passphrase of a protected "
                + "--identity key (else $LIFEBOAT_SSH_PASSPHRASE or asked); kept in the secret store")
        Path passphraseFile;
        @Option(names = "--identity", paramLabel = "KEYFILE", description = "SSH private key for --sftp")
        Path identity;
        @Option(names = "--accept-host-key", paramLabel = "SHA256:...", description = "For --sftp: accept the server's "
                + "host key with this fingerprint on first contact")
        String acceptHostKey;

        static final class Where {
            @Option(names = "--dir", paramLabel = "PATH", description = "Directory that will hold the recovery points")
            Path dir;
            @Option(names = "--s3", paramLabel = "s3://bucket/prefix", description = "S3 bucket and prefix; credentials "
                    + "from the standard AWS chain (environment, profile, instance role)")
            String s3;
            @Option(names = "--sftp", paramLabel = "USER@HOST[:PORT]:/path", description = "A directory on a server, over SFTP")
            String sftp;
        }

        @Override
        protected int run(AppContext app) {
            String actor = app.actor();
            DestinationRecord d;
            if (where.s3 != null) {
                StringBuilder location = new StringBuilder(where.s3).append("?region=").append(enc(region));
                if (endpoint != null) {
                    location.append("&endpoint=").append(enc(endpoint));
                }
                if (pathStyle) {
                    location.append("&pathStyle=true");
                }
                if (storageClass != null) {
                    location.append("&storageClass=").append(enc(storageClass));
                }
                if (attempts != null || retryWait != null) {
                    var r = dev.lifeboat.core.storage.S3Bucket.Retries.orDefault(attempts, retryWait == null ? null
                            : dev.lifeboat.core.model.StackSettings.parsePositiveDuration("--retry-wait", retryWait));
                    location.append("&attempts=").append(r.attempts()).append("&retryWait=").append(r.firstWait().toMillis());
                }
                if (partSize != null) {
                    location.append("&partMiB=").append(
                            dev.lifeboat.core.storage.S3Bucket.partMiB(where.s3, Integer.toString(partSize)));
                }
                if (objectLock != null) {
                    if (lockDays < 1) {
                        throw new dev.lifeboat.core.LifeboatException("--lock-days must be at least 1");
                    }
                    location.append("&objectLock=").append(enc(objectLock.toUpperCase(java.util.Locale.ROOT)))
                            .append("&lockDays=").append(lockDays);
                }
                String credentials = credentialsSecret;
                if (accessKeyId != null) {
                    credentials = "s3:" + name;
                    String secretKey = Prompts.secret("secret access key for " + accessKeyId, secretKeyFile,
                            "AWS_SECRET_ACCESS_KEY");
                    app.secrets().put(credentials, accessKeyId + ":" + secretKey);
                }
                if (credentials != null) {
                    location.append("&credentials=").append(enc(Secrets.REFERENCE + credentials));
                }
                dev.lifeboat.core.storage.S3Bucket.Detected detected;
                try {
                    detected = dev.lifeboat.core.storage.S3Bucket.detect(name, location.toString(), app.secrets());
                } catch (java.io.IOException e) {
                    throw new dev.lifeboat.core.LifeboatException("Destination " + name + ": " + e.getMessage(), e);
                }
                spec.commandLine().getOut().println("Probed the S3 server: " + detected.detail());
                d = app.repositories().register(new Registration(name, "s3", detected.location(), key, null, appendOnly, owner),
                        actor, null);
            } else if (objectLock != null) {
                throw new dev.lifeboat.core.LifeboatException("--object-lock is for S3 destinations; a directory or SFTP"
                        + " destination can be made --append-only instead");
            } else if (where.sftp != null) {
                int colon = where.sftp.indexOf(":/");
                if (colon < 0 || identity == null) {
                    throw new dev.lifeboat.core.LifeboatException(
                            "Use --sftp USER@HOST[:PORT]:/absolute/path with --identity KEYFILE");
                }
                String location = "sftp://" + where.sftp.substring(0, colon) + where.sftp.substring(colon + 1)
                        + "?identity=" + enc(identity.toAbsolutePath().toString());
                Prompts.ensurePassphrase(app, identity, passphraseFile);
                String accepted = acceptHostKey != null ? acceptHostKey
                        : Prompts.acceptHostKey("ssh://" + where.sftp.substring(0, colon), spec.commandLine().getOut());
                d = app.repositories().register(new Registration(name, "sftp", location, key, accepted, appendOnly, owner), actor,
                        null);
            } else {
                d = app.repositories().register(new Registration(name, "local",
                        where.dir.toAbsolutePath().normalize().toString(), key, null, appendOnly, owner), actor, null);
            }
            spec.commandLine().getOut().println("Destination " + name + " added: " + d.location() + " (key id " + d.keyId() + ")"
                    + (d.appendOnly() ? "; append-only, " + (d.owner() == null ? "pruned by no machine" : "pruned only from "
                    + d.owner()) : ""));
            return 0;
        }

        private static String enc(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Command(name = "list", description = "List destinations.")
    static final class ListDest extends AppCommand {
        @Mixin
        JsonOption json;

        @Override
        protected int run(AppContext app) {
            var all = app.history().destinations().all();
            if (json.on()) {
                Json.print(spec.commandLine().getOut(), all);
            } else {
                all.forEach(d -> spec.commandLine().getOut().printf("%-16s %-6s %s (key %s)%s%n", d.name(), d.kind(),
                        d.location(), d.keyFile(), d.appendOnly() ? " append-only" + (d.owner() == null ? ""
                                : ", owner " + d.owner()) : ""));
            }
            return 0;
        }
    }
}
