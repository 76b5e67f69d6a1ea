package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.model.Host;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import dev.lifeboat.core.secrets.Secrets;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The Docker engine of an SSH host, made to look local: a private unix socket on this machine whose
 * every connection is a channel to the engine's socket on the server, forwarded by sshd
 * ({@code direct-streamlocal}: no process, no login shell per connection), or, where sshd does not
 * forward sockets, an SSH exec channel running {@code docker system dial-stdio}.
 * docker-java and {@link EngineStreams} connect to it unchanged; no TCP port is opened on the server,
 * and artifacts stream server → workstation without touching the server's disk. Half-closes (end of
 * an exec's stdin) travel as SSH channel EOF.
 */
public final class SshTunnel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshTunnel.class);
    private final Host host;
    private final SSHClient ssh;
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    /** The engine's socket on the host when it is reached by socket forwarding, else null (dial-stdio). */
    private final String forwarded;

    private SshTunnel(Host host, SSHClient ssh, Path dir, Path socket, ServerSocketChannel server, String forwarded) {
        this.host = host;
        this.forwarded = forwarded;
        this.ssh = ssh;
        this.dir = dir;
        this.socket = socket;
        this.server = server;
    }

    /** Connects and authenticates with the host's identity file, checking its pinned host key. */
    public static SshTunnel open(Host host, Secrets secrets) {
        SSHClient ssh = connect(host, new PinnedHostKey(host.hostKey(), null, null), secrets);
        String forwarded;
        try {
            forwarded = checkDocker(ssh, host);
        } catch (RuntimeException e) {
            closeQuietly(ssh);
            throw e;
        }
        try {
            Path dir = Files.createTempDirectory("lifeboat-ssh-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path socket = dir.resolve("docker.sock");
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            SshTunnel tunnel = new SshTunnel(host, ssh, dir, socket, server, forwarded);
            Thread acceptor = new Thread(tunnel::acceptLoop, "lifeboat-ssh-accept-" + host.name());
            acceptor.setDaemon(true);
            acceptor.start();
            return tunnel;
        } catch (IOException e) {
            closeQuietly(ssh);
            throw new HostException("Host " + host.name() + ": cannot open a local socket for the SSH tunnel: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Connects once to learn or check the host key: returns the server's fingerprint when it matches
     * {@code accepted} (or the pinned one), and otherwise fails with a message that shows it.
     */
    public static String probeHostKey(Host host, String accepted, Secrets secrets) {
        return probeHostKey(host, accepted, null, secrets);
    }

    /** As above, also trusting a key that an OpenSSH {@code known_hosts} file lists for the server. */
    public static String probeHostKey(Host host, String accepted, java.nio.file.Path knownHostsFile, Secrets secrets) {
        HostKeyVerifier knownHosts = null;
        if (knownHostsFile != null) {
            try {
                knownHosts = new OpenSSHKnownHosts(knownHostsFile.toFile());
            } catch (IOException e) {
                throw new HostException("Cannot read known_hosts file " + knownHostsFile + ": " + e.getMessage(), e);
            }
        }
        PinnedHostKey verifier = new PinnedHostKey(host.hostKey(), accepted, knownHosts);
        SSHClient ssh = connect(host, verifier, secrets);
        closeQuietly(ssh);
        return verifier.seen();
    }

    /**
     * An authenticated SSH connection to {@code host} (its endpoint, identity file and pinned key), for
     * SFTP destinations. With no pinned key, {@code accepted} must match the server's fingerprint.
     */
    public static SSHClient client(Host host, String accepted, Secrets secrets) {
        return connect(host, new PinnedHostKey(host.hostKey(), accepted, null), secrets);
    }

    /**
     * The server's host-key fingerprint, learnt without trusting it: the key exchange is refused right
     * after the key is seen, so nothing is authenticated or sent. For showing it to the admin on first
     * contact.
     */
    public static String serverFingerprint(String endpoint) {
        URI uri = URI.create(endpoint);
        PinnedHostKey learner = new PinnedHostKey(null, null, null);
        SSHClient ssh = new SSHClient(SshTransport.config());
        ssh.addHostKeyVerifier(learner);
        ssh.setConnectTimeout(15_000);
        try {
            ssh.connect(uri.getHost(), uri.getPort() < 0 ? 22 : uri.getPort());
        } catch (IOException e) {
            if (learner.seen() == null) {
                throw new HostException("Cannot reach " + uri.getHost() + ":" + (uri.getPort() < 0 ? 22 : uri.getPort())
                        + " over SSH: " + e.getMessage(), e);
            }
        } finally {
            closeQuietly(ssh);
        }
        if (learner.seen() == null) {
            throw new HostException("The server at " + endpoint + " showed no host key");
        }
        return learner.seen();
    }

    /**
     * Whether a private key file is protected by a passphrase (so that its passphrase must come from
     * the secret store).
     */
    public static boolean isPassphraseProtected(String identityFile) {
        boolean[] asked = {false};
        PasswordFinder finder = new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                asked[0] = true;
                return new char[0];
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        };
        try (SSHClient probe = new SSHClient(SshTransport.config())) {
            probe.loadKeys(identityFile, finder).getPrivate();
        } catch (IOException | RuntimeException e) {
            if (!asked[0]) {
                throw new HostException("Cannot read identity file " + identityFile + ": " + e.getMessage(), e);
            }
        }
        return asked[0];
    }

    private static PasswordFinder passphraseFrom(Secrets secrets, String identityFile, boolean[] missing,
                                                 RuntimeException[] failure) {
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                java.util.Optional<String> passphrase;
                try {
                    passphrase = secrets.find(Secrets.sshPassphraseName(identityFile));
                } catch (RuntimeException e) { // a locked store: report that, not a bad passphrase
                    failure[0] = e;
                    return new char[0];
                }
                if (passphrase.isEmpty()) {
                    missing[0] = true;
                    return new char[0];
                }
                return passphrase.get().toCharArray();
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        };
    }

    /** A connection made through a jump host: closing it closes the jump host's connection too. */
    private static final class ViaJump extends SSHClient {
        private final SSHClient bastion;

        ViaJump(SSHClient bastion) {
            super(SshTransport.config());
            this.bastion = bastion;
        }

        @Override
        public void disconnect() throws IOException {
            try {
                super.disconnect();
            } finally {
                bastion.disconnect();
            }
        }
    }

    /** A query parameter of an endpoint ({@code jump}, {@code jumpKey}, {@code socket}), decoded; null when absent. */
    static String param(Host host, String name) {
        String q = URI.create(host.endpoint()).getRawQuery();
        if (q == null) {
            return null;
        }
        for (String part : q.split("&")) {
            if (part.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(part.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * The jump host's own connection, with its own pinned key ({@code jumpKey}) and the host's identity.
     * An unknown or changed bastion key is refused like any other, naming it.
     */
    private static SSHClient bastion(Host host, String jump, Secrets secrets) {
        Host bastion = new Host(host.name(), "ssh://" + jump, false, host.identityFile(), param(host, "jumpKey"));
        PinnedHostKey verifier = new PinnedHostKey(bastion.hostKey(), null, null);
        try {
            return connect(bastion, verifier, secrets);
        } catch (HostException e) {
            if (verifier.rejected() && bastion.hostKey() == null) {
                throw new HostException("Host " + host.name() + ": jump host " + jump + ": first contact; its host key is "
                        + verifier.seen() + ". Check it out of band, then accept it with --accept-jump-host-key "
                        + verifier.seen());
            }
            throw new HostException("Host " + host.name() + ": jump host " + jump + ": "
                    + e.getMessage().replaceFirst("^Host " + java.util.regex.Pattern.quote(host.name()) + ": ", ""), e);
        }
    }

    private static SSHClient connect(Host host, PinnedHostKey verifier, Secrets secrets) {
        URI uri = URI.create(host.endpoint());
        String user = uri.getUserInfo() == null ? System.getProperty("user.name") : uri.getUserInfo();
        int port = uri.getPort() < 0 ? 22 : uri.getPort();
        String jump = param(host, "jump");
        SSHClient ssh = jump == null ? new SSHClient(SshTransport.config()) : new ViaJump(bastion(host, jump, secrets));
        ssh.addHostKeyVerifier(verifier);
        ssh.setConnectTimeout(15_000);
        ssh.getConnection().getKeepAlive().setKeepAliveInterval(30);
        try {
            if (ssh instanceof ViaJump via) {
                ssh.connectVia(via.bastion.newDirectConnection(uri.getHost(), port));
            } else {
                ssh.connect(uri.getHost(), port);
            }
        } catch (TransportException e) {
            closeQuietly(ssh);
            if (verifier.rejected()) {
                throw hostKeyRefused(host, verifier);
            }
            throw new HostException("Host " + host.name() + ": SSH connection to " + uri.getHost() + ":" + port
                    + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(ssh);
            throw new HostException("Host " + host.name() + ": cannot reach " + uri.getHost() + ":" + port + " over SSH: "
                    + e.getMessage(), e);
        }
        try {
            if (host.identityFile() == null) {
                throw new HostException("Host " + host.name() + ": no identity file; add the host with --identity KEYFILE");
            }
            boolean[] missing = {false};
            RuntimeException[] failure = {null};
            Identities.Opening opening = Identities.PROCESS.opening(host.identityFile(),
                    passphraseFrom(secrets, host.identityFile(), missing, failure));
            KeyProvider keys = opening.kept();
            if (keys == null) {
                keys = ssh.loadKeys(host.identityFile(), opening.finder());
            }
            try {
                keys.getPrivate();
                opening.keep(keys);
            } catch (IOException | RuntimeException e) {
                if (failure[0] != null) {
                    throw failure[0];
                }
                if (missing[0]) {
                    throw new HostException("Host " + host.name() + ": identity file " + host.identityFile()
                            + " is passphrase-protected and the secret store holds no passphrase for it. Store it with "
                            + "'lifeboat secret set " + Secrets.sshPassphraseName(host.identityFile()) + "'");
                }
                throw new HostException("Host " + host.name() + ": the passphrase in the secret store does not open identity file "
                        + host.identityFile(), e);
            }
            ssh.authPublickey(user, keys);
        } catch (UserAuthException e) {
            closeQuietly(ssh);
            throw new HostException("Host " + host.name() + ": the server refused key " + host.identityFile() + " for user "
                    + user, e);
        } catch (IOException e) {
            closeQuietly(ssh);
            throw new HostException("Host " + host.name() + ": cannot use identity file " + host.identityFile() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ssh);
            throw e;
        }
        return ssh;
    }

    private static HostException hostKeyRefused(Host host, PinnedHostKey v) {
        if (v.pinned() != null) {
            return new HostException("Host " + host.name() + ": SSH host key changed (expected " + v.pinned() + ", got "
                    + v.seen() + "). Refusing to connect. If the server was really re-keyed, check the new key out of band"
                    + " and add the host again.");
        }
        if (v.accepted() != null) {
            return new HostException("Host " + host.name() + ": the server's host key is " + v.seen()
                    + ", not the accepted " + v.accepted() + ". Refusing to connect.");
        }
        if (v.usedKnownHosts()) {
            return new HostException("Host " + host.name() + ": the server's host key " + v.seen()
                    + " is not the one the known_hosts file lists for it. Refusing to connect.");
        }
        return new HostException("Host " + host.name() + ": first contact; the server's host key is " + v.seen()
                + ". Check it out of band (ssh-keygen -lf on the server), then accept it with --accept-host-key " + v.seen());
    }

    public Path socket() {
        return socket;
    }

    /** The SSH client, for SFTP. */
    public SSHClient client() {
        return ssh;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel local = server.accept();
                Thread t = new Thread(() -> bridge(local), "lifeboat-ssh-bridge-" + host.name());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("SSH tunnel to {}: accept failed", host.name(), e);
                }
                return;
            }
        }
    }

    /** The Docker socket on the host from the endpoint ({@code ?socket=PATH}), or null for the CLI's default. */
    static String socketOf(Host host) {
        String socket = param(host, "socket");
        return socket == null ? null : checkSocketPath(socket);
    }

    /** A socket path as it may appear in a remote command: absolute, and nothing a shell would interpret. */
    public static String checkSocketPath(String path) {
        if (path == null || !path.matches("/[A-Za-z0-9._/-]+") || path.contains("..")) {
            throw new HostException("Docker socket path '" + path + "' is not an absolute path of letters, digits, '.', '_',"
                    + " '-' and '/'");
        }
        return path;
    }

    /** The docker command for the host: {@code docker}, or {@code docker -H unix://PATH} for a socket given with the host. */
    static String docker(Host host) {
        String socket = socketOf(host);
        return socket == null ? "docker" : "docker -H unix://" + socket;
    }

    /**
     * Runs {@code docker version} on the host once, so that the usual ways this fails (no docker CLI, a
     * user who may not use the socket, no engine answering) are told as what to do, before docker-java
     * sees only a closed connection. A host without the docker command is reached by forwarding its
     * engine's socket over SSH instead; returns that socket's path then, else null.
     */
    private static String checkDocker(SSHClient ssh, Host host) {
        URI uri = URI.create(host.endpoint());
        String user = uri.getUserInfo() == null ? System.getProperty("user.name") : uri.getUserInfo();
        String given = socketOf(host);
        String socket = given == null ? "/var/run/docker.sock" : given;
        // the CLI also says which socket it uses (its context, DOCKER_HOST: rootless engines live elsewhere)
        String[] result = run(ssh, host, docker(host) + " version --format '{{.Server.Version}}'" + (given != null ? ""
                : " && { docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || true; }"));
        if ("0".equals(result[0])) {
            return forwardable(ssh, host, given != null ? given : cliSocket(result[1]));
        }
        String err = result[2].trim();
        String lower = err.toLowerCase(java.util.Locale.ROOT);
        if ("127".equals(result[0]) || lower.contains("command not found") || lower.contains("docker: not found")) {
            String refused = pingThroughForwarding(ssh, socket);
            if (refused == null) {
                LOG.info("Host {}: no docker command for {} there; reaching the engine by forwarding {} over SSH",
                        host.name(), user, socket);
                return socket;
            }
            throw new HostException("Host " + host.name() + ": there is no docker command for user " + user + " on the host,"
                    + " and its Docker socket " + socket + " cannot be forwarded over SSH either (" + refused + "). Install the"
                    + " Docker CLI there (Debian: apt-get install docker.io or docker-ce-cli), or let sshd forward the socket"
                    + " (AllowStreamLocalForwarding yes in sshd_config, and a user who may use it), or add the host with"
                    + " --docker-socket if the engine listens elsewhere on it");
        }
        if (lower.contains("permission denied")) {
            String group = run(ssh, host, "stat -c %G " + socket)[1].trim();
            throw new HostException("Host " + host.name() + ": user " + user + " may not use the Docker socket " + socket
                    + " (permission denied). Add " + user + " to the group that owns it" + (group.isEmpty() ? ""
                    : " (" + group + "): usermod -aG " + group + " " + user) + ", then connect again; or connect as a user"
                    + " who may");
        }
        if (lower.contains("cannot connect to the docker daemon") || lower.contains("no such file")) {
            throw new HostException("Host " + host.name() + ": no Docker engine answers at " + socket + " on the host. Start it"
                    + " (systemctl start docker), or, for rootless Docker or another socket, add the host with"
                    + " --docker-socket /run/user/UID/docker.sock");
        }
        throw new HostException("Host " + host.name() + ": 'docker version' failed on the host (exit " + result[0] + "): "
                + (err.isEmpty() ? result[1].trim() : err));
    }

    /**
     * The unix socket the docker CLI on the host uses, from {@code docker context inspect}'s answer (the
     * line after the version), or null when it is not a plain unix socket path.
     */
    static String cliSocket(String output) {
        List<String> lines = output.strip().lines().toList();
        String host = lines.size() < 2 ? "" : lines.get(lines.size() - 1).strip();
        if (!host.startsWith("unix://")) {
            return null;
        }
        try {
            return checkSocketPath(host.substring("unix://".length()));
        } catch (HostException notAPlainPath) {
            return null;
        }
    }

    /**
     * Whether every connection can be a forwarded channel to {@code socket} instead of a process on the
     * host: the socket path if sshd forwards it and the engine answers there, else null (dial-stdio, as
     * where sshd forbids forwarding). Forwarding starts no shell per connection, so a slow or broken login
     * shell (rc files, version managers) costs once, at connect, not on every API call.
     */
    private static String forwardable(SSHClient ssh, Host host, String socket) {
        if (socket == null) {
            return null;
        }
        String refused = pingThroughForwarding(ssh, socket);
        if (refused != null) {
            LOG.info("Host {}: the engine's socket {} is not forwarded ({}); each connection runs docker system dial-stdio",
                    host.name(), socket, refused);
            return null;
        }
        return socket;
    }

    /**
     * Asks the engine for {@code /_ping} through a forwarded socket channel: null when it answers, else
     * what the server or the engine said instead.
     */
    private static String pingThroughForwarding(SSHClient ssh, String socket) {
        try (StreamLocalChannel channel = StreamLocalChannel.open(ssh, socket)) {
            OutputStream out = channel.getOutputStream();
            out.write("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = channel.getInputStream().readNBytes(12);
            String status = new String(head, java.nio.charset.StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.") && status.endsWith("200") ? null
                    : "the socket answered '" + status.strip() + "' instead of a Docker engine";
        } catch (net.schmizz.sshj.connection.channel.OpenFailException e) {
            return switch (e.getReason()) {
                case ADMINISTRATIVELY_PROHIBITED -> "sshd forbids forwarding sockets";
                // OpenSSH answers this both when forwarding is off and when the socket cannot be opened
                case CONNECT_FAILED -> "sshd did not open it: socket forwarding is off (AllowStreamLocalForwarding no),"
                        + " or the socket is missing or not this user's to use";
                case UNKNOWN_CHANNEL_TYPE -> "the SSH server does not offer socket forwarding";
                default -> "the SSH server refused: " + e.getMessage();
            };
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Exit status, stdout and stderr of a short command on the host. */
    private static String[] run(SSHClient ssh, Host host, String command) {
        try (Session session = ssh.startSession()) {
            Session.Command c = session.exec(command);
            byte[] out = c.getInputStream().readAllBytes();
            byte[] err = c.getErrorStream().readAllBytes();
            c.join(30, java.util.concurrent.TimeUnit.SECONDS);
            Integer status = c.getExitStatus();
            return new String[] {status == null ? "?" : status.toString(), new String(out, java.nio.charset.StandardCharsets.UTF_8),
                    new String(err, java.nio.charset.StandardCharsets.UTF_8)};
        } catch (IOException e) {
            throw new HostException("Host " + host.name() + ": cannot run '" + command + "' over SSH: " + e.getMessage(), e);
        }
    }

    /** One local connection ⇄ one forwarded socket channel to the engine. */
    private void forward(SocketChannel local) {
        try (local; StreamLocalChannel channel = StreamLocalChannel.open(ssh, forwarded)) {
            pipe(local, channel.getInputStream(), channel.getOutputStream());
        } catch (IOException e) {
            LOG.debug("SSH tunnel to {}: forwarded connection ended: {}", host.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One local connection ⇄ one {@code docker system dial-stdio} on the server. */
    private void bridge(SocketChannel local) {
        if (forwarded != null) {
            forward(local);
            return;
        }
        try (local; Session session = ssh.startSession()) {
            Session.Command cmd = session.exec(docker(host) + " system dial-stdio");
            Thread stderr = new Thread(() -> drain(cmd.getErrorStream()), "lifeboat-ssh-err-" + host.name());
            stderr.setDaemon(true);
            stderr.start();
            pipe(local, cmd.getInputStream(), cmd.getOutputStream());
        } catch (IOException e) {
            LOG.debug("SSH tunnel to {}: connection ended: {}", host.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Copies both ways between a local connection and a channel until both sides end. Closing the
     * channel's output stream sends EOF, so the engine sees the half-close of an exec's stdin.
     */
    private void pipe(SocketChannel local, InputStream fromRemote, OutputStream toRemote) throws IOException, InterruptedException {
        Thread upstream = new Thread(() -> {
            try (OutputStream remote = toRemote) {
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                while (local.read(buf) >= 0) {
                    remote.write(buf.array(), 0, buf.position());
                    remote.flush();
                    buf.clear();
                }
            } catch (IOException e) {
                LOG.debug("SSH tunnel to {}: upstream ended: {}", host.name(), e.getMessage());
            }
        }, "lifeboat-ssh-up-" + host.name());
        upstream.setDaemon(true);
        upstream.start();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = fromRemote.read(buf)) >= 0) {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
            while (b.hasRemaining()) {
                local.write(b);
            }
        }
        local.shutdownOutput();
        upstream.join(10_000);
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the channel closed
        }
    }

    public static void closeQuietly(SSHClient ssh) {
        try {
            ssh.disconnect();
        } catch (IOException ignored) {
            // already broken; the caller reports why
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(ssh);
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("could not remove tunnel socket {}", socket, e);
        }
    }
}
