package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every history does, embedded or on a server a team shares: {@code HistoryStoreTest} runs it on
 * H2, {@code PostgresHistoryIT} on PostgreSQL 15.
 */
public abstract class HistoryContract {
    protected final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    /** The history called {@code name}, with {@link #clock}; the same name opens the same history again. */
    protected abstract HistoryStore open(String name);

    @Test
    public void keepsHostsDestinationsPointsAndRunsAcrossReopen() {
        try (HistoryStore h = open("main")) {
            h.hosts().add(new Host("local", "unix:///var/run/docker.sock", true));
            h.destinations().add(new DestinationRecord("d1", "local", "/backups", "/keys/k", "abcd"));
            h.points().record(new RecoveryPoint("p1", "local", "shop", "d1", Instant.parse("2026-01-01T00:00:00Z"), "/backups/x",
                    123, "backup"), "f".repeat(64));
            String run = h.runs().start("backup", "local", "shop", null, "d1", "ada");
            h.runs().finish(run, "ok", "done", "p1", List.of(new RunStep("postgres:db", 12, 100L, "ok", null)));
            h.runs().audit("ada", "backup", "local/shop", "point p1");
        }
        try (HistoryStore h = open("main")) {
            assertTrue(h.hosts().require("local").production());
            assertEquals("/keys/k", h.destinations().require("d1").keyFile());
            assertEquals(1, h.points().of("local", "shop").size());
            assertEquals(0, h.points().of("other", null).size());
            assertEquals("ok", h.runs().recent(5).get(0).status());
            assertEquals("p1", h.runs().recent(5).get(0).pointId());
            assertEquals(1, h.runs().steps(h.runs().recent(5).get(0).id()).size());
            assertEquals("backup", h.runs().auditEvents(5).get(0).action());
        }
    }

    @Test
    public void walShippingRecordsItsFilesWhetherWalWaitsAndSinceWhenAndForgetsWhatPruneRemoved() {
        try (HistoryStore h = open("main")) {
            PitrConfig c = new PitrConfig("local", "shop", "postgres:shop-db", "d1", "lifeboat_shop_db", 30, 120,
                    clock.instant(), "ada");
            h.pitr().enable(c);
            h.pitr().enable(c); // again: the same asset, updated
            assertEquals(List.of(c), h.pitr().of("local", "shop"));
            for (String name : List.of("000000010000000000000003", "000000010000000000000004", "00000002.history",
                    "000000020000000000000004")) {
                h.pitr().shipped(new WalFile("local", "shop", c.asset(), "d1", name, 16L << 20, 1000, "a".repeat(64), "b".repeat(64),
                        clock.instant()));
                clock.advance(java.time.Duration.ofSeconds(10));
            }
            assertEquals("000000020000000000000004", h.pitr().newestSegment("local", "shop", c.asset(), "d1").orElseThrow().name());
            assertEquals(4, h.pitr().files("local", "shop", c.asset(), "d1").size());
            assertEquals(3L * (16L << 20) + (16L << 20), h.pitr().bytesSince("local", "shop", c.asset(), Instant.EPOCH));

            Instant firstWait = clock.instant();
            h.pitr().checked(c, true, firstWait);
            clock.advance(java.time.Duration.ofSeconds(30));
            h.pitr().checked(c, true, clock.instant()); // still waiting: the first moment stays
            PitrRepository.Progress p = h.pitr().progress().get(0);
            assertEquals(firstWait, p.pendingSince());
            assertEquals(clock.instant(), p.checkedAt());
            assertEquals(30, p.lag(clock.instant()).getSeconds());
            h.pitr().checked(c, false, clock.instant());
            assertEquals(null, h.pitr().progress().get(0).pendingSince());
            assertEquals(0, h.pitr().progress().get(0).lag(clock.instant()).getSeconds());

            h.pitr().forget(h.pitr().files("local", "shop", c.asset(), "d1").get(0));
            assertEquals(3, h.pitr().files("local", "shop", c.asset(), "d1").size());
            assertTrue(h.pitr().disable("local", "shop", c.asset()));
            assertEquals(List.of(), h.pitr().all());
        }
    }

    @Test
    public void unknownNamesGetAMessageThatSaysWhatToDo() {
        try (HistoryStore h = open("main")) {
            LifeboatException e = assertThrows(LifeboatException.class, () -> h.hosts().require("db9"));
            assertTrue(e.getMessage().contains("lifeboat host add db9"), e.getMessage());
        }
    }


