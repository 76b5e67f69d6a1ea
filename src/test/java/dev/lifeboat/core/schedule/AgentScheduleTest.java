package dev.lifeboat.core.schedule;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.core.history.TestClock;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RetentionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's plan slots on its clock, without a real minute passing: a job runs once per slot it
 * reaches, never twice for one slot however often it ticks, and once (not once per slot) for the
 * slots missed while no agent ran. The plan's destination has no key file, so each run fails at once,
 * and is recorded as failed: the schedule, not the backup, is what is looked at here (AgentIT runs the
 * real thing).
 */
class AgentScheduleTest {
    @TempDir
    Path home;

    @Test
    void oneRunPerSlotReachedAndOneCatchUpForTheSlotsMissed() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:30Z"));
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("nowhere", "unix://" + home.resolve("no-engine.sock"), false));
            app.history().destinations().add(new dev.lifeboat.core.history.DestinationRecord("disk", "local",
                    home.resolve("backups").toString(), home.resolve("repo.key").toString(), "abcd"));
            app.history().plans().save(new BackupPlan("minutely", "nowhere", "shop", "disk", List.of(), RetentionPolicy.defaults(),
                    "* * * * *", null, false, null, "UTC", List.of()));
            app.history().plans().setLastSlot("minutely", "BACKUP", Instant.parse("2026-12-01T10:00:00Z"));
            // each step is one agent's ticks until its jobs end (finishRunning); what it claimed is in the history,
            // which is all the next agent (or the same one at its next tick) goes by

            tickAndFinish(app, clock, "2026-12-01T10:00:30Z"); // this minute's slot was taken when the plan was saved
            assertEquals(0, runs(app));

            tickAndFinish(app, clock, "2026-12-01T10:01:00.200Z", "2026-12-01T10:01:40Z"); // the second tick: same slot
            assertEquals(1, runs(app));
            RunRecord failed = app.history().runs().recent(1).get(0);
            assertEquals("failed", failed.status(), "a destination that cannot be opened fails the run in the history");
            assertTrue(failed.message().contains("repo.key"), failed.message());
            assertEquals(Instant.parse("2026-12-01T10:01:00Z"), app.history().plans().lastSlot("minutely", "BACKUP").orElseThrow());

            tickAndFinish(app, clock, "2026-12-01T10:05:10Z", "2026-12-01T10:05:12Z"); // 10:02 to 10:05 went by unticked
            assertEquals(2, runs(app), "four missed slots are caught up once");
            assertEquals(Instant.parse("2026-12-01T10:05:00Z"), app.history().plans().lastSlot("minutely", "BACKUP").orElseThrow());

            tickAndFinish(app, clock, "2026-12-01T10:05:50Z"); // the next agent, the same minute
            assertEquals(2, runs(app), "a slot claimed in the history is not run again");
        }
    }

    private static void tickAndFinish(AppContext app, TestClock clock, String... instants) {
        Agent agent = app.agent(Duration.ZERO, clock);
        for (String at : instants) {
            clock.set(Instant.parse(at));
            agent.tick();
        }
        assertTrue(agent.finishRunning(Duration.ofSeconds(30)), "the runs end");
    }

    private static long runs(AppContext app) {
        return app.history().runs().recent(100).stream().map(RunRecord::kind).filter("backup"::equals).count();
    }
}
