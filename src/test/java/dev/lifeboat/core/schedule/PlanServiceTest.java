package dev.lifeboat.core.schedule;

import dev.lifeboat.core.model.BackupPlan;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RetentionPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanServiceTest {
    @TempDir
    Path home;
    private HistoryStore history;
    private PlanService plans;

    @BeforeEach
    void open() {
        history = HistoryStore.open(home);
        history.hosts().add(new Host("db1", "unix:///var/run/docker.sock", false));
        history.destinations().add(new DestinationRecord("disk", "local", "/backups", "/keys/k", "abcd"));
        history.destinations().add(new DestinationRecord("offsite", "local", "/offsite", "/keys/k", "abcd"));
        plans = new PlanService(history);
    }

    @AfterEach
    void close() {
        history.close();
    }

    private static BackupPlan plan(String dest, List<String> copies, String cron, List<String> assets) {
        return new BackupPlan("nightly", "db1", "shop", dest, copies, RetentionPolicy.defaults(), cron,
                BackupPlan.DEFAULT_VERIFY, true, BackupPlan.DEFAULT_PRUNE, "Europe/Berlin", assets);
    }

    @Test
    void savedPlanKeepsItsChosenAssetsAndCopies() {
        plans.save(plan("disk", List.of("offsite"), BackupPlan.DEFAULT_BACKUP, List.of("postgres:shop-db", "volume:uploads")), "t");
        BackupPlan read = plans.find("nightly");
        assertEquals(List.of("postgres:shop-db", "volume:uploads"), read.assets());
        assertEquals(List.of("offsite"), read.copies());
    }

    @Test
    void aNewPlanStartsAtItsNextSlotNotAtOnce() {
        plans.save(plan("disk", List.of(), "*/5 * * * *", List.of()), "t");
        Instant last = history.plans().lastSlot("nightly", "BACKUP").orElseThrow();
        assertTrue(!last.isAfter(Instant.now()) && last.isAfter(Instant.now().minusSeconds(301)), last.toString());
    }

    @Test
    void aCopyToThePrimaryDestinationIsRefused() {
        var e = assertThrows(LifeboatException.class, () -> plans.save(plan("disk", List.of("disk"), BackupPlan.DEFAULT_BACKUP,
                List.of()), "t"));
        assertTrue(e.getMessage().contains("primary"), e.getMessage());
        assertTrue(history.plans().all().isEmpty());
    }

    @Test
    void anInvalidScheduleIsRefusedWithItsText() {
        var e = assertThrows(LifeboatException.class, () -> plans.save(plan("disk", List.of(), "0 */6 * *", List.of()), "t"));
        assertTrue(e.getMessage().contains("0 */6 * *"), e.getMessage());
        assertTrue(history.plans().all().isEmpty());
    }

    @Test
    void nextRunsFollowTheZone() {
        List<Instant> next = PlanService.nextRuns("0 2 * * *", "Europe/Berlin", Instant.parse("2026-07-01T12:00:00Z"), 5);
        assertEquals(5, next.size());
        assertEquals(Instant.parse("2026-07-02T00:00:00Z"), next.get(0), "02:00 CEST is 00:00 UTC");
    }
}
