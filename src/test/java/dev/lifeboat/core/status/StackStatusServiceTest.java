package dev.lifeboat.core.status;

import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackStatusServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    Path home;

    private static void point(HistoryStore h, Instant at, int n) {
        h.points().record(new RecoveryPoint("p" + n, "db1", "shop", "disk", at, "db1/shop/p" + n, 1_000_000L + n, "backup"), "x");
    }

    private static HistoryStore history(Path home) {
        HistoryStore h = HistoryStore.open(home);
        h.hosts().add(new Host("db1", "unix:///var/run/docker.sock", false));
        h.destinations().add(new DestinationRecord("disk", "local", "/srv/backups", "/k", "abc"));
        return h;
    }

    @Test
    void aHoleLongerThanTheRpoIsOneGapAndEveryPointIsOnTheTimeline() {
        try (HistoryStore h = history(home)) {
            int n = 0;
            Instant start = NOW.minus(Duration.ofDays(10));
            for (Instant t = start; t.isBefore(NOW); t = t.plus(Duration.ofHours(6))) {
                boolean inHole = !t.isBefore(start.plus(Duration.ofDays(4))) && t.isBefore(start.plus(Duration.ofDays(6)));
                if (!inHole) {
                    point(h, t, n++);
                }
            }
            StackStatusService status = new StackStatusService(h, Clock.fixed(NOW, ZoneOffset.UTC));
            Timeline t = status.timeline("db1", "shop", NOW.minus(Duration.ofDays(30)), NOW, ZoneOffset.UTC);
            assertEquals(n, t.entries().size());
            assertEquals(1, t.gaps().size(), t.gaps().toString());
            Timeline.Gap gap = t.gaps().get(0);
            assertEquals(start.plus(Duration.ofDays(4)).minus(Duration.ofHours(6)), gap.from());
            assertEquals(start.plus(Duration.ofDays(6)), gap.to());
            assertTrue(t.entries().get(t.entries().size() - 1).tiers().contains("newest"));
            assertEquals(7, t.entries().stream().filter(e -> e.tiers().contains("daily")).count());

            Timeline week = status.timeline("db1", "shop", NOW.minus(Duration.ofDays(3)), NOW, ZoneOffset.UTC);
            assertEquals(12, week.entries().size());
            assertEquals(0, week.gaps().size());
        }
    }

    @Test
    void aReplicatedPointStandsOnTheTimelineAtItsPrimaryWithItsCopiesBesideWhateverOrderTheRecordsComeIn() {
        try (HistoryStore h = history(home)) {
            h.destinations().add(new DestinationRecord("a-offsite", "local", "/srv/offsite", "/k", "abc"));
            h.destinations().add(new DestinationRecord("z-offsite", "local", "/srv/offsite2", "/k", "abc"));
            Instant at = NOW.minus(Duration.ofHours(2));
            // the copies' names sort before and after the primary's: neither order may make a copy the primary
            h.points().record(new RecoveryPoint("p1", "db1", "shop", "a-offsite", at, "db1/shop/p1", 5, "copy"), "x");
            point(h, at, 1);
            h.points().record(new RecoveryPoint("p1", "db1", "shop", "z-offsite", at, "db1/shop/p1", 5, "copy"), "x");
            Timeline t = new StackStatusService(h, Clock.fixed(NOW, ZoneOffset.UTC)).timeline("db1", "shop", null, NOW, ZoneOffset.UTC);
            assertEquals(1, t.entries().size());
            assertEquals("disk", t.entries().get(0).detail());
            assertEquals(java.util.List.of("a-offsite", "z-offsite"), t.entries().get(0).copies());
        }
    }

    @Test
    void drillsRunByLifeboatAndDrillsRecordedByHandAreMarkersRestoresToo() {
        try (HistoryStore h = history(home)) {
            point(h, NOW.minus(Duration.ofDays(3)), 1);
            java.time.OffsetDateTime at = NOW.minus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC);
            h.proof().recordDrill(new dev.lifeboat.core.history.DrillRecord("d1", "db1", "shop", "complete-failure", "manual", "alice",
                    at, null, null, 97_000L, 3_600_000L, 3_600_000L, 86_400_000L, true, "[]", "[]", null, java.time.LocalDate.of(2026, 12, 18)));
            h.proof().recordDrill(new dev.lifeboat.core.history.DrillRecord("d2", "db1", "shop", "redis-loss", "sandbox", "agent",
                    at.plusHours(5), "p1", at.minusDays(1), 20_000L, 1_000L, 3_600_000L, 86_400_000L, false, "[]", "[]", null, java.time.LocalDate.of(2026, 12, 18)));
            String restore = h.runs().start("restore", "db1", "shop", "p1", "disk", "alice");
            h.runs().finish(restore, "ok", "everything restored", "p1", java.util.List.of());
            Timeline t = new StackStatusService(h, Clock.fixed(NOW, ZoneOffset.UTC)).timeline("db1", "shop", null,
                    NOW.plus(Duration.ofDays(400)), ZoneOffset.UTC); // the restore ran on the real clock
            java.util.List<String> markers = t.markers().stream().map(m -> m.kind() + " " + m.ok() + " " + m.detail()).toList();
            assertEquals(java.util.List.of("drill true complete-failure (manual), RTO 97.0 s", "drill false redis-loss (sandbox), RTO 20.0 s",
                    "restore true everything restored"), markers);
        }
    }

    @Test
    void aTimelineFittedToTheDataStartsJustBeforeTheOldestPointOrFailure() {
        try (HistoryStore h = history(home)) {
            StackStatusService status = new StackStatusService(h, Clock.fixed(NOW, ZoneOffset.UTC));
            assertEquals(NOW.minus(Duration.ofDays(1)).minus(Duration.ofMinutes(72)),
                    status.timeline("db1", "shop", null, NOW, ZoneOffset.UTC).from(), "no data yet: the last day");
            point(h, NOW.minus(Duration.ofDays(20)), 1);
            point(h, NOW.minus(Duration.ofHours(1)), 2);
            Timeline fitted = status.timeline("db1", "shop", null, NOW, ZoneOffset.UTC);
            assertEquals(NOW.minus(Duration.ofDays(20)).minus(Duration.ofDays(1)), fitted.from(), "a twentieth of 20 days before");
            assertEquals(2, fitted.entries().size());
        }
    }

    @Test
    void healthIsGreenWhenFreshAndProvenAmberWhenUnprovenOrLateRedWhenBreachedOrFailed() {
        try (HistoryStore h = history(home)) {
            StackStatusService at = new StackStatusService(h, Clock.fixed(NOW, ZoneOffset.UTC));
            assertEquals(StackHealth.Level.NONE, at.health("db1", "shop").level());

            point(h, NOW.minus(Duration.ofHours(2)), 1);
            assertEquals(StackHealth.Level.AMBER, at.health("db1", "shop").level(), "not verified yet");
            String run = h.runs().start("verify", null, null, "p1", null, "t");
            h.runs().finish(run, "ok", "all checks passed", null, List.of());
            assertEquals(StackHealth.Level.GREEN, at.health("db1", "shop").level());

            StackStatusService late = new StackStatusService(h, Clock.fixed(NOW.plus(Duration.ofHours(18)), ZoneOffset.UTC));
            assertEquals(StackHealth.Level.AMBER, late.health("db1", "shop").level());
            StackStatusService breached = new StackStatusService(h, Clock.fixed(NOW.plus(Duration.ofHours(23)), ZoneOffset.UTC));
            assertEquals(StackHealth.Level.RED, breached.health("db1", "shop").level());
            assertTrue(breached.health("db1", "shop").reason().startsWith("RPO breached"));

            String failed = h.runs().start("backup", "db1", "shop", null, "disk", "t");
            h.runs().finish(failed, "failed", "pg_dump exited with 1", null, List.of());
            StackHealth red = at.health("db1", "shop");
            assertEquals(StackHealth.Level.RED, red.level());
            assertTrue(red.reason().contains("pg_dump exited with 1"), red.reason());
        }
    }
}