    @Test
    public void theActivityLogHoldsRunsAndAuditEventsNewestFirst() {
        try (HistoryStore h = open("main")) {
            h.runs().audit("alice", "host-add", "db1", "unix:///var/run/docker.sock");
            clock.advance(java.time.Duration.ofMillis(5));
            String run = h.runs().start("backup", "db1", "shop", null, "disk", "bob");
            h.runs().finish(run, "ok", "backup point p1", "p1", List.of());
            clock.advance(java.time.Duration.ofMillis(5));
            h.runs().audit("carol", "restore-refused", "db1/shop", "wrong phrase");
            List<RunRecord> a = h.runs().activity(10);
            assertEquals(List.of("restore-refused", "backup", "host-add"), a.stream().map(RunRecord::kind).toList());
            assertEquals("audit", a.get(0).status());
            assertEquals("carol", a.get(0).actor());
            assertEquals("db1", a.get(0).host());
            assertEquals("shop", a.get(0).stack());
            assertEquals("wrong phrase", a.get(0).message());
            assertEquals(null, a.get(2).stack());
            assertEquals("db1: unix:///var/run/docker.sock", a.get(2).message());
            assertEquals(2, h.runs().activity(2).size());
        }
    }

    @Test
    public void theTypicalDurationIsTheMedianOfTheLastFiveGoodRuns() {
        try (HistoryStore h = open("main")) {
            assertTrue(h.runs().typicalDuration("backup", "db1", "shop").isEmpty());
            for (int i = 0; i < 3; i++) {
                String run = h.runs().start("backup", "db1", "shop", null, "disk", "t");
                clock.advance(java.time.Duration.ofMillis(20L + 40L * i));
                h.runs().finish(run, "ok", "done", "p" + i, List.of());
                clock.advance(java.time.Duration.ofSeconds(1));
            }
            String failed = h.runs().start("backup", "db1", "shop", null, "disk", "t");
            clock.advance(java.time.Duration.ofMillis(300));
            h.runs().finish(failed, "failed", "boom", null, List.of());
            long ms = h.runs().typicalDuration("backup", "db1", "shop").orElseThrow().toMillis();
            assertEquals(60, ms, "the middle good run, not the failed one");
            assertTrue(h.runs().typicalDuration("backup", "db1", "other").isEmpty());
        }
    }

    @Test
    public void anAlertsStateChangesOnlyWhenTheAlertExists() {
        try (HistoryStore h = open("main")) {
            long id = h.alerts().raise(new dev.lifeboat.core.model.Finding("run-failed:r1", "backup-failed", "db1", "shop",
                    "Backup of db1/shop failed", "pg_dump exited with 1", false));
            assertTrue(h.alerts().setState(id, "acknowledged"));
            assertEquals("acknowledged", h.alerts().recent(10).get(0).state());
            assertFalse(h.alerts().setState(id + 1000, "resolved"), "no such alert");
            assertFalse(h.plans().remove("none"), "no such plan");
        }
    }

    @Test
    public void aRunIsFinishedWithAllItsStepsOrNotAtAll() {
        try (HistoryStore h = open("atomic")) {
            String run = h.runs().start("backup", "db1", "shop", null, "disk", "alice");
            // the second step cannot be stored (a step has a name): neither the status nor the first step may stay
            List<RunStep> steps = java.util.Arrays.asList(new RunStep("dump", 10, 1L, "ok", null), new RunStep(null, 5, null, "ok", null));
            assertThrows(LifeboatException.class, () -> h.runs().finish(run, "ok", "done", null, steps));
            var record = h.runs().recent(10).stream().filter(r -> r.id().equals(run)).findFirst().orElseThrow();
            assertEquals("running", record.status(), "a finish that failed halfway left the run finished");
            assertTrue(h.runs().steps(run).isEmpty(), "a finish that failed halfway left a step behind");
            h.runs().finish(run, "ok", "done", null, List.of(new RunStep("dump", 10, 1L, "ok", null)));
            assertEquals(1, h.runs().steps(run).size());
        }
    }

    @Test
    public void raisingAnAlertReturnsTheIdOfThatAlert() {
        try (HistoryStore h = open("ids")) {
            long first = h.alerts().raise(new dev.lifeboat.core.model.Finding("k", "size-anomaly", "db1", "shop", "t1", "m", false));
            long second = h.alerts().raise(new dev.lifeboat.core.model.Finding("k", "size-anomaly", "db1", "shop", "t2", "m", false));
            assertTrue(second > first);
            assertEquals("t1", h.alerts().recent(10).stream().filter(a -> a.id() == first).findFirst().orElseThrow().title());
        }
    }

