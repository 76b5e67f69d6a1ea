package dev.lifeboat.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.WalFile;
import dev.lifeboat.core.storage.ManifestCodec;
import dev.lifeboat.core.storage.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuous WAL shipping (ADR 24) on the real rig: PostgreSQL 15 in a container, written to at about
 * 50 rows a second, ships its WAL through the pipeline to a local destination with the lag bounded;
 * a restart of the database container and a dropped replication connection leave no gap, which
 * pg_waldump confirms by reading the shipped WAL from the first file to the last.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class PitrIT {
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;
    private String asset;

    @BeforeAll
    void demoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("pitr"), false);
        asset = "postgres:" + demo.name() + "-db";
    }

    @AfterAll
    void removeDemoStack() {
        if (demo != null) {
            Rig.removeByLabel(demo.name());
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void walShipsUnderLoadWithBoundedLagAndNoGapAcrossARestartAndADroppedConnection() throws Exception {
        String enabled = demo.run("pitr", "enable", demo.stack(), "--to", "disk", "--switch-every", "5").ok().out();
        assertTrue(enabled.contains(asset + ": WAL ships to disk through replication slot lifeboat_")
                && enabled.contains("without a restart"), enabled);

        writeFor(12); // steady load while the agent's passes ship
        // a backup of a stack that ships its WAL also takes a physical base backup, which verify reads as such
        String point = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        String verified = demo.run("verify", point).ok().out();
        assertTrue(verified.contains("base backup tar") && verified.contains("backup_label and pg_control present"), verified);
        Rig.docker("restart", demo.name() + "-db"); // the database container restarts: its receiver dies with it
        awaitDatabase();
        writeFor(8);
        try (Connection c = connect()) { // the replication connection drops (the receiver's walsender is ended)
            c.createStatement().execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                    + " WHERE slot_name LIKE 'lifeboat_%' AND active_pid IS NOT NULL");
        }
        writeFor(8);
        assertTrue(maxLag >= 0 && maxLag <= 60, "lag under load, as pitr status measured it: " + maxLag + " s");

        // quiet now: within the switch interval the open segment is closed and shipped too
        long lagSeconds = -1;
        for (int i = 0; i < 20 && lagSeconds < 0; i++) {
            demo.run("pitr", "ship", demo.stack()).ok();
            JsonNode s = ManifestCodec.mapper().readTree(demo.run("pitr", "status", demo.stack(), "--json").ok().out()).get(0);
            if (s.get("receiving").asBoolean() && s.get("lagSeconds").asLong() == 0) {
                lagSeconds = s.get("lagSeconds").asLong();
            }
            Thread.sleep(1000);
        }
        assertEquals(0, lagSeconds, "within the switch interval after the load stops, everything written is shipped");

        List<WalFile> files;
        try (AppContext app = new AppContext(demo.home())) {
            files = app.history().pitr().files("local", demo.name(), asset, "disk");
            assertTrue(files.size() >= 4, "segments switched every 5 s under load: " + files.size());
            List<Long> numbers = files.stream().filter(f -> !f.name().endsWith(".history")).map(f -> WalFile.position(f.name())).toList();
            for (int i = 1; i < numbers.size(); i++) {
                assertEquals(numbers.get(i - 1) + 1, numbers.get(i), "no WAL gap: " + files.stream().map(WalFile::name).toList());
            }
            // every file at the destination reads back through the pipeline with the hashes recorded
            Path plain = tmp.resolve("wal-plain");
            Files.createDirectories(plain);
            try (Repository repo = app.repositories().open("disk")) {
                var archive = repo.destination().wal("local", demo.name(), demo.name() + "-db");
                assertEquals(files.stream().map(f -> f.name() + ".lbe").sorted().toList(), archive.list());
                for (WalFile f : files) {
                    try (InputStream in = repo.pipeline().reader(archive.open(f.name() + ".lbe"), f.name(), f.storedSha256(),
                            f.plainSha256()); OutputStream out = Files.newOutputStream(plain.resolve(f.name()))) {
                        assertEquals(16L * 1024 * 1024, in.transferTo(out), f.name());
                    }
                }
            }
            // pg_waldump reads every record from the first shipped segment to the start of the last one
            String first = files.get(0).name();
            String last = files.get(files.size() - 1).name();
            String out = Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                    plain + ":/w:ro", Rig.IMAGE, "/usr/lib/postgresql/15/bin/pg_waldump", "--stats", "-p", "/w",
                    "-s", lsn(first), "-e", lsn(last));
            assertTrue(out.contains("Total"), out);
        }
        String status = demo.run("pitr", "status", demo.stack()).ok().out();
        assertTrue(status.contains(asset + " to disk: receiving; newest 0000000"), status);
        assertTrue(status.contains("restorable to any moment from "), "the base backup and the WAL after it: " + status);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aRestoreToAMomentBeforeATableWasDroppedBringsBackExactlyTheRowsCommittedBeforeIt() throws Exception {
        demo.run("backup", demo.stack(), "--to", "disk", "-q").ok(); // a fresh base backup under shipping
        writeFor(6);
        java.time.Instant target = java.time.Instant.now().plusMillis(750) // in the quiet second between two loads
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Thread.sleep(1500);
        writeFor(3); // committed after the moment: must not come back
        String[] atTarget;
        try (Connection c = connect()) {
            atTarget = rows(c, "WHERE at < '" + target + "'");
            String after = rows(c, "WHERE at > '" + target + "'")[0];
            assertTrue(Long.parseLong(after) > 0, "rows were committed after the moment");
            c.createStatement().execute("DROP TABLE pitr_load"); // the mistake
        }
        String moment = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxxx")
                .withZone(java.time.ZoneOffset.UTC).format(target);
        String out = demo.run("restore", demo.stack(), "--postgres", demo.name() + "-db", "--to-time", moment, "-q").ok().out();
        assertTrue(out.contains("Restored " + asset + " of " + demo.stack() + " to " + target), out);
        String safety = out.replaceAll("(?s).*\\(safety point ([^)]+)\\).*", "$1").trim();
        assertTrue(demo.run("points", demo.stack()).ok().out().lines().anyMatch(l -> l.startsWith(safety + " ")
                && l.contains(" safety ")), "what the restore replaced is kept as safety point " + safety);
        try (Connection c = connect()) {
            String[] back = rows(c, "");
            assertEquals(List.of(atTarget), List.of(back), "every row committed before the moment, and none after");
        }
        demo.run("pitr", "ship", demo.stack()).ok(); // shipping resumed on the new timeline
        String status = demo.run("pitr", "status", demo.stack()).ok().out();
        assertTrue(status.contains("receiving"), status);
        try (AppContext app = new AppContext(demo.home())) { // the timeline's WAL band covers the moment restored to
            var timeline = new dev.lifeboat.core.status.StackStatusService(app.history(), java.time.Clock.systemUTC())
                    .timeline("local", demo.name(), target.minusSeconds(3600), java.time.Instant.now(), java.time.ZoneOffset.UTC);
            assertEquals(List.of(asset), timeline.wal().stream().map(dev.lifeboat.core.pitr.Coverage::asset).toList());
            assertTrue(timeline.wal().get(0).covers(target), timeline.wal().toString());
        }
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void pruneRemovesTheWalOlderThanTheOldestKeptBaseBackupAndKeepsWhatRollsItForward() throws Exception {
        List<String> before;
        String keptStart;
        String keptPoint;
        try (AppContext app = new AppContext(demo.home())) {
            before = app.history().pitr().files("local", demo.name(), asset, "disk").stream().map(WalFile::name).toList();
            RecoveryPointView newest = newestBase(app);
            keptStart = newest.startWal();
            keptPoint = newest.id();
        }
        assertTrue(before.stream().anyMatch(n -> !n.endsWith(".history") && n.substring(8).compareTo(keptStart.substring(8)) < 0),
                "WAL older than the newest base backup was shipped: " + before);
        // one point per hour: the newest base backup stays, the older one goes, and the WAL before it with it
        demo.run("prune", demo.stack(), "--to", "disk", "--keep-hourly", "1", "--keep-daily", "0", "--keep-weekly", "0",
                "--keep-monthly", "0").ok();
        try (AppContext app = new AppContext(demo.home()); Repository repo = app.repositories().open("disk")) {
            List<String> after = app.history().pitr().files("local", demo.name(), asset, "disk").stream().map(WalFile::name).toList();
            assertTrue(after.stream().filter(n -> !n.endsWith(".history")).allMatch(n -> n.substring(8).compareTo(keptStart.substring(8)) >= 0),
                    "nothing older than " + keptStart + " is left: " + after);
            assertTrue(after.contains(keptStart), "the kept base backup's first segment stays: " + after);
            assertEquals(after.stream().filter(n -> !n.endsWith(".history")).count(),
                    before.stream().filter(n -> !n.endsWith(".history") && n.substring(8).compareTo(keptStart.substring(8)) >= 0).count(),
                    "every segment from the kept base backup on stays");
            assertEquals(after.stream().map(n -> n + ".lbe").sorted().toList(),
                    repo.destination().wal("local", demo.name(), demo.name() + "-db").list(), "the destination holds what the history lists");
        }
        // the oldest kept base backup still rolls forward through what prune kept, to the newest moment
        String[] now;
        try (Connection c = connect()) {
            now = rows(c, "");
        }
        String out = demo.run("restore", demo.stack(), "--postgres", demo.name() + "-db", "--to-time", "latest", "-q").ok().out();
        assertTrue(out.contains("from base backup " + keptPoint + " "), out);
        try (Connection c = connect()) {
            assertEquals(List.of(now), List.of(rows(c, "")), "every row, after a prune, from the oldest kept base backup");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void walWaitingLongerThanTheAlertLagRaisesAnAlertThatResolvesOnceShipped() throws Exception {
        demo.run("pitr", "enable", demo.stack(), "--to", "disk", "--switch-every", "5", "--alert-lag", "5").ok();
        Thread writer = new Thread(() -> {
            try {
                writeFor(9, false); // the server writes; no shipping pass runs after the first
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Thread.sleep(500);
        demo.run("pitr", "ship", demo.stack()).ok(); // sees WAL waiting, and from when
        writer.join();
        java.time.Instant wroteUntil = java.time.Instant.now();
        demo.run("alert", "evaluate").ok();
        String alerts = demo.run("alert", "list").ok().out();
        assertTrue(alerts.contains("WAL of " + asset + " lags"), alerts);

        for (int i = 0; i < 20; i++) { // the agent is back: it switches, ships, and catches up
            demo.run("pitr", "ship", demo.stack()).ok();
            if (ManifestCodec.mapper().readTree(demo.run("pitr", "status", demo.stack(), "--json").ok().out()).get(0)
                    .get("lagSeconds").asLong() == 0) {
                break;
            }
            Thread.sleep(1000);
        }
        demo.run("pitr", "ship", demo.stack()).ok(); // a pass that finds nothing waiting
        demo.run("alert", "evaluate").ok();
        String alerts2 = demo.run("alert", "list").ok().out();
        assertTrue(!alerts2.contains("WAL of " + asset + " lags"), "resolved once shipped");
        // the agent's absence left no gap: every moment from the kept base backup to now is restorable
        assertTrue(!alerts2.contains("has a gap"), alerts2);
        try (AppContext app = new AppContext(demo.home())) {
            var coverage = dev.lifeboat.core.pitr.Coverage.of(app.history().pitr(), app.history().pitr().of("local", demo.name()).get(0));
            assertEquals(List.of(), coverage.gaps());
            assertTrue(coverage.newest().orElseThrow().isAfter(wroteUntil), "the WAL written while no agent ran is restorable: "
                    + coverage);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void aSandboxDrillToTheMomentATableWasDroppedRecoversItAndMeasuresTheRpoItAchieved() throws Exception {
        demo.run("backup", demo.stack(), "--to", "disk", "-q").ok(); // a base backup on the current timeline
        writeFor(6);
        String[] beforeDrop;
        java.time.Instant droppedAt;
        try (Connection c = connect()) {
            beforeDrop = rows(c, "");
            try (var rs = c.createStatement().executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                droppedAt = rs.getTimestamp(1).toInstant();
            }
            c.createStatement().execute("DROP TABLE pitr_load"); // the mistake, in production
        }
        String moment = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
                .withZone(java.time.ZoneOffset.UTC).format(droppedAt);
        String out = demo.run("drill", demo.stack(), "--scenario", "table-dropped", "--table", "shop.pitr_load",
                "--to-time", moment, "--json").ok().out();
        JsonNode drill = ManifestCodec.mapper().readTree(out);
        assertTrue(drill.get("ok").asBoolean(), out);
        assertEquals("sandbox", drill.get("mode").asText());
        long rpoMs = drill.get("rpoMs").asLong();
        assertTrue(rpoMs >= 0 && rpoMs <= 60_000, "the RPO the drill measured: " + rpoMs + " ms");
        java.time.Instant newest = java.time.Instant.parse(drill.get("pointTakenAt").asText());
        assertEquals(java.time.Duration.between(newest, droppedAt).toMillis(), rpoMs,
                "RPO: from the newest transaction recovered to the damage");
        List<String> checks = new ArrayList<>();
        drill.get("checks").forEach(ch -> checks.add(ch.get("name").asText() + ": " + ch.get("detail").asText()));
        assertTrue(checks.contains("table shop.pitr_load: back, with " + beforeDrop[0] + " rows"), checks.toString());
        assertTrue(Rig.sandboxObjects(demo.home()).isEmpty(), "the sandbox is gone");
        try (Connection c = connect(); var rs = c.createStatement().executeQuery("SELECT to_regclass('pitr_load')")) {
            rs.next();
            assertEquals(null, rs.getString(1), "production was not touched: the table is still dropped there");
        }
        String history = demo.run("history").ok().out();
        assertTrue(history.contains("table-dropped drill passed"), history);

        // a restore test can target the moment too, with the same evidence
        String test = demo.run("verify", demo.stack(), "--restore-test", "--to-time", moment, "--table", "shop.pitr_load").ok().out();
        assertTrue(test.contains("table shop.pitr_load") && test.contains("back, with " + beforeDrop[0] + " rows")
                && test.contains("Restore test of " + demo.stack() + " to " + moment + " (base backup "), test);
        assertTrue(Rig.sandboxObjects(demo.home()).isEmpty(), "the sandbox is gone");
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void aRestoreToAMomentThatFailsPutsTheDataItWasReplacingBackAsItWas() throws Exception {
        writeFor(4); // the table is back in production, with rows
        String[] before;
        try (Connection c = connect()) {
            before = rows(c, "");
        }
        String missing;
        try (AppContext app = new AppContext(demo.home())) {
            missing = newestBase(app).startWal();
        }
        // the WAL the base backup starts with is gone from the destination (the history still lists it)
        Path walFile = demo.dest().resolve("local").resolve(demo.name()).resolve("wal").resolve(demo.name() + "-db")
                .resolve(missing + ".lbe");
        assertTrue(Files.exists(walFile), walFile.toString());
        Files.delete(walFile);

        Rig.Result r = demo.run("restore", demo.stack(), "--postgres", demo.name() + "-db", "--to-time", "latest", "-q");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("Rolled back: PostgreSQL in " + demo.name() + "-db runs on the data it had before")
                && r.err().contains(missing), r.err());
        try (Connection c = connect()) {
            assertEquals(List.of(before), List.of(rows(c, "")), "every row as before the failed restore");
        }
        String left = Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                demo.name() + "_pgdata:/v:ro", Rig.IMAGE, "ls", "-a", "/v");
        assertTrue(left.contains("PG_VERSION") && !left.contains(".lifeboat-"), "nothing set aside is left: " + left);
        String status = demo.run("pitr", "status", demo.stack()).ok().out();
        assertTrue(status.contains("receiving"), "shipping resumed: " + status);
    }

    @Test
    @org.junit.jupiter.api.Order(7)
    void settingDataAsideMovesLinksAsLinksAndRefusesADirectoryThatIsALink() throws Exception {
        String volume = demo.name() + "_aside";
        Rig.docker("volume", "create", "--label", "lifeboat.demo=" + demo.name(), volume);
        Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v", volume + ":/v", Rig.IMAGE,
                "sh", "-c", "mkdir -p /v/data/base && echo row > /v/data/base/1 && echo x > /v/data/.hidden"
                        + " && ln -s /etc /v/data/etc-link && ln -s /etc /v/evil");
        try (AppContext app = new AppContext(demo.home());
             var docker = app.connector().apply(app.history().hosts().require("local"))) {
            docker.moveWithinVolume(Rig.IMAGE, java.util.Map.of("lifeboat.demo", demo.name()), volume, "data", ".aside", List.of());
            String after = Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                    volume + ":/v:ro", Rig.IMAGE, "sh", "-c", "ls -A /v/data; echo ---; ls -A /v/.aside; echo ---;"
                            + " readlink /v/.aside/etc-link; cat /v/.aside/base/1");
            assertEquals("---\n.hidden\nbase\netc-link\n---\n/etc\nrow", after.trim(),
                    "every entry moved, hidden ones too, the link as a link");
            var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.lifeboat.core.HostException.class, () ->
                    docker.moveWithinVolume(Rig.IMAGE, java.util.Map.of("lifeboat.demo", demo.name()), volume, "evil", ".aside2",
                            List.of()));
            assertTrue(refused.getMessage().contains("evil is a link"), refused.getMessage()); // the helper says why
            String etc = Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                    volume + ":/v:ro", Rig.IMAGE, "sh", "-c", "ls -A /v; test -e /v/.aside2 && echo made || echo none");
            assertTrue(etc.contains("none") && etc.contains("evil"), "nothing was made or moved through the link: " + etc);
        } finally {
            Rig.docker("volume", "rm", volume);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(8)
    void swappingFilesInRenamesEachNameAndRefusesADirectoryReachedThroughALink() throws Exception {
        String volume = demo.name() + "_swap";
        Rig.docker("volume", "create", "--label", "lifeboat.demo=" + demo.name(), volume);
        Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v", volume + ":/v", Rig.IMAGE,
                "sh", "-c", "mkdir -p /v/real/appendonlydir /v/.lifeboat-new-a/appendonlydir /v/.lifeboat-new-b"
                        + " && echo live > /v/real/dump.rdb && echo live-aof > /v/real/appendonlydir/base"
                        + " && echo point > /v/.lifeboat-new-a/dump.rdb && echo point-aof > /v/.lifeboat-new-a/appendonlydir/base"
                        + " && echo other > /v/.lifeboat-new-b/dump.rdb && ln -s real /v/linked");
        var labels = java.util.Map.of("lifeboat.demo", demo.name());
        try (AppContext app = new AppContext(demo.home());
             var docker = app.connector().apply(app.history().hosts().require("local"))) {
            var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.lifeboat.core.HostException.class, () ->
                    docker.swapFilesWithinVolume(Rig.IMAGE, labels, volume, "linked", List.of("dump.rdb"), ".lifeboat-new-b",
                            ".lifeboat-replaced-b"));
            assertTrue(refused.getMessage().contains("through a link"), refused.getMessage()); // the helper says why
            docker.swapFilesWithinVolume(Rig.IMAGE, labels, volume, "real", List.of("dump.rdb", "appendonlydir"), ".lifeboat-new-a",
                    ".lifeboat-replaced-a");
            String after = Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                    volume + ":/v:ro", Rig.IMAGE, "sh", "-c", "cat /v/real/dump.rdb /v/real/appendonlydir/base"
                            + " /v/.lifeboat-replaced-a/dump.rdb /v/.lifeboat-replaced-a/appendonlydir/base /v/.lifeboat-new-b/dump.rdb;"
                            + " ls -A /v");
            assertEquals("point\npoint-aof\nlive\nlive-aof\nother\n.lifeboat-new-b\n.lifeboat-replaced-a\nlinked\nreal",
                    after.trim(), "each name swapped by rename, the staged directory gone, nothing done through the link");
        } finally {
            Rig.docker("volume", "rm", volume);
        }
    }

    private record RecoveryPointView(String id, String startWal) {
    }

    /** The newest genuine point of the stack with a base backup of the asset, and the segment its WAL starts at. */
    private RecoveryPointView newestBase(AppContext app) {
        var points = app.history().points().of("local", demo.name()).stream().filter(p -> !p.isSafety())
                .sorted(java.util.Comparator.comparing(dev.lifeboat.core.model.RecoveryPoint::createdAt).reversed()).toList();
        for (var p : points) {
            try (var located = new dev.lifeboat.core.storage.PointLocator(app.repositories()).locate(p.id())) {
                for (var a : located.manifest().assets()) {
                    if (a.name().equals(asset) && a.details() != null && a.details().get("baseStartWal") != null) {
                        return new RecoveryPointView(p.id(), a.details().get("baseStartWal"));
                    }
                }
            }
        }
        throw new AssertionError("no base backup");
    }

    /** Row count and the md5 of all rows in id order, of shop.pitr_load {@code where}. */
    static String[] rows(Connection c, String where) throws Exception {
        try (var rs = c.createStatement().executeQuery("SELECT count(*), coalesce(md5(string_agg(id || ':' || at || ':' || note,"
                + " ',' ORDER BY id)), '') FROM pitr_load " + where)) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    private long maxLag = -1;

    /**
     * Inserts about 50 rows a second into shop.pitr_load for {@code seconds}, shipping every 2 s as the agent
     * would, and keeps the largest lag {@code pitr status} reports meanwhile.
     */
    private void writeFor(int seconds) throws Exception {
        writeFor(seconds, true);
    }

    /** As {@link #writeFor(int)}; without {@code ship}, no shipping pass runs meanwhile (an agent that stopped). */
    private void writeFor(int seconds, boolean ship) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong rows = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection c = connect()) {
                c.createStatement().execute("CREATE TABLE IF NOT EXISTS pitr_load (id bigserial PRIMARY KEY, at timestamptz"
                        + " NOT NULL DEFAULT clock_timestamp(), note text NOT NULL)");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO pitr_load(note) VALUES (?)")) {
                    while (!stop.get()) {
                        ps.setString(1, "order " + rows.incrementAndGet() + " " + "x".repeat(200));
                        ps.executeUpdate();
                        Thread.sleep(20);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            if (ship) {
                demo.run("pitr", "ship", demo.stack()).ok();
                JsonNode status = ManifestCodec.mapper().readTree(demo.run("pitr", "status", demo.stack(), "--json").out()).get(0);
                maxLag = Math.max(maxLag, status.get("lagSeconds").asLong());
            }
            Thread.sleep(2000);
        }
        stop.set(true);
        writer.join();
        assertTrue(rows.get() > seconds * 20L, "the load wrote " + rows.get() + " rows");
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "");
    }

    private void awaitDatabase() throws Exception {
        for (int i = 0; i < 120; i++) {
            try (Connection c = connect()) {
                c.createStatement().execute("SELECT 1");
                return;
            } catch (Exception notYet) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the database did not come back after its restart");
    }

    /** The LSN a 16 MiB segment starts at. */
    private static String lsn(String name) {
        return Long.toHexString(Long.parseLong(name.substring(8, 16), 16)).toUpperCase() + "/"
                + Long.toHexString(Long.parseLong(name.substring(16, 24), 16) << 24).toUpperCase();
    }
}
