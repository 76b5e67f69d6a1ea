package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SSH hosts as admins set them up, against real OpenSSH servers on loopback: a server without the SFTP
 * subsystem, an engine socket at another path, and a non-root login user, first outside the socket's
 * group, then in it. Each failure reads as one line that says what to change.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshHostsIT {
    @TempDir
    static Path tmp;
    private SshServer plain;
    private SshServer noSftp;
    private SshServer noDocker;
    private Rig.DemoHome demo;
    private final String user = "lbdeploy" + Rig.uniqueName("").replace("-", "").substring(0, 5);
    private Path sockets;

    @BeforeAll
    void servers() throws Exception {
        // the login user reads authorized_keys and the stack's files with its own rights
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        plain = SshServer.start(tmp.resolve("sshd"));
        noSftp = SshServer.start(tmp.resolve("sshd-nosftp"), false);
        // a host without the Docker CLI: the sessions' PATH holds no docker command (/usr/sbin has dockerd only)
        noDocker = SshServer.start(tmp.resolve("sshd-nodocker"), true, "SetEnv PATH=/usr/sbin");
        for (Path p : List.of(tmp.resolve("sshd"), tmp.resolve("sshd/authorized_keys"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        SshServer.run("useradd", "--create-home", "--shell", "/bin/sh", user);
        SshServer.run("usermod", "-p", "*", user); // no password, but not locked: OpenSSH refuses locked accounts
        demo = Rig.demoHome(tmp, Rig.uniqueName("sshhosts"), false);
        sockets = Files.createTempDirectory("lb-sockets-");
        Files.createSymbolicLink(sockets.resolve("engine.sock"), Path.of("/var/run/docker.sock"));
    }

    @AfterAll
    void stop() throws Exception {
        Rig.removeByLabel(demo.name());
        plain.close();
        noSftp.close();
        noDocker.close();
        SshServer.run("userdel", "--remove", user);
        Files.deleteIfExists(sockets.resolve("engine.sock"));
        Files.deleteIfExists(sockets);
    }

    private Rig.Result addHost(SshServer sshd, String name, String login, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("host", "add", name, "--ssh", login + "@127.0.0.1:" + sshd.port(),
                "--identity", sshd.clientKey().toString(), "--accept-host-key", sshd.fingerprint()));
        args.addAll(List.of(extra));
        return demo.run(args.toArray(String[]::new));
    }

    @Test
    void aServerWithoutTheSftpSubsystemIsNamedWithTheLineToAdd() throws Exception {
        addHost(noSftp, "hardened", "root").ok(); // Docker answers over exec alone
        Rig.Result backup = demo.run("backup", "hardened/" + demo.name(), "--to", "disk", "-q");
        assertEquals(1, backup.code(), backup.out());
        assertTrue(backup.err().contains("offers no SFTP subsystem") && backup.err().contains("Subsystem sftp"), backup.err());
        assertEquals(1, backup.err().strip().lines().count(), backup.err());

        Rig.Result dest = demo.run("dest", "add", "vault", "--sftp", "root@127.0.0.1:" + noSftp.port() + ":" + tmp.resolve("v"),
                "--identity", noSftp.clientKey().toString(), "--accept-host-key", noSftp.fingerprint(), "--key-file",
                tmp.resolve("repo.key").toString());
        assertTrue(dest.code() != 0 && dest.err().contains("Subsystem sftp"), dest.err());
    }

    @Test
    void aHostWithoutTheDockerCommandIsReachedByForwardingItsSocketAndOneThatForbidsItSaysWhatToDo() throws Exception {
        addHost(noDocker, "nocli", "root").ok();
        Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), List.of("shop"));
        String point = demo.run("backup", "nocli/" + demo.name(), "--to", "disk", "-q").ok().out().trim();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute("UPDATE customers SET name = 'no docker cli'");
        }
        demo.run("restore", point, "--to", "nocli", "-q").ok(); // exec stdin (psql, pg_restore) through the forwarded socket
        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), List.of("shop")));

        try (SshServer locked = SshServer.start(tmp.resolve("sshd-locked"), true, "SetEnv PATH=/usr/sbin",
                "AllowStreamLocalForwarding no")) {
            Rig.Result r = addHost(locked, "locked", "root");
            assertEquals(1, r.code(), r.out());
            assertTrue(r.err().contains("there is no docker command for user root on the host")
                    && r.err().contains("install the Docker CLI there".replace("install", "Install"))
                    && r.err().contains("socket forwarding is off (AllowStreamLocalForwarding no)")
                    && r.err().contains("AllowStreamLocalForwarding yes"),
                    r.err());
            assertEquals(1, r.err().strip().lines().count(), "one actionable line: " + r.err());
        }
    }

    @Test
    void anEngineAtAnotherSocketPathIsReachedAndAWrongPathSaysWhatToGive() throws Exception {
        String added = addHost(plain, "rootless", "root", "--docker-socket", sockets.resolve("engine.sock").toString()).ok().out();
        assertTrue(added.contains("Docker "), added);
        demo.run("check", "rootless/" + demo.name()).ok();

        Rig.Result wrong = addHost(plain, "nowhere", "root", "--docker-socket", "/run/user/4242/docker.sock");
        assertEquals(1, wrong.code(), wrong.out());
        assertTrue(wrong.err().contains("no Docker engine answers at /run/user/4242/docker.sock")
                && wrong.err().contains("--docker-socket"), wrong.err());
    }

    @Test
    void aNonRootUserOutsideTheDockerGroupIsToldTheGroupAndInsideItRoundTrips() throws Exception {
        Rig.Result refused = addHost(plain, "deploy", user);
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.err().contains("user " + user + " may not use the Docker socket")
                && refused.err().contains("usermod -aG docker " + user), refused.err());

        SshServer.run("usermod", "-aG", "docker", user);
        SshServer.run("chown", "-R", user + ":" + user, demo.config().getParent().toString()); // the stacks are the deploy user's
        addHost(plain, "deploy", user).ok();
        Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), List.of("shop", "analytics"));
        String point = demo.run("backup", "deploy/" + demo.name(), "--to", "disk", "-q").ok().out().trim();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute("UPDATE customers SET name = 'overwritten'");
        }
        demo.run("restore", point, "--to", "deploy", "-q").ok();
        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), List.of("shop", "analytics")));
    }

    @Test
    void aHostBehindAJumpHostHasBothKeysPinnedAndRoundTrips() throws Exception {
        // behind the bastion, sshd forwards no sockets: the engine is reached by docker system dial-stdio
        try (SshServer inner = SshServer.start(tmp.resolve("sshd-inner"), true, "AllowStreamLocalForwarding no")) {
            // one identity signs in on the bastion and on the host behind it
            Files.writeString(tmp.resolve("sshd/authorized_keys"), Files.readString(tmp.resolve("sshd-inner/client.pub")),
                    java.nio.file.StandardOpenOption.APPEND);
            String target = "root@127.0.0.1:" + inner.port();
            String jump = "root@127.0.0.1:" + plain.port();
            String key = inner.clientKey().toString();

            Rig.Result first = demo.run("host", "add", "inner", "--ssh", target, "--jump", jump, "--identity", key);
            assertEquals(1, first.code(), first.out());
            assertTrue(first.err().contains("jump host " + jump + ": first contact") && first.err().contains(plain.fingerprint())
                    && first.err().contains("--accept-jump-host-key"), first.err());

            Rig.Result second = demo.run("host", "add", "inner", "--ssh", target, "--jump", jump, "--identity", key,
                    "--accept-jump-host-key", plain.fingerprint());
            assertEquals(1, second.code(), second.out());
            assertTrue(second.err().contains("first contact") && second.err().contains(inner.fingerprint()), second.err());

            Rig.Result wrongBastion = demo.run("host", "add", "inner", "--ssh", target, "--jump", jump, "--identity", key,
                    "--accept-jump-host-key", inner.fingerprint(), "--accept-host-key", inner.fingerprint());
            assertEquals(1, wrongBastion.code(), wrongBastion.out());
            assertTrue(wrongBastion.err().contains("jump host " + jump), wrongBastion.err());

            demo.run("host", "add", "inner", "--ssh", target, "--jump", jump, "--identity", key,
                    "--accept-jump-host-key", plain.fingerprint(), "--accept-host-key", inner.fingerprint()).ok();
            Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), List.of("shop"));
            String point = demo.run("backup", "inner/" + demo.name(), "--to", "disk", "-q").ok().out().trim();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
                c.createStatement().execute("UPDATE customers SET name = 'through the bastion'");
            }
            demo.run("restore", point, "-q").ok();
            assertEquals(before, StackFingerprint.postgres(demo.pgPort(), List.of("shop")));
        }
    }
}
