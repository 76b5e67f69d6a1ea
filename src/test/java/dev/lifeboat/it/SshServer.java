package dev.lifeboat.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real OpenSSH sshd on 127.0.0.1 and a free port, with its own host key, key-only auth and the
 * SFTP subsystem. Started as a child process and stopped by that process handle, never by name.
 */
final class SshServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process sshd;

    private SshServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    private boolean sftp = true;
    private List<String> extraConfig = List.of();

    static SshServer start(Path dir) throws Exception {
        return start(dir, true);
    }

    /** With {@code sftp} false, the server has no SFTP subsystem configured (as some hardened servers). */
    static SshServer start(Path dir, boolean sftp) throws Exception {
        return start(dir, sftp, new String[0]);
    }

    /** With more sshd_config lines, as an admin's server has them. */
    static SshServer start(Path dir, boolean sftp, String... extraConfig) throws Exception {
        Files.createDirectories(dir);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lifeboat-test-client", "-f", dir.resolve("client").toString());
        Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
        SshServer s = new SshServer(dir, freePort());
        s.sftp = sftp;
        s.extraConfig = List.of(extraConfig);
        s.newHostKey();
        s.launch();
        return s;
    }

    int port() {
        return port;
    }

    Path clientKey() {
        return dir.resolve("client");
    }

    /** The host key's fingerprint as OpenSSH prints it (SHA256:...). */
    String fingerprint() throws Exception {
        return run("ssh-keygen", "-l", "-f", dir.resolve("hostkey.pub").toString()).split(" ")[1];
    }

    /** Replaces the server's host key and restarts it, as a re-installed or impostor server would. */
    void swapHostKey() throws Exception {
        close();
        newHostKey();
        launch();
    }

    private void newHostKey() throws Exception {
        Files.deleteIfExists(dir.resolve("hostkey"));
        Files.deleteIfExists(dir.resolve("hostkey.pub"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("hostkey").toString());
    }

    /**
     * Sessions get a HOME of their own, so the shell sshd starts reads none of this machine's dotfiles:
     * a version manager in root's .bashrc (pyenv's rehash lock, left behind by a session a test killed)
     * must not slow every later session down. sshd takes only the first SetEnv line, so HOME joins one
     * an admin's config already has.
     */
    private static List<String> withHome(List<String> config, Path home) {
        List<String> out = new java.util.ArrayList<>();
        boolean set = false;
        for (String line : config) {
            if (!set && line.startsWith("SetEnv ")) {
                out.add("SetEnv HOME=" + home + " " + line.substring("SetEnv ".length()));
                set = true;
            } else {
                out.add(line);
            }
        }
        if (!set) {
            out.add(0, "SetEnv HOME=" + home);
        }
        return out;
    }

    private void launch() throws Exception {
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("hostkey"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                sftp ? "Subsystem sftp /usr/lib/openssh/sftp-server" : "",
                String.join("\n", withHome(extraConfig, Files.createDirectories(dir.resolve("home")))),
                ""), StandardCharsets.UTF_8);
        Files.createDirectories(Path.of("/run/sshd"));
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!sshd.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** Kills the per-connection sshd processes (children of the sshd this test started): every session drops. */
    void dropConnections() {
        sshd.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() throws Exception {
        if (sshd != null && sshd.isAlive()) {
            sshd.destroy();
            sshd.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
