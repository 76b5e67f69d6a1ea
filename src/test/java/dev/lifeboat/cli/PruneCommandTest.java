package dev.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.core.storage.ManifestCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end over a generated 400-day history of points in a local destination. */
class PruneCommandTest {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    @TempDir
    Path tmp;
    private Path home;
    private Path stackDir;
    private final List<String> ids = new ArrayList<>();

    private String[] run(String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return new String[] {out.toString(), err.toString()};
    }

    @BeforeEach
    void fourHundredDaysOfBackupsThreeTimesADay() throws IOException {
        home = tmp.resolve("home");
        run("key", "generate", tmp.resolve("k").toString());
        run("dest", "add", "disk", "--dir", tmp.resolve("dest").toString(), "--key-file", tmp.resolve("k").toString());
        stackDir = tmp.resolve("dest/db1/shop");
        Instant start = Instant.parse("2025-10-17T00:00:00Z");
        for (int day = 0; day < 400; day++) {
            for (int hour : new int[] {0, 8, 16}) {
                String id = ID.format(start.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour))) + "-abc123";
                dev.lifeboat.core.storage.TestPoints.write(tmp.resolve("dest"), tmp.resolve("k"), "db1", "shop", id);
                ids.add(id);
            }
        }
    }

    private Set<String> onDisk() throws IOException {
        try (Stream<Path> s = Files.list(stackDir)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void dryRunShowsWhatGoesAndDeletesNothingThenPruneKeepsExactlyThat() throws IOException {
        String json = run("prune", "db1/shop", "--to", "disk", "--zone", "UTC", "--dry-run", "--json")[0];
        JsonNode entries = ManifestCodec.mapper().readTree(json);
        assertEquals(1200, entries.size());
        assertEquals(1200, onDisk().size(), "a dry run deletes nothing");

        Set<String> keep = new TreeSet<>();
        for (JsonNode e : entries) {
            if (e.get("keep").asBoolean()) {
                keep.add(e.get("pointId").asText());
            }
            assertFalse(e.get("deleted").asBoolean());
        }
        String newest = ids.get(ids.size() - 1); // 2026-11-20 16:00
        assertTrue(keep.contains(newest));
        assertTrue(keep.contains("20261114T160000Z-abc123"), "7th daily");
        assertFalse(keep.contains("20261113T160000Z-abc123"), "8th day is past the dailies and not a week's last");
        assertTrue(keep.contains("20261108T160000Z-abc123"), "a Sunday: newest of its ISO week");
        assertTrue(keep.contains("20251231T160000Z-abc123"), "12th monthly");
        assertFalse(keep.contains("20251130T160000Z-abc123"), "13th month is past the monthlies");
        assertFalse(keep.contains("20261120T080000Z-abc123"), "only the newest of a day is its daily");
        assertTrue(keep.size() <= 7 + 4 + 12);

        String report = run("prune", "db1/shop", "--to", "disk", "--zone", "UTC")[0];
        assertTrue(report.contains("Deleted " + (1200 - keep.size()) + " of 1200 points"), report);
        assertEquals(keep, onDisk(), "exactly the dry run's keep list is left");

        String again = run("prune", "db1/shop", "--to", "disk", "--zone", "UTC", "--dry-run")[0];
        assertTrue(again.contains("Would delete 0 of " + keep.size()), again);
    }

    private void record(dev.lifeboat.core.history.HistoryStore h, String id, String kind) throws IOException {
        byte[] manifest = Files.readAllBytes(stackDir.resolve(id).resolve("manifest.json"));
        h.points().record(new dev.lifeboat.core.model.RecoveryPoint(id, "db1", "shop", "disk",
                dev.lifeboat.core.model.PointIds.startedAt(id).orElseThrow(), stackDir.resolve(id).toString(), 1000, kind),
                dev.lifeboat.core.storage.Repository.sha256(manifest));
    }

    @Test
    void heldPointsOutliveRetentionUntilReleasedAndAnAlertHoldsItsSuspectAndThePointBeforeIt() throws IOException {
        String old = ids.get(5);          // October 2025: past every slot
        String before = ids.get(29);
        String suspect = ids.get(30);
        String untouched = ids.get(40);
        try (var h = dev.lifeboat.core.history.HistoryStore.open(home)) {
            for (String id : List.of(old, before, suspect, untouched)) {
                record(h, id, "backup");
            }
        }
        run("points", "hold", old, "--reason", "legal hold");
        try (var h = dev.lifeboat.core.history.HistoryStore.open(home)) {
            h.alerts().raise(new dev.lifeboat.core.model.Finding("size:" + suspect, "size-anomaly", "db1", "shop",
                    "Backup of db1/shop is +300% against the 7-day average", "m", false, suspect));
        }
        String held = run("points", "held")[0];
        assertTrue(held.contains(old) && held.contains("legal hold") && held.contains(suspect) && held.contains(before)
                && held.contains("the last point before suspicious point " + suspect) && !held.contains(untouched), held);

        String report = run("prune", "db1/shop", "--to", "disk", "--zone", "UTC")[0];
        Set<String> left = onDisk();
        assertTrue(left.containsAll(List.of(old, before, suspect)), "held points survive prune");
        assertFalse(left.contains(untouched), "a point nobody held is pruned as usual");
        assertTrue(report.lines().anyMatch(l -> l.contains(old) && l.contains("held (legal hold) until released")), report);

        for (String id : List.of(old, before, suspect)) {
            run("points", "release", id);
        }
        assertEquals("", run("points", "held")[0].strip());
        run("prune", "db1/shop", "--to", "disk", "--zone", "UTC");
        assertTrue(java.util.Collections.disjoint(onDisk(), List.of(old, before, suspect)), "released points go");
    }

    @Test
    void safetyPointsHaveTheirOwnRetentionPerStackAndNeverTakeAScheduledPointsSlot() throws IOException {
        Set<String> scheduledKept = new TreeSet<>();
        for (JsonNode e : ManifestCodec.mapper().readTree(run("prune", "db1/shop", "--to", "disk", "--zone", "UTC",
                "--dry-run", "--json")[0])) {
            if (e.get("keep").asBoolean()) {
                scheduledKept.add(e.get("pointId").asText());
            }
        }
        Instant now = Instant.now();
        List<String> safety = new ArrayList<>();
        for (int daysAgo : new int[] {2, 5, 20}) { // newer than every scheduled point: they would take its daily slots
            String id = ID.format(now.minus(Duration.ofDays(daysAgo))) + "-safe" + daysAgo;
            dev.lifeboat.core.storage.TestPoints.write(tmp.resolve("dest"), tmp.resolve("k"), "db1", "shop", id);
            safety.add(id);
        }
        try (var h = dev.lifeboat.core.history.HistoryStore.open(home)) {
            for (String id : safety) {
                record(h, id, "safety");
            }
        }
        run("prune", "db1/shop", "--to", "disk", "--zone", "UTC");
        Set<String> left = onDisk();
        assertTrue(left.containsAll(scheduledKept), "no scheduled point lost its slot to a safety point");
        assertTrue(left.containsAll(safety.subList(0, 2)) && !left.contains(safety.get(2)), "default: safety points kept 14 days");

        assertTrue(run("stack", "set", "db1/shop", "--keep-safety", "3d")[0].contains("safety points kept 3d"));
        run("prune", "db1/shop", "--to", "disk", "--zone", "UTC");
        left = onDisk();
        assertTrue(left.contains(safety.get(0)) && !left.contains(safety.get(1)), "3 days for this stack: " + left);
        assertTrue(left.containsAll(scheduledKept));
    }

    @Test
    void anAppendOnlyDestinationIsNeverPrunedButFromItsOwnerMachine() throws Exception {
        String added = run("dest", "add", "vault", "--dir", tmp.resolve("dest").toString(), "--key-file",
                tmp.resolve("k").toString(), "--append-only", "--owner", "backup-owner")[0];
        assertTrue(added.contains("append-only, pruned only from backup-owner"), added);
        String report = run("prune", "db1/shop", "--to", "vault", "--zone", "UTC")[0];
        assertTrue(report.contains("skipped") && report.contains("only its owner backup-owner prunes or rewrites it"), report);
        assertEquals(1200, onDisk().size(), "nothing pruned from a machine that is not the owner");
        assertTrue(run("prune", "db1/shop", "--zone", "UTC", "--dry-run")[0].contains("skipped"),
                "every destination: the append-only one is skipped, the others pruned");

        dev.lifeboat.core.AsMachine.run("backup-owner", () -> run("prune", "db1/shop", "--to", "vault", "--zone", "UTC"));
        assertTrue(onDisk().size() <= 7 + 4 + 12, "the owner prunes it: " + onDisk().size());
    }
}
