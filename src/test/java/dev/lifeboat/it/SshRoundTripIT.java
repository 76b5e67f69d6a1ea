package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same round trip with the host reached over SSH: a real OpenSSH sshd on loopback, strict host-key
 * checking, the Engine API through the engine socket forwarded by sshd, config files via SFTP.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshRoundTripIT extends RoundTripIT {
    private SshServer sshd;

    @Override
    @BeforeAll
    void demoStack() throws Exception {
        sshd = SshServer.start(tmp.resolve("sshd"));
        Path home = tmp.resolve("home");
        String ssh = "root@127.0.0.1:" + sshd.port();

        Rig.Result firstContact = Rig.lifeboat(home, "host", "add", "remote", "--ssh", ssh, "--identity",
                sshd.clientKey().toString());
        assertEquals(1, firstContact.code());
        assertTrue(firstContact.err().contains("first contact") && firstContact.err().contains(sshd.fingerprint()),
                "the unknown key is shown, not accepted: " + firstContact.err());

        Rig.Result wrong = Rig.lifeboat(home, "host", "add", "remote", "--ssh", ssh, "--identity",
                sshd.clientKey().toString(), "--accept-host-key", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("not the accepted"), wrong.err());

        String added = Rig.lifeboat(home, "host", "add", "remote", "--ssh", ssh, "--identity", sshd.clientKey().toString(),
                "--accept-host-key", sshd.fingerprint()).ok().out();
        assertTrue(added.contains("host key " + sshd.fingerprint()), added);
        demo = Rig.demoOn(tmp, home, "remote", Rig.uniqueName("ssh"));
    }

    @Test
    @Order(0)
    void aKnownHostsFileCanVouchForTheServerKey() throws Exception {
        String entry = "[127.0.0.1]:" + sshd.port() + " " + java.nio.file.Files.readString(tmp.resolve("sshd/hostkey.pub")).trim();
        Path good = tmp.resolve("known_hosts");
        java.nio.file.Files.writeString(good, entry + "\n");
        String ssh = "root@127.0.0.1:" + sshd.port();
        String out = demo.run("host", "add", "viakh", "--ssh", ssh, "--identity", sshd.clientKey().toString(),
                "--known-hosts", good.toString()).ok().out();
        assertTrue(out.contains("host key " + sshd.fingerprint()), out);

        Path stale = tmp.resolve("known_hosts.stale");
        SshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", tmp.resolve("other").toString());
        java.nio.file.Files.writeString(stale, "[127.0.0.1]:" + sshd.port() + " "
                + java.nio.file.Files.readString(tmp.resolve("other.pub")).trim() + "\n");
        Rig.Result r = demo.run("host", "add", "viakh2", "--ssh", ssh, "--identity", sshd.clientKey().toString(),
                "--known-hosts", stale.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not the one the known_hosts file lists"), r.err());
    }

    @Test
    @Order(1)
    void anSftpDestinationHoldsPointsThatVerifyAndRestore() throws Exception {
        Path remoteDir = tmp.resolve("sftp-backups");
        String target = "root@127.0.0.1:" + sshd.port() + ":" + remoteDir;
        Rig.Result unknown = demo.run("dest", "add", "vault", "--sftp", target, "--identity", sshd.clientKey().toString(),
                "--key-file", tmp.resolve("repo.key").toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains(sshd.fingerprint()), unknown.err());
        demo.run("dest", "add", "vault", "--sftp", target, "--identity", sshd.clientKey().toString(),
                "--accept-host-key", sshd.fingerprint(), "--key-file", tmp.resolve("repo.key").toString()).ok();

        java.util.List<String> dbs = java.util.List.of("shop", "analytics");
        java.util.Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), dbs);
        String pointId = demo.run("backup", demo.stack(), "--to", "vault", "-q").ok().out().trim();
        assertTrue(java.nio.file.Files.exists(remoteDir.resolve(demo.host()).resolve(demo.name()).resolve(pointId)
                .resolve("manifest.json")), "the point landed on the SFTP server, in the browsable layout");
        demo.run("verify", pointId).ok();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute("UPDATE customers SET name = 'overwritten'");
        }
        demo.run("restore", pointId, "-q").ok();
        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), dbs));

        // a killed run's staging directory on the server is swept once untouched long enough (here: until a minute from now)
        Path dead = remoteDir.resolve(demo.host()).resolve(demo.name()).resolve(".partial-20260101T000000Z-dead00");
        java.nio.file.Files.createDirectories(dead.resolve("sub"));
        java.nio.file.Files.writeString(dead.resolve("sub").resolve("postgres-shop.dump.lbe"), "partial");
        try (dev.lifeboat.AppContext app = new dev.lifeboat.AppContext(demo.home()); var repo = app.repositories().open("vault")) {
            var swept = repo.destination().sweepAbandoned(demo.host(), demo.name(), java.time.Instant.now().plusSeconds(60), false);
            assertEquals(List.of(".partial-20260101T000000Z-dead00"), swept.stream().map(a -> a.name()).toList());
        }
        assertTrue(java.nio.file.Files.notExists(dead));
        demo.run("verify", pointId).ok();
    }

    @Test
    @Order(2)
    void aDroppedSshConnectionFailsTheRunCleanlyAndTheNextRunRepairsAndSucceeds() throws Exception {
        Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                demo.name() + "_uploads:/v", Rig.IMAGE, "sh", "-c", "head -c 150000000 /dev/urandom > /v/big.bin");
        String pointsBefore = demo.run("points", demo.stack()).ok().out();
        Path log = tmp.resolve("dropped-ssh.log");
        Process backup = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                System.getProperty("java.class.path"), "dev.lifeboat.Lifeboat", "--home", demo.home().toString(),
                "backup", demo.stack(), "--to", "disk").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!java.nio.file.Files.readString(log).contains("Archiving volume")) {
            assertTrue(backup.isAlive() && System.currentTimeMillis() < deadline, java.nio.file.Files.readString(log));
            Thread.sleep(20);
        }
        Thread.sleep(300);
        sshd.dropConnections(); // the network drops mid-backup
        assertTrue(backup.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "a dropped connection must not hang the run");
        String out = java.nio.file.Files.readString(log);
        assertEquals(1, backup.exitValue(), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("lifeboat: ")), out);
        assertEquals(pointsBefore, demo.run("points", demo.stack()).ok().out(), "no point from the dropped run");
        Thread.sleep(1500); // a docker stop the dropped run had in flight may still land on the server

        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        demo.run("verify", pointId).ok();
        assertEquals(List.of(), Rig.helpers(demo.home()),
                "the dropped run's helper container was removed");
        assertEquals("true", Rig.docker("inspect", "--format", "{{.State.Running}}", demo.name() + "-app").trim(),
                "the app stopped for the dropped run's volume step runs again");
    }

    @Test
    @Order(3)
    void walShippedFromTheSshHostRestoresToAMoment() throws Exception {
        String asset = "postgres:" + demo.name() + "-db";
        String enabled = demo.run("pitr", "enable", demo.stack(), "--to", "disk", "--switch-every", "5").ok().out();
        assertTrue(enabled.contains(asset + ": WAL ships to disk"), enabled);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute("CREATE TABLE pitr_load (id bigserial PRIMARY KEY, at timestamptz NOT NULL"
                    + " DEFAULT clock_timestamp(), note text NOT NULL)");
            insert(c, 100);
            demo.run("backup", demo.stack(), "--to", "disk", "-q").ok(); // the base backup, pg_basebackup over the SSH host
            insert(c, 100);
            demo.run("pitr", "ship", demo.stack()).ok();
            Thread.sleep(500);
            java.time.Instant target = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            Thread.sleep(500);
            insert(c, 100); // after the moment: must not come back
            String[] atTarget = PitrIT.rows(c, "WHERE at < '" + target + "'");
            assertEquals("200", atTarget[0]);
            c.createStatement().execute("DROP TABLE pitr_load");
            String out = demo.run("restore", demo.stack(), "--postgres", demo.name() + "-db", "--to-time", target.toString(),
                    "-q").ok().out();
            assertTrue(out.contains("Restored " + asset + " of " + demo.stack() + " to " + target), out);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            assertEquals("200", PitrIT.rows(c, "")[0], "the rows committed before the moment, and none after");
            c.createStatement().execute("DROP TABLE pitr_load");
        } finally {
            demo.run("pitr", "disable", demo.stack()).ok();
        }
    }

    private static void insert(java.sql.Connection c, int rows) throws Exception {
        try (var ps = c.prepareStatement("INSERT INTO pitr_load(note) VALUES (?)")) {
            for (int i = 0; i < rows; i++) {
                ps.setString(1, "order " + i + " " + "x".repeat(200));
                ps.executeUpdate();
            }
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // after the round trip: it replaces the server's key
    void aChangedHostKeyIsRefusedNamingBothFingerprints() throws Exception {
        String before = sshd.fingerprint();
        demo.run("stacks", "remote").ok();
        sshd.swapHostKey();
        try {
            Rig.Result r = demo.run("stacks", "remote");
            assertEquals(1, r.code());
            assertTrue(r.err().contains("host key changed") && r.err().contains(before)
                    && r.err().contains(sshd.fingerprint()), r.err());
        } finally {
            sshd.close();
        }
    }

    @Override
    @AfterAll
    void removeDemoStack() throws Exception {
        super.removeDemoStack();
        sshd.close();
    }
}
