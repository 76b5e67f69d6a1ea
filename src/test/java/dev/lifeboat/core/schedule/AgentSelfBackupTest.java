package dev.lifeboat.core.schedule;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent backs Lifeboat itself up once when it has never done so, then once a night, on its clock. */
class AgentSelfBackupTest {
    @TempDir
    Path home;

    @Test
    void onceAtFirstThenOncePerNightlySlotWhateverTheTicks() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
        AtomicInteger runs = new AtomicInteger();
        Semaphore ran = new Semaphore(0);
        Runnable job = () -> {
            runs.incrementAndGet();
            ran.release();
        };
        try (AppContext app = new AppContext(home)) {
            Agent first = app.agent(Duration.ZERO, clock).backingUpItself(job);
            first.tick();
            assertTrue(ran.tryAcquire(20, TimeUnit.SECONDS), "the first self-backup runs at once");
            Instant claimed = app.history().plans().lastSlot(Agent.SELF_BACKUP, Agent.SELF_BACKUP).orElseThrow();
            clock.advance(Duration.ofHours(2));
            first.tick(); // later the same day: the slot is taken
            assertEquals(claimed, app.history().plans().lastSlot(Agent.SELF_BACKUP, Agent.SELF_BACKUP).orElseThrow());
            assertTrue(first.finishRunning(Duration.ofSeconds(20)));
            assertEquals(1, runs.get());

            clock.advance(Duration.ofDays(1)); // past the next night's slot
            Agent next = app.agent(Duration.ZERO, clock).backingUpItself(job);
            next.tick();
            assertTrue(ran.tryAcquire(20, TimeUnit.SECONDS), "the next night's self-backup");
            next.tick();
            assertTrue(next.finishRunning(Duration.ofSeconds(20)));
            assertEquals(2, runs.get());
        }
    }
}
