package dev.lifeboat.it;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.StackBusyException;
import dev.lifeboat.core.restore.RestoreOptions;
import dev.lifeboat.core.asset.RestoreScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a database user can plant cannot turn Lifeboat, which runs as root with the superuser's
 * password, against its host: database names are only ever names, whatever characters they hold.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileStackIT {
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;
    private ServerSocket decoy;
    private final AtomicInteger decoyConnections = new AtomicInteger();

    @BeforeAll
    void demoStack() throws Exception {
        demo = Rig.demoHome(tmp, Rig.uniqueName("hostile"), false);
        // a server of "someone else's" on loopback: the demo database runs with the host's network, so a
        // name parsed as a connection string would reach it (and send PGPASSWORD)
        decoy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!decoy.isClosed()) {
                try (Socket s = decoy.accept()) {
                    decoyConnections.incrementAndGet();
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        }, "decoy-postgres");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterAll
    void removeDemoStack() throws Exception {
        decoy.close();
        Rig.removeByLabel(demo.name());
    }

    private String db() {
        return demo.name() + "-db";
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String conninfo(String name) {
        return "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private String psql(String database, String sql) {
        return Rig.docker("exec", "-u", "postgres", db(), "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h",
                "/var/run/postgresql", "-d", conninfo(database), "-c", sql);
    }

    @Test
    void databasesNamedLikeConnectionStringsOrWithNewlinesBarsQuotesAndSpacesRoundTrip() {
        List<String> names = List.of("host=127.0.0.1 port=" + decoy.getLocalPort() + " dbname=postgres",
                "new\nline", "a|b", "  spaced  ", "quote'd \"x\"", "Ærø 数据");
        for (String name : names) {
            psql("postgres", "CREATE DATABASE " + ident(name));
            psql(name, "CREATE TABLE t (v text); INSERT INTO t VALUES ('" + name.replace("'", "''") + "')");
        }
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        demo.run("verify", pointId).ok();
        for (String name : names) {
            psql("postgres", "DROP DATABASE " + ident(name) + " WITH (FORCE)");
        }

        demo.run("restore", pointId, "-q").ok();

        List<String> back = new ArrayList<>();
        for (String name : names) {
            back.add(psql(name, "SELECT v FROM t").replaceAll("\n$", ""));
        }
        assertEquals(names, back, "every database is back under its exact name, with its row");
        Rig.Result table = demo.run("restore", pointId, "--only", "postgres:a|b.public.t", "-q");
        table.ok();
        assertEquals(0, decoyConnections.get(), "no name was ever parsed as a connection string");
    }

    @Test
    void aBackupStartedWhileARestoreOfTheStackRunsIsRefusedWithAClearLine() throws Exception {
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        AtomicReference<Rig.Result> during = new AtomicReference<>();
        try (AppContext app = new AppContext(demo.home())) {
            app.restores().restore(pointId, new RestoreOptions(null, false, RestoreScope.ALL, null), (phase, message) -> {
                if (phase.equals("swap") && during.get() == null) {
                    during.set(demo.run("backup", demo.stack(), "--to", "disk", "-q"));
                }
            });
            Rig.Result refused = during.get();
            assertNotNull(refused, "the restore went through its swap phase");
            assertTrue(refused.code() != 0, refused.out());
            assertTrue(refused.err().contains("already running (restore "), refused.err());

            // and the other way round: a restore while the stack is locked is refused before anything changes
            String owner = "backup test-holder";
            assertTrue(app.history().locks().tryLock("local", demo.name(), owner).isEmpty());
            try {
                StackBusyException busy = org.junit.jupiter.api.Assertions.assertThrows(StackBusyException.class,
                        () -> app.restores().restore(pointId, new RestoreOptions(null, false, RestoreScope.ALL, null),
                                dev.lifeboat.core.Progress.NONE));
                assertTrue(busy.getMessage().contains("busy (backup test-holder"), busy.getMessage());
            } finally {
                app.history().locks().unlock("local", demo.name(), owner);
            }
        }
    }

    @Test
    void aMissingImageIsRefusedBeforeAnythingIsTouchedAndAMovedTagComesBackOnTheRecordedId() throws Exception {
        String tiny = Rig.uniqueName("lbtiny") + ":1";
        String moved = Rig.uniqueName("lbmoved") + ":1";
        Path tar = tmp.resolve("tiny.tar");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(java.nio.file.Files.newOutputStream(tar))) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("hello");
            e.setSize(2);
            out.putArchiveEntry(e);
            out.write("hi".getBytes());
            out.closeArchiveEntry();
        }
        Rig.docker("import", tar.toString(), tiny);
        Rig.docker("tag", Rig.IMAGE, moved);
        String fixtureId = Rig.docker("image", "inspect", "-f", "{{.Id}}", Rig.IMAGE).trim();
        String gone = demo.name() + "-gone";
        String tagged = demo.name() + "-tagged";
        try {
            for (String[] c : new String[][] {{gone, tiny}, {tagged, moved}}) {
                Rig.docker("create", "--name", c[0], "--network", "none", "--label", "com.docker.compose.project=" + demo.name(),
                        "--label", "com.docker.compose.service=" + c[0], "--label", "lifeboat.demo=" + demo.name(), c[1], "true");
            }
            String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
            long points = demo.run("points", demo.stack()).ok().out().lines().count();
            Rig.docker("rm", "-f", gone);
            Rig.docker("rmi", tiny);
            String appBefore = Rig.docker("inspect", "-f", "{{.Id}}", demo.name() + "-app").trim();

            Rig.Result refused = demo.run("restore", pointId);
            assertTrue(refused.code() != 0, refused.out());
            assertTrue(refused.err().contains(tiny) && refused.err().contains("Nothing was changed"), refused.err());
            assertEquals(appBefore, Rig.docker("inspect", "-f", "{{.Id}}", demo.name() + "-app").trim(), "app untouched");
            assertEquals(points, demo.run("points", demo.stack()).ok().out().lines().count(), "no safety point either");

            // the tag moves to another image; the restore brings the container back on what it ran
            Rig.docker("import", tar.toString(), tiny);
            Rig.docker("create", "--name", gone, "--network", "none", "--label", "com.docker.compose.project=" + demo.name(),
                    "--label", "lifeboat.demo=" + demo.name(), tiny, "true");
            Rig.docker("tag", tiny, moved);
            demo.run("restore", pointId, "-q").ok();
            assertEquals(fixtureId, Rig.docker("inspect", "-f", "{{.Image}}", tagged).trim());
        } finally {
            for (String c : List.of(gone, tagged)) {
                if (!Rig.docker("ps", "-aq", "--filter", "name=^" + c + "$").isBlank()) {
                    Rig.docker("rm", "-f", c);
                }
            }
            for (String image : List.of(moved, tiny)) {
                if (!Rig.docker("images", "-q", image).isBlank()) {
                    Rig.docker("rmi", image);
                }
            }
        }
    }
}
