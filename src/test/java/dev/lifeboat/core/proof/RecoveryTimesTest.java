package dev.lifeboat.core.proof;

import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.RecoveryPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet's recovery-time table: drilled stacks against their targets, the others named as never drilled. */
class RecoveryTimesTest {
    @TempDir
    Path home;

    @Test
    void everyStackIsListedWithItsLatestDrillPerScenarioOrAsNeverDrilled() {
        try (HistoryStore h = HistoryStore.open(home)) {
            h.destinations().add(new dev.lifeboat.core.history.DestinationRecord("nas", "local", "/nowhere", "/k", "abc"));
            h.points().record(new RecoveryPoint("p1", "web1", "shop", "nas", Instant.parse("2026-11-30T10:00:00Z"), "x", 10,
                    "backup"), "0".repeat(64));
            h.points().record(new RecoveryPoint("p2", "web1", "blog", "nas", Instant.parse("2026-11-30T10:00:00Z"), "x", 10,
                    "backup"), "0".repeat(64));
            OffsetDateTime at = OffsetDateTime.of(2026, 11, 20, 9, 0, 0, 0, ZoneOffset.UTC);
            h.proof().recordDrill(new DrillRecord("d1", "web1", "shop", "complete-failure", "sandbox", "ada", at, "p1", at,
                    240_000L, 3_600_000L, 3_600_000L, 86_400_000L, true, "[]", "[]", null, LocalDate.of(2026, 12, 20)));
            h.proof().recordDrill(new DrillRecord("d2", "web1", "shop", "redis-loss", "sandbox", "ada", at.plusHours(1), "p1", at,
                    7_200_000L, 3_600_000L, 3_600_000L, 86_400_000L, true, "[]", "[]", null, LocalDate.of(2026, 11, 25)));
            String md = Runbook.markdown(RecoveryTimes.fleet(h, "test", LocalDate.of(2026, 12, 1)));
            assertTrue(md.contains("| web1/shop | complete-failure | 1h | 4m 00s (met) | 1d | 1h 00m (met) |"), md);
            assertTrue(md.contains("| web1/shop | redis-loss | 1h | 2h 00m (missed) |"), md);
            assertTrue(md.contains("2026-11-25 (overdue)"), "the next drill was due before today: " + md);
            assertTrue(md.contains("| web1/blog | - | 1h | never drilled |"), md);
            assertTrue(md.contains("2 stacks: 1 scenario within target, 1 missed or failed, 1 stack never drilled."), md);
        }
    }
}