    @Test
    public void ofAgentsSharingTheHistoryExactlyOneClaimsEachSlot() throws Exception {
        Instant slot = Instant.parse("2026-12-01T09:00:00Z");
        try (HistoryStore a = open("claims"); HistoryStore b = open("claims")) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 5; round++) {
                    Instant ranFor = round == 0 ? null : slot.plus(java.time.Duration.ofHours(round - 1));
                    Instant next = slot.plus(java.time.Duration.ofHours(round));
                    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                    List<java.util.concurrent.Future<Boolean>> tries = new java.util.ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        HistoryStore h = i % 2 == 0 ? a : b;
                        tries.add(pool.submit(() -> {
                            go.await();
                            return h.plans().claimSlot("nightly", "BACKUP", ranFor, next);
                        }));
                    }
                    go.countDown();
                    int won = 0;
                    for (var t : tries) {
                        won += t.get() ? 1 : 0;
                    }
                    assertEquals(1, won, "round " + round + ": one claim of slot " + next);
                    assertEquals(next, b.plans().lastSlot("nightly", "BACKUP").orElseThrow());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    public void aStackLockHeldOnAnotherMachineHoldsHere() throws Exception {
        try (HistoryStore a = dev.lifeboat.core.AsMachine.run("machine-a", () -> open("locks"));
             HistoryStore b = dev.lifeboat.core.AsMachine.run("machine-b", () -> open("locks"))) {
            assertTrue(a.locks().tryLock("db1", "shop", "backup r1").isEmpty());
            var busy = b.locks().tryLock("db1", "shop", "restore r2");
            assertTrue(busy.isPresent() && busy.get().contains("on machine-a"), busy.toString());
            a.locks().unlock("db1", "shop", "backup r1");
            assertTrue(b.locks().tryLock("db1", "shop", "restore r2").isEmpty(), "free once released");
        }
    }

    @Test
    public void settingsPlansChannelsDeliveriesAndHoldsAreKeptAndReplaced() {
        try (HistoryStore h = open("tables")) {
            h.hosts().add(new Host("db1", "unix:///var/run/docker.sock", false));
            h.destinations().add(new DestinationRecord("d1", "local", "/backups", "/keys/k", "abcd"));
            var settings = dev.lifeboat.core.model.StackSettings.defaults("db1", "shop")
                    .withTargets(java.time.Duration.ofMinutes(30), java.time.Duration.ofHours(2));
            h.plans().saveSettings(settings);
            h.plans().saveSettings(settings.withTargets(java.time.Duration.ofMinutes(20), java.time.Duration.ofHours(1)));
            assertEquals(java.time.Duration.ofMinutes(20), h.plans().settings("db1", "shop").rto());

            var plan = new dev.lifeboat.core.model.BackupPlan("nightly", "db1", "shop", "d1", List.of(),
                    new dev.lifeboat.core.model.RetentionPolicy(24, 7, 4, 12, 1), "0 2 * * *", null, false, null, "UTC", List.of());
            h.plans().save(plan);
            h.plans().save(new dev.lifeboat.core.model.BackupPlan("nightly", "db1", "shop", "d1", List.of(), plan.retention(),
                    "0 3 * * *", "30 3 * * 0", true, null, "Europe/Berlin", List.of("postgres:db")));
            assertEquals(1, h.plans().all().size());
            assertEquals("0 3 * * *", h.plans().all().get(0).backupCron());
            assertEquals(List.of("postgres:db"), h.plans().all().get(0).assets());

            h.alerts().saveChannel(new dev.lifeboat.core.model.AlertChannel("ops", "webhook", "http://127.0.0.1:1/x", java.util.Map.of()));
            h.alerts().saveChannel(new dev.lifeboat.core.model.AlertChannel("ops", "webhook", "http://127.0.0.1:2/y", java.util.Map.of()));
            assertEquals("http://127.0.0.1:2/y", h.alerts().channels().get(0).target());
            long alert = h.alerts().raise(new dev.lifeboat.core.model.Finding("k1", "backup-failed", "db1", "shop", "t", "m", false));
            h.alerts().recordDelivery(alert, "ops", "failed", 1, "connection refused");
            h.alerts().recordDelivery(alert, "ops", "sent", 2, null);
            assertEquals("sent", h.alerts().deliveries(alert).get("ops").status());
            assertEquals(2, h.alerts().deliveries(alert).get("ops").attempts());

            h.points().record(new RecoveryPoint("p1", "db1", "shop", "d1", Instant.parse("2026-11-30T00:00:00Z"), "/b/p1", 1, "backup"),
                    "a".repeat(64));
            h.points().hold("p1", "db1", "shop", "suspicious size", "alert");
            h.points().hold("p1", "db1", "shop", "held again", "ada");
            assertEquals(List.of("suspicious size"), h.points().holds().stream().map(PointHold::reason).toList(),
                    "holding a held point changes nothing");
            assertTrue(h.points().release("p1", "ada"));
            h.points().hold("p1", "db1", "shop", "held by hand", "ada");
            assertEquals(List.of("held by hand"), h.points().holds().stream().map(PointHold::reason).toList());

            h.locks().holdContainer("db1", "shop-app", null);
            assertEquals(List.of("shop-app"), h.locks().heldContainers("db1"));
            h.locks().releaseContainer("db1", "shop-app");
            assertTrue(h.locks().heldContainers("db1").isEmpty());
        }
    }
}
