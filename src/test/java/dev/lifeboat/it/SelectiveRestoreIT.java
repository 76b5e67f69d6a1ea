package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.core.storage.ManifestCodec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Done-means 3 and 4 of the proof issue: single-table restore, and rollback when post-restore checks fail. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SelectiveRestoreIT {
    private static final List<String> DATABASES = List.of("postgres", "shop", "analytics");
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;

    @BeforeAll
    void demoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("sel"), false);
    }

    @AfterAll
    void removeDemoStack() {
        Rig.removeByLabel(demo.name());
    }

    private void sql(String db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/" + db, "postgres", "")) {
            for (String s : statements) {
                c.createStatement().execute(s);
            }
        }
    }

    private long count(String db, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/" + db, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void oneTableComesBackWhileTheOtherTablesKeepTheirNewerWrites() throws Exception {
        Map<String, String> atBackup = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        long customers = count("shop", "customers");
        long events = count("analytics", "events");

        sql("shop", "DELETE FROM orders WHERE id <= 250",  // the accident (documents of those orders cascade away)
                "INSERT INTO customers(email, name, profile) VALUES ('late@example.org', 'Late Writer', '{}')");
        sql("analytics", "INSERT INTO events(kind, payload, at) SELECT kind, payload, now() FROM events LIMIT 3");
        assertNotEquals(atBackup.get("shop.public.orders"), StackFingerprint.postgres(demo.pgPort(), DATABASES).get("shop.public.orders"));

        String out = demo.run("restore", pointId, "--only", "postgres:shop.orders").ok().out();
        Map<String, String> after = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        assertEquals(atBackup.get("shop.public.orders"), after.get("shop.public.orders"), "the deleted rows are back: " + out);
        assertEquals(customers + 1, count("shop", "customers"), "the newer customer is still there");
        assertEquals(events + 3, count("analytics", "events"), "the other database keeps its newer rows");
        sql("shop", "INSERT INTO orders(customer_id, total, placed_at) VALUES (1, 1, now())"); // the sequence moved past the restored keys

        // restoring customers would leave the newer customer's order without its parent: refused, nothing changed
        sql("shop", "INSERT INTO orders(customer_id, total, placed_at) SELECT id, 5, now() FROM customers WHERE email = 'late@example.org'");
        Map<String, String> beforeRefusal = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        Rig.Result refused = demo.run("restore", pointId, "--only", "postgres:shop.customers", "--no-safety-backup");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("lose their parent") && refused.err().contains("nothing was changed"), refused.err());
        assertEquals(beforeRefusal, StackFingerprint.postgres(demo.pgPort(), DATABASES));
    }

    @Test
    @Order(2)
    void aRestoreWhosePostRestoreCheckFailsIsRolledBack() throws Exception {
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        // after the backup, the app gets a file its health probe insists on: the old point cannot satisfy it
        Rig.docker("exec", demo.name() + "-app", "sh", "-c", "echo v2 > /srv/uploads/schema-v2");
        sql("shop", "INSERT INTO customers(email, name, profile) VALUES ('after@example.org', 'After Backup', '{}')");
        demo.run("stack", "set", demo.stack(), "--probe", demo.name() + "-app:test -f /srv/uploads/schema-v2").ok();
        Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String uploadsBefore = StackFingerprint.volume(demo.name() + "_uploads");
        try (Resp redis = new Resp(demo.redisPort())) {
            redis.call("SET", "lifeboat:written-after-the-point", "kept through the rollback");
        }

        Rig.Result r = demo.run("restore", pointId);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("probe " + demo.name() + "-app") && r.err().contains("Rolled back to the data it replaced"),
                r.err());
        try (Resp redis = new Resp(demo.redisPort())) { // Redis (AOF on) was swapped back too
            assertEquals("kept through the rollback", new String((byte[]) redis.call("GET", "lifeboat:written-after-the-point"),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(List.of(), StackFingerprint.keptAside(demo.name() + "_redisdata"));
        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), DATABASES), "the databases are as before the restore");
        assertEquals(uploadsBefore, StackFingerprint.volume(demo.name() + "_uploads"), "and so is the volume");
        assertEquals(List.of(), StackFingerprint.keptAside(demo.name() + "_uploads"),
                "the volume was swapped back: nothing staged or set aside is left in it");
        assertTrue(demo.run("safety", "list", demo.stack()).ok().out().contains("No safety copies"));
        assertTrue(demo.run("history").ok().out().lines().anyMatch(l -> l.contains("restore ") && l.contains("failed")
                && l.contains("Rolled back")), demo.run("history").out());
        demo.run("stack", "set", demo.stack(), "--probe", "").ok();
    }

    @Test
    @Order(3)
    void aDryRunShowsThePlanAndChangesNothing() throws Exception {
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String plan = demo.run("restore", pointId, "--dry-run").ok().out();
        assertTrue(plan.contains("Nothing has been changed"), plan);
        assertTrue(plan.contains("Stop: " + demo.name() + "-app"), plan);
        assertTrue(plan.contains("Overwrite: database shop in " + demo.name() + "-db (restored beside the live one"), plan);
        assertTrue(plan.contains("Overwrite: volume " + demo.name() + "_uploads"), plan);
        assertTrue(plan.contains("a twin of the server writes the AOF from it"), plan); // Redis runs with AOF on
        assertTrue(plan.contains("Safety backup first: no"), plan); // everything is restored beside, then swapped
        assertTrue(plan.matches("(?s).*Expected time: about \\d+ s, from \\d+ past restores.*"), plan);
        String tablePlan = demo.run("restore", pointId, "--dry-run", "--only", "postgres:shop.orders").ok().out();
        assertTrue(tablePlan.contains("table shop.public.orders") && !tablePlan.contains("Stop:"), tablePlan);
        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), DATABASES));

        // onto another host: its own production flag applies
        demo.run("host", "add", "staging", "--docker", "unix:///var/run/docker.sock", "--production").ok();
        assertTrue(demo.run("restore", pointId, "--to", "staging", "--dry-run").ok().out().contains("staging is production"));
        assertEquals(3, demo.run("restore", pointId, "--to", "staging").code());
        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), DATABASES));
    }

    @Test
    @Order(4)
    void oneVolumeComesBackWhileTheDatabasesKeepRunning() {
        String app = demo.name() + "-app";
        String db = demo.name() + "-db";
        String volume = demo.name() + "_uploads";
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        String listed = Rig.docker("exec", app, "sh", "-c", "cd /srv/uploads && find . -path './.lifeboat-*' -prune -o -print | sort");
        Rig.docker("exec", app, "sh", "-c", "echo junk > /srv/uploads/junk.txt && rm -rf /srv/uploads/docs");
        String damaged = StackFingerprint.volume(volume);
        String dbStarted = Rig.docker("inspect", "-f", "{{.State.StartedAt}}", db);

        // restored beside the live files while the app runs; the app stops only for the swap
        String out = demo.run("restore", pointId, "--only", "volume:" + volume, "--no-safety-backup").ok().out();
        assertEquals(listed, Rig.docker("exec", app, "sh", "-c", "cd /srv/uploads && find . -path './.lifeboat-*' -prune -o -print | sort"));
        assertEquals("true", Rig.docker("inspect", "-f", "{{.State.Running}}", app).trim());
        assertEquals(dbStarted, Rig.docker("inspect", "-f", "{{.State.StartedAt}}", db), "the database was not touched");
        // what it replaced is kept aside in the volume, as it was
        List<String> kept = StackFingerprint.keptAside(volume);
        assertEquals(1, kept.size(), kept.toString());
        assertTrue(kept.get(0).startsWith(".lifeboat-replaced-"), kept.toString());
        assertEquals(withoutRoot(damaged), StackFingerprint.keptAside(volume, kept.get(0)));
        assertTrue(out.contains("Kept aside on the host until") && out.contains(kept.get(0)), out);
    }

    /** A volume fingerprint without the line of its root directory (whose mode and owner a kept copy does not share). */
    private static String withoutRoot(String fingerprint) {
        return fingerprint.lines().filter(l -> !l.startsWith(". ")).collect(java.util.stream.Collectors.joining("\n"))
                + "\n";
    }

    @Test
    @Order(5)
    void aCopyKeptAsideIsListedLeftOutOfBackupsAndReleased() throws Exception {
        String volume = demo.name() + "_uploads";
        var listed = ManifestCodec.mapper().readTree(demo.run("safety", "list", demo.stack(), "--json").ok().out());
        assertEquals(1, listed.size(), listed.toString());
        String id = listed.get(0).path("id").asText();
        String path = listed.get(0).path("item").asText();
        assertEquals(List.of(path), StackFingerprint.keptAside(volume));

        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        var manifest = ManifestCodec.mapper().readTree(demo.pointDir(pointId).resolve("manifest.json").toFile());
        var asset = java.util.stream.StreamSupport.stream(manifest.path("assets").spliterator(), false)
                .filter(a -> a.path("name").asText().equals("volume:" + volume)).findFirst().orElseThrow();
        String tree = Rig.docker("exec", demo.name() + "-app", "sh", "-c",
                "cd /srv/uploads && find . -path './.lifeboat-*' -prune -o -print | wc -l").trim();
        assertEquals(Long.parseLong(tree), asset.path("fileCount").asLong(), "the backup holds the app's files only");
        demo.run("safety", "release", id).ok();
        assertEquals(List.of(), StackFingerprint.keptAside(volume));
        assertTrue(demo.run("safety", "list", demo.stack()).ok().out().contains("No safety copies"));
    }

    @Test
    @Order(6)
    void anArtifactThatChangesAfterTheVerifyPassFailsTheRestoreBeforeTheStackIsStopped() throws Exception {
        String app = demo.name() + "-app";
        String volume = demo.name() + "_uploads";
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        Rig.docker("exec", app, "sh", "-c", "echo newer > /srv/uploads/newer.txt");
        sql("shop", "INSERT INTO customers(email, name, profile) VALUES ('newer@example.org', 'Newer', '{}')");
        Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String uploadsBefore = StackFingerprint.volume(volume);
        List<String> databasesBefore = databases();
        String appStarted = Rig.docker("inspect", "-f", "{{.State.StartedAt}}", app);
        // a volume's tar, then a database's dump: each found while streaming beside the live data
        for (String artifact : List.of("volume-" + volume + ".tar", "-shop.pgdump")) {
            Path file;
            try (var files = java.nio.file.Files.list(demo.pointDir(pointId))) {
                file = files.filter(f -> f.getFileName().toString().contains(artifact)).findFirst().orElseThrow();
            }
            // the destination serves other bytes once the verify pass is over
            dev.lifeboat.core.Progress swapAfterVerify = (phase, message) -> {
                if (phase.equals("beside")) {
                    flipOneByte(file);
                }
            };
            try (dev.lifeboat.AppContext app2 = new dev.lifeboat.AppContext(demo.home())) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(dev.lifeboat.core.LifeboatException.class,
                        () -> app2.restores().restore(pointId, new dev.lifeboat.core.restore.RestoreOptions(null, true,
                                dev.lifeboat.core.asset.RestoreScope.ALL, null), swapAfterVerify));
                assertTrue(e.getMessage().contains("nothing was changed"), artifact + ": " + e.getMessage());
            }
            flipOneByte(file); // as it was, for the next round
            assertEquals(appStarted, Rig.docker("inspect", "-f", "{{.State.StartedAt}}", app), artifact + ": the app was never stopped");
            assertEquals(before, StackFingerprint.postgres(demo.pgPort(), DATABASES), artifact);
            assertEquals(uploadsBefore, StackFingerprint.volume(volume), artifact);
            assertEquals(List.of(), StackFingerprint.keptAside(volume), artifact + ": nothing staged is left in the volume");
            assertEquals(databasesBefore, databases(), artifact + ": no staged database is left");
        }
    }

    private static void flipOneByte(Path file) {
        try (var f = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            long at = f.size() / 2;
            f.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 1));
            b.rewind();
            f.write(b, at);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every database of the server, with whether it accepts connections. */
    private List<String> databases() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/postgres", "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT datname, datallowconn FROM pg_database ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1) + (rs.getBoolean(2) ? "" : " (closed)"));
            }
        }
        return out;
    }

    @Test
    @Order(7)
    void aFullRestoreSwapsTheDatabasesInByRenameAndKeepsTheLiveOnesAsideUntilReleased() throws Exception {
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        Map<String, String> atBackup = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        sql("shop", "DELETE FROM orders WHERE id <= 100",
                "INSERT INTO customers(email, name, profile) VALUES ('gone@example.org', 'Replaced', '{}')");
        Map<String, String> replaced = StackFingerprint.postgres(demo.pgPort(), List.of("shop"));
        String cartAtBackup;
        try (Resp redis = new Resp(demo.redisPort())) {
            cartAtBackup = String.valueOf(redis.call("DBSIZE"));
            redis.call("SET", "lifeboat:after-the-point", "replaced by the restore");
        }

        var report = ManifestCodec.mapper().readTree(demo.run("restore", pointId, "--json").ok().out());
        assertEquals(atBackup, StackFingerprint.postgres(demo.pgPort(), DATABASES), "every database is the point's");
        assertTrue(report.path("downtimeMs").asLong() < report.path("totalMs").asLong(), report.toString());
        List<String> kept = new java.util.ArrayList<>();
        report.path("keptAside").forEach(k -> kept.add(k.path("kind").asText() + " " + k.path("item").asText()));
        assertEquals(DATABASES.size() + 3, kept.size(), "the three databases, the volume, the config directory and Redis's"
                + " data: " + kept);
        // Redis runs with AOF on: the AOF the twin wrote from the point's RDB is what it serves, and keeps across a restart
        for (int start = 0; start < 2; start++) {
            try (Resp redis = new Resp(demo.redisPort())) {
                assertEquals(cartAtBackup, String.valueOf(redis.call("DBSIZE")), "Redis holds the point's keys");
                assertEquals(null, redis.call("GET", "lifeboat:after-the-point"));
                assertTrue(new String((byte[]) redis.call("INFO", "persistence"), java.nio.charset.StandardCharsets.UTF_8)
                        .contains("aof_enabled:1"));
            }
            if (start == 0) {
                Rig.docker("restart", demo.name() + "-cache");
                Rig.awaitRedis(demo.redisPort());
            }
        }
        // the replaced databases are on the server, closed to connections, and hold what was live
        String shopKept = null;
        for (var k : report.path("keptAside")) {
            if (k.path("description").asText().startsWith("database shop ")) {
                shopKept = k.path("item").asText();
            }
        }
        assertTrue(databases().contains(shopKept + " (closed)"), databases().toString());
        String keptName = shopKept;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/postgres", "postgres", "")) {
            c.createStatement().execute("ALTER DATABASE " + keptName + " ALLOW_CONNECTIONS true");
        }
        Map<String, String> inCopy = new java.util.TreeMap<>();
        StackFingerprint.postgres(demo.pgPort(), List.of(keptName)).forEach((key, value) -> {
            if (key.startsWith(keptName + ".")) {
                inCopy.put(key.substring(keptName.length() + 1), value);
            }
        });
        Map<String, String> expected = new java.util.TreeMap<>();
        replaced.forEach((key, value) -> {
            if (key.startsWith("shop.")) {
                expected.put(key.substring("shop.".length()), value);
            }
        });
        assertTrue(expected.size() > 5, expected.toString());
        assertEquals(expected, inCopy, "the kept database is the live one as it was");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/postgres", "postgres", "")) {
            c.createStatement().execute("ALTER DATABASE " + keptName + " ALLOW_CONNECTIONS false");
        }

        // backups hold the app's databases only
        String next = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        var manifest = ManifestCodec.mapper().readTree(demo.pointDir(next).resolve("manifest.json").toFile());
        assertTrue(!manifest.toString().contains("lifeboat_safety_"), "no kept database in the next backup");

        for (var k : report.path("keptAside")) {
            demo.run("safety", "release", k.path("id").asText()).ok();
        }
        assertTrue(databases().stream().noneMatch(d -> d.startsWith("lifeboat_")), databases().toString());
        assertEquals(List.of(), StackFingerprint.keptAside(demo.name() + "_uploads"));
    }

    @Test
    @Order(9)
    void aDatabaseWithSeveralTablesIsRestoredByParallelJobsFromASpooledDumpThatIsRemovedAfter() throws Exception {
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        Map<String, String> atBackup = StackFingerprint.postgres(demo.pgPort(), List.of("shop"));
        sql("shop", "DELETE FROM orders WHERE id > 900", "UPDATE customers SET name = 'changed after the point' WHERE id < 10");
        var report = ManifestCodec.mapper().readTree(demo.run("restore", pointId, "--only", "postgres:shop", "--json").ok().out());
        assertEquals(atBackup, StackFingerprint.postgres(demo.pgPort(), List.of("shop")), "the database is the point's");
        String beside = null;
        for (var phase : report.path("phases")) {
            if (phase.path("name").asText().equals("beside")) {
                beside = phase.path("detail").asText();
            }
        }
        // the server's cores (its container sees this machine's), for as many tables as the dump has
        long tables = count("shop", "information_schema.tables WHERE table_schema = 'public'");
        long jobs = Math.min(Runtime.getRuntime().availableProcessors(), tables);
        assertTrue(jobs < 2 ? beside != null && !beside.contains("pg_restore -j") : beside != null
                && beside.contains("shop (pg_restore -j " + jobs + ")"), "beside: " + beside);
        assertTrue(beside.contains("dumps sent compressed, decompressed by zstd in the container"), "the fixture has zstd, as"
                + " the official postgres image does (ADR 28): " + beside);
        String dataDir = Rig.docker("exec", demo.name() + "-db", "sh", "-c", "ls -a \"${PGDATA:-/var/lib/postgresql/data}\"");
        assertTrue(dataDir.lines().noneMatch(l -> l.endsWith(".dump")), "the spooled dump is removed:\n" + dataDir);
        for (var k : report.path("keptAside")) {
            demo.run("safety", "release", k.path("id").asText()).ok();
        }
    }

    @Test
    @Order(10)
    void aServerWithoutZstdGetsItsDumpDecompressedAndRestoresTheSame() throws Exception {
        String db = demo.name() + "-db";
        String zstd = Rig.docker("exec", db, "sh", "-c", "command -v zstd").trim();
        assertTrue(zstd.startsWith("/"), "the fixture has zstd: " + zstd);
        Rig.docker("exec", db, "mv", zstd, zstd + ".lifeboat-test");
        try {
            String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
            Map<String, String> atBackup = StackFingerprint.postgres(demo.pgPort(), DATABASES);
            sql("shop", "DELETE FROM orders WHERE id > 800");
            var report = ManifestCodec.mapper().readTree(demo.run("restore", pointId, "--only", "postgres", "--json").ok().out());
            assertEquals(atBackup, StackFingerprint.postgres(demo.pgPort(), DATABASES), "the databases are the point's");
            String beside = "";
            for (var phase : report.path("phases")) {
                if (phase.path("name").asText().equals("beside")) {
                    beside = phase.path("detail").asText();
                }
            }
            assertTrue(beside.contains("dumps sent decompressed (no zstd in the container)"), beside);
            for (var k : report.path("keptAside")) {
                demo.run("safety", "release", k.path("id").asText()).ok();
            }
        } finally {
            Rig.docker("exec", db, "mv", zstd + ".lifeboat-test", zstd);
        }
    }

    @Test
    @Order(8)
    void aPreviewNamesTheTablesWithBothRowCountsAndTheFilesThatChangeAndChangesNothing() throws Exception {
        Rig.docker("exec", demo.name() + "-app", "sh", "-c", "mkdir -p /srv/uploads/preview && echo one > /srv/uploads/preview/a.txt"
                + " && echo two > /srv/uploads/preview/b.txt");
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        long orders = count("shop", "orders");
        long customers = count("shop", "customers");
        sql("shop", "DELETE FROM orders WHERE id IN (SELECT id FROM orders WHERE id > 500 ORDER BY id LIMIT 7)",
                "INSERT INTO customers(email, name, profile) VALUES ('preview@example.org', 'Preview', '{}')");
        Rig.docker("exec", demo.name() + "-app", "sh", "-c", "echo changed > /srv/uploads/preview/a.txt"
                + " && rm /srv/uploads/preview/b.txt && echo new > /srv/uploads/preview/c.txt");
        Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String uploadsBefore = StackFingerprint.volume(demo.name() + "_uploads");

        var p = ManifestCodec.mapper().readTree(demo.run("restore", pointId, "--preview", "--json").ok().out());
        Map<String, List<String>> tables = new java.util.HashMap<>();
        Map<String, String> files = new java.util.HashMap<>();
        for (var section : p.path("sections")) {
            for (var row : section.path("rows")) {
                if (section.path("kind").asText().equals("postgres")) {
                    tables.put(row.get(0).asText(), List.of(row.get(1).asText(), row.get(2).asText(), row.get(3).asText()));
                } else if (section.path("kind").asText().equals("volume")) {
                    files.put(row.get(0).asText(), row.get(1).asText());
                }
            }
        }
        java.util.function.LongFunction<String> n = v -> String.format(java.util.Locale.ROOT, "%,d", v);
        assertEquals(List.of(n.apply(orders - 7), n.apply(orders), "changes"), tables.get("shop.public.orders"));
        assertEquals(List.of(n.apply(customers + 1), n.apply(customers), "changes"), tables.get("shop.public.customers"));
        assertEquals("same", tables.get("analytics.public.events").get(2), tables.toString());
        assertEquals(Map.of("preview/a.txt", "changed", "preview/b.txt", "brought back", "preview/c.txt", "removed"), files);
        String summary = p.path("summary").asText();
        assertTrue(summary.startsWith("Overwrites 3 databases, 1 volume and 1 config directory: 2 tables and 3 files change."), summary);

        String text = demo.run("restore", pointId, "--preview").ok().out();
        assertTrue(text.contains("shop.public.orders  " + n.apply(orders - 7) + "  " + n.apply(orders)) && text.contains("Nothing has"
                + " been changed"), text);
        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), DATABASES), "a preview changes nothing");
        assertEquals(uploadsBefore, StackFingerprint.volume(demo.name() + "_uploads"));
    }
}
