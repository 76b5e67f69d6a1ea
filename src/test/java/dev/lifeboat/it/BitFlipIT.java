package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Done-means 2: a bit flipped in any artifact (or in the manifest) is caught by verify and by
 * restore, and restore refuses before touching the running stack.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BitFlipIT {
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;
    private String pointId;

    @BeforeAll
    void backedUpDemoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("bf"), false);
        pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
    }

    @AfterAll
    void removeDemoStack() {
        Rig.removeByLabel(demo.name());
    }

    @Test
    void anUntouchedPointVerifies() {
        String out = demo.run("verify", pointId).ok().out();
        assertTrue(out.contains("pg_restore --list") && out.contains("RDB version") && out.contains("tar readable"), out);
    }

    @Test
    void aFlippedBitInAnyArtifactIsCaughtByVerifyAndRefusedByRestore() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(demo.pointDir(pointId))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".lbe") || p.getFileName().toString().equals("manifest.json"))
                    .sorted().toList();
        }
        assertTrue(files.size() >= 7, files.toString());
        String containersBefore = containerIds();
        insertMarkerRow();
        for (Path f : files) {
            long offset = Files.size(f) / 2;
            flip(f, offset);
            try {
                Rig.Result verify = demo.run("verify", pointId);
                assertEquals(4, verify.code(), f + ": " + verify.err());
                String name = f.getFileName().toString().equals("manifest.json") ? "signature" : f.getFileName().toString();
                assertTrue(verify.err().contains(name), f + ": " + verify.err());

                Rig.Result restore = demo.run("restore", pointId, "-q");
                assertEquals(4, restore.code(), f + ": " + restore.err());
                assertTrue(restore.err().contains("nothing was changed") || restore.err().contains("signature"), restore.err());
            } finally {
                flip(f, offset);
            }
            assertEquals(containersBefore, containerIds(), "restore must not touch containers (" + f + ")");
            assertTrue(markerRowPresent(), "restore must not touch data (" + f + ")");
            // the kinds still restoring beside the live data when the damage was found were stopped: nothing of theirs stays
            assertEquals(List.of(), databasesOfLifeboat(), "staged databases are dropped (" + f + ")");
            assertEquals(List.of(), Rig.helpers(demo.home()), "helpers are removed (" + f + ")");
        }
        assertEquals("", stagedInVolumes(), "staged directories are removed from the volumes");
        demo.run("verify", pointId).ok();
    }

    @Test
    void aRestoreTestFindsAFlippedBitInWhatItRestoresAndInWhatItDoesNotRead() throws Exception {
        // the restore test reads no artifact twice: the volume's tar is checked as it streams into the sandbox, and
        // its file index, which the restore does not read, by a verify of what is left
        for (String kind : List.of(".tar.lbe", ".index.json.lbe")) {
            Path f;
            try (Stream<Path> s = Files.list(demo.pointDir(pointId))) {
                f = s.filter(p -> p.getFileName().toString().startsWith("volume-") && p.getFileName().toString().endsWith(kind))
                        .findFirst().orElseThrow();
            }
            long offset = Files.size(f) / 2;
            flip(f, offset);
            try {
                Rig.Result test = demo.run("verify", pointId, "--restore-test");
                assertEquals(4, test.code(), f + ": " + test.out() + test.err());
                assertTrue(test.out().lines().anyMatch(l -> l.startsWith("FAIL integrity") && l.contains(f.getFileName().toString())),
                        test.out() + test.err());
            } finally {
                flip(f, offset);
            }
            assertEquals(List.of(), Rig.sandboxObjects(demo.home()), "the sandbox is gone (" + f + ")");
        }
    }

    @Test
    void aTruncatedArtifactIsCaught() throws IOException {
        Path dump;
        try (Stream<Path> s = Files.list(demo.pointDir(pointId))) {
            dump = s.filter(p -> p.getFileName().toString().endsWith("-shop.pgdump.lbe")).findFirst().orElseThrow();
        }
        byte[] original = Files.readAllBytes(dump);
        try {
            Files.write(dump, java.util.Arrays.copyOf(original, original.length - 100));
            Rig.Result verify = demo.run("verify", pointId);
            assertEquals(4, verify.code());
            assertTrue(verify.err().contains(dump.getFileName().toString()), verify.err());
            // the CLI's verify runs the after-run step: the alert is raised and the point held, with no 'alert evaluate'
            String alerts = demo.run("alert", "list").ok().out();
            assertTrue(alerts.contains("Verify of ") && alerts.contains("failed"), alerts);
            String held = demo.run("points", "held").ok().out();
            assertTrue(held.contains(pointId) && held.contains("suspicious"), held);
        } finally {
            Files.write(dump, original);
        }
    }

    @Test
    void aPartialPointIsNeverListedOrRestorable() throws IOException {
        Path partial = demo.dest().resolve(demo.host()).resolve(demo.name()).resolve(".partial-20260101T000000Z-dead00");
        Files.createDirectories(partial);
        Files.writeString(partial.resolve("volume-x.tar.lbe"), "half an artifact");
        Rig.Result restore = demo.run("restore", "20260101T000000Z-dead00", "-q");
        assertEquals(1, restore.code());
        assertTrue(restore.err().contains("No recovery point 20260101T000000Z-dead00"), restore.err());
        assertFalse(demo.run("points").ok().out().contains("dead00"));
    }

    private static void flip(Path f, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x04);
        }
    }

    private String containerIds() {
        return Rig.docker("ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + demo.name());
    }

    /** The databases Lifeboat names (staged beside, kept aside) in the stack's server. */
    private List<String> databasesOfLifeboat() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/postgres", "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** What a staging left at the root of the stack's volumes ({@code .lifeboat-*}), listed by a container of the test's. */
    private String stagedInVolumes() {
        List<String> cmd = new java.util.ArrayList<>(List.of("run", "--rm", "--network", "none", "--label",
                "lifeboat.demo=" + demo.name()));
        List<String> volumes = Rig.docker("volume", "ls", "-q", "--filter", "label=lifeboat.demo=" + demo.name()).lines().toList();
        assertFalse(volumes.isEmpty());
        for (int i = 0; i < volumes.size(); i++) {
            cmd.addAll(List.of("-v", volumes.get(i) + ":/v" + i + ":ro"));
        }
        cmd.addAll(List.of("--entrypoint", "sh", Rig.IMAGE, "-c", "ls -d /v*/.lifeboat-* 2>/dev/null; true"));
        return Rig.docker(cmd.toArray(String[]::new)).trim();
    }

    private void insertMarkerRow() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute("INSERT INTO customers(email, name, profile) VALUES ('after-backup@example.org', 'x', '{}')");
        }
    }

    private boolean markerRowPresent() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM customers WHERE email = 'after-backup@example.org'")) {
            rs.next();
            return rs.getLong(1) == 1;
        }
    }
}
