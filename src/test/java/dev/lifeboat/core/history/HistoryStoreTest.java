package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryStoreTest {
    @TempDir
    Path home;

    @Test
    void keepsHostsDestinationsPointsAndRunsAcrossReopen() {
        try (HistoryStore h = HistoryStore.open(home)) {
            h.addHost(new Host("local", "unix:///var/run/docker.sock", true));
            h.addDestination(new DestinationRecord("d1", "local", "/backups", "/keys/k", "abcd"));
            h.recordPoint(new RecoveryPoint("p1", "local", "shop", "d1", Instant.parse("2026-01-01T00:00:00Z"), "/backups/x",
                    123, "backup"), "f".repeat(64));
            String run = h.startRun("backup", "local", "shop", null, "d1", "ada");
            h.finishRun(run, "ok", "done", "p1", List.of(new RunStep("postgres:db", 12, 100L, "ok", null)));
            h.audit("ada", "backup", "local/shop", "point p1");
        }
        try (HistoryStore h = HistoryStore.open(home)) {
            assertTrue(h.requireHost("local").production());
            assertEquals("/keys/k", h.requireDestination("d1").keyFile());
            assertEquals(1, h.points("local", "shop").size());
            assertEquals(0, h.points("other", null).size());
            assertEquals("ok", h.runs(5).get(0).status());
            assertEquals("p1", h.runs(5).get(0).pointId());
            assertEquals(1, h.steps(h.runs(5).get(0).id()).size());
            assertEquals("backup", h.auditEvents(5).get(0)[2]);
        }
    }

    @Test
    void unknownNamesGetAMessageThatSaysWhatToDo() {
        try (HistoryStore h = HistoryStore.open(home)) {
            LifeboatException e = assertThrows(LifeboatException.class, () -> h.requireHost("db9"));
            assertTrue(e.getMessage().contains("lifeboat host add db9"), e.getMessage());
        }
    }

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void theActivityLogHoldsRunsAndAuditEventsNewestFirst() {
        try (HistoryStore h = HistoryStore.open(home, clock)) {
            h.audit("alice", "host-add", "db1", "unix:///var/run/docker.sock");
            clock.advance(java.time.Duration.ofMillis(5));
            String run = h.startRun("backup", "db1", "shop", null, "disk", "bob");
            h.finishRun(run, "ok", "backup point p1", "p1", List.of());
            clock.advance(java.time.Duration.ofMillis(5));
            h.audit("carol", "restore-refused", "db1/shop", "wrong phrase");
            List<RunRecord> a = h.activity(10);
            assertEquals(List.of("restore-refused", "backup", "host-add"), a.stream().map(RunRecord::kind).toList());
            assertEquals("audit", a.get(0).status());
            assertEquals("carol", a.get(0).actor());
            assertEquals("db1", a.get(0).host());
            assertEquals("shop", a.get(0).stack());
            assertEquals("wrong phrase", a.get(0).message());
            assertEquals(null, a.get(2).stack());
            assertEquals("db1: unix:///var/run/docker.sock", a.get(2).message());
            assertEquals(2, h.activity(2).size());
        }
    }

    @Test
    void theTypicalDurationIsTheMedianOfTheLastFiveGoodRuns() {
        try (HistoryStore h = HistoryStore.open(home, clock)) {
            assertTrue(h.typicalDuration("backup", "db1", "shop").isEmpty());
            for (int i = 0; i < 3; i++) {
                String run = h.startRun("backup", "db1", "shop", null, "disk", "t");
                clock.advance(java.time.Duration.ofMillis(20L + 40L * i));
                h.finishRun(run, "ok", "done", "p" + i, List.of());
                clock.advance(java.time.Duration.ofSeconds(1));
            }
            String failed = h.startRun("backup", "db1", "shop", null, "disk", "t");
            clock.advance(java.time.Duration.ofMillis(300));
            h.finishRun(failed, "failed", "boom", null, List.of());
            long ms = h.typicalDuration("backup", "db1", "shop").orElseThrow().toMillis();
            assertEquals(60, ms, "the middle good run, not the failed one");
            assertTrue(h.typicalDuration("backup", "db1", "other").isEmpty());
        }
    }

    @Test
    void anAlertsStateChangesOnlyWhenTheAlertExists() {
        try (HistoryStore h = HistoryStore.open(home)) {
            long id = h.raiseAlert(new dev.lifeboat.core.model.Finding("run-failed:r1", "backup-failed", "db1", "shop",
                    "Backup of db1/shop failed", "pg_dump exited with 1", false));
            assertTrue(h.setAlertState(id, "acknowledged"));
            assertEquals("acknowledged", h.alerts(10).get(0).state());
            assertFalse(h.setAlertState(id + 1000, "resolved"), "no such alert");
            assertFalse(h.removePlan("none"), "no such plan");
        }
    }

    @Test
    void aRunIsFinishedWithAllItsStepsOrNotAtAll() {
        try (HistoryStore h = HistoryStore.open(home.resolve("atomic"))) {
            String run = h.startRun("backup", "db1", "shop", null, "disk", "alice");
            // the second step cannot be stored (a step has a name): neither the status nor the first step may stay
            List<RunStep> steps = java.util.Arrays.asList(new RunStep("dump", 10, 1L, "ok", null), new RunStep(null, 5, null, "ok", null));
            assertThrows(LifeboatException.class, () -> h.finishRun(run, "ok", "done", null, steps));
            var record = h.runs(10).stream().filter(r -> r.id().equals(run)).findFirst().orElseThrow();
            assertEquals("running", record.status(), "a finish that failed halfway left the run finished");
            assertTrue(h.steps(run).isEmpty(), "a finish that failed halfway left a step behind");
            h.finishRun(run, "ok", "done", null, List.of(new RunStep("dump", 10, 1L, "ok", null)));
            assertEquals(1, h.steps(run).size());
        }
    }

    @Test
    void raisingAnAlertReturnsTheIdOfThatAlert() {
        try (HistoryStore h = HistoryStore.open(home.resolve("ids"))) {
            long first = h.raiseAlert(new dev.lifeboat.core.model.Finding("k", "size-anomaly", "db1", "shop", "t1", "m", false));
            long second = h.raiseAlert(new dev.lifeboat.core.model.Finding("k", "size-anomaly", "db1", "shop", "t2", "m", false));
            assertTrue(second > first);
            assertEquals("t1", h.alerts(10).stream().filter(a -> a.id() == first).findFirst().orElseThrow().title());
        }
    }
}
