package dev.lifeboat.core.alert;

import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.model.Finding;

import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.StackSettings;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final List<String[]> STACKS = List.<String[]>of(new String[] {"db1", "shop"});

    private static RecoveryPoint point(String id, Instant at, long bytes) {
        return new RecoveryPoint(id, "db1", "shop", "disk", at, "loc", bytes, "backup");
    }

    private static AlertRules.Snapshot snapshot(List<RecoveryPoint> points, List<RunRecord> runs,
                                                List<DrillRecord> drills, Duration rpo) {
        return new AlertRules.Snapshot(STACKS, points, runs, Map.of("db1/shop", new StackSettings("db1", "shop",
                Duration.ofHours(1), rpo, 0, Map.of(), Map.of(), null, 30)), Map.of("db1/shop", drills));
    }

    private static List<String> kinds(List<Finding> f) {
        return f.stream().map(Finding::kind).sorted().toList();
    }

    @Test
    void aHealthyHistoryRaisesNothing() {
        List<RecoveryPoint> points = new ArrayList<>();
        for (int i = 0; i < 28; i++) {
            points.add(point("p" + i, NOW.minus(Duration.ofHours(6L * i + 1)), 100_000_000 + (i % 3) * 1_000_000));
        }
        assertEquals(List.of(), AlertRules.evaluate(snapshot(points, List.of(), List.of(), Duration.ofHours(24)), NOW,
                AlertRules.Thresholds.defaults()));
    }

    @Test
    void eachRuleFires() {
        List<RecoveryPoint> points = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            points.add(point("p" + i, NOW.minus(Duration.ofDays(i + 1)), 100_000_000));
        }
        points.add(point("big", NOW.minus(Duration.ofHours(30)), 150_000_000)); // +50%, and 30 h old with RPO 24 h
        RunRecord failed = new RunRecord("r1", "backup", "db1", "shop", null, "disk", "t", NOW.minus(Duration.ofHours(2)),
                NOW.minus(Duration.ofHours(2)), "failed", "PostgreSQL container shop-db is not running");
        DrillRecord drill = new DrillRecord("d", "db1", "shop", "complete-failure", "sandbox", "t",
                NOW.minus(Duration.ofDays(40)).atOffset(ZoneOffset.UTC), "p7", null, 1L, 1L, 1L, 1L, true, "[]", "[]", null,
                LocalDate.ofInstant(NOW.minus(Duration.ofDays(10)), ZoneOffset.UTC));
        List<Finding> f = AlertRules.evaluate(snapshot(points, List.of(failed), List.of(drill), Duration.ofHours(24)), NOW,
                AlertRules.Thresholds.defaults());
        assertEquals(List.of("backup-failed", "drill-overdue", "missing-backup", "size-anomaly"), kinds(f));
        Finding size = f.stream().filter(x -> x.kind().equals("size-anomaly")).findFirst().orElseThrow();
        assertTrue(size.title().contains("+50%"), size.title());
        Finding fail = f.stream().filter(x -> x.kind().equals("backup-failed")).findFirst().orElseThrow();
        assertTrue(fail.message().contains("is not running"), fail.message());
        assertTrue(f.stream().filter(Finding::lasting).map(Finding::kind).toList().containsAll(List.of("missing-backup", "drill-overdue")));
    }

    @Test
    void aStackNeverBackedUpIsMissingABackup() {
        List<Finding> f = AlertRules.evaluate(snapshot(List.of(), List.of(), List.of(), Duration.ofHours(24)), NOW,
                AlertRules.Thresholds.defaults());
        assertEquals(List.of("missing-backup"), kinds(f));
    }

    /** Generated histories: the missing-backup and size rules fire exactly when their definitions say. */
    @RepeatedTest(200)
    void generatedHistoriesFollowTheDefinitions(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        Duration rpo = Duration.ofHours(1 + r.nextInt(48));
        int n = r.nextInt(30);
        List<RecoveryPoint> points = new ArrayList<>();
        Instant t = NOW.minus(Duration.ofHours(r.nextInt(72)));
        for (int i = 0; i < n; i++) {
            points.add(point("p" + i, t, 50_000_000 + r.nextInt(20_000_000)));
            t = t.minus(Duration.ofMinutes(30 + r.nextInt(24 * 60)));
        }
        List<Finding> f = AlertRules.evaluate(snapshot(points, List.of(), List.of(), rpo), NOW, AlertRules.Thresholds.defaults());
        boolean missing = points.isEmpty() || Duration.between(points.get(0).createdAt(), NOW).compareTo(rpo) > 0;
        assertEquals(missing, f.stream().anyMatch(x -> x.kind().equals("missing-backup")));
        if (!points.isEmpty() && !points.get(0).createdAt().isBefore(NOW.minus(Duration.ofDays(30)))) {
            RecoveryPoint newest = points.get(0);
            double avg = points.stream().skip(1).filter(p -> !p.createdAt().isBefore(newest.createdAt().minus(Duration.ofDays(7))))
                    .mapToLong(RecoveryPoint::storedBytes).average().orElse(Double.NaN);
            boolean jump = !Double.isNaN(avg) && Math.abs(newest.storedBytes() - avg) * 100 / avg > 10;
            assertEquals(jump, f.stream().anyMatch(x -> x.kind().equals("size-anomaly")), "avg " + avg + " newest " + newest);
        }
    }

    @Test
    void anUnreachableOrNearlyFullDestinationIsFound() {
        List<RecoveryPoint> fresh = List.of(point("p", NOW.minus(Duration.ofHours(1)), 1000));
        AlertRules.Snapshot s = new AlertRules.Snapshot(STACKS, fresh, List.of(), Map.of(), Map.of(), List.of(
                new AlertRules.DestinationProbe("offsite", "S3 GET lifeboat-repository.json failed: Connection refused", -1, -1),
                new AlertRules.DestinationProbe("nas", null, 5L << 30, 100L << 30),
                new AlertRules.DestinationProbe("disk", null, 50L << 30, 100L << 30)));
        List<Finding> f = AlertRules.evaluate(s, NOW, AlertRules.Thresholds.defaults());
        assertEquals(List.of("destination-full", "destination-unreachable"), kinds(f));
        assertTrue(f.stream().anyMatch(x -> x.key().equals("destination-full:nas") && x.title().contains("5% free") && x.lasting()));
        assertTrue(f.stream().anyMatch(x -> x.key().equals("destination-unreachable:offsite") && x.message().contains("refused")));
    }
}
