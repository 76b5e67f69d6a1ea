package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent as its own process on the real rig: a one-minute plan backs the demo stack up with no
 * console, into the history this (second) process reads; a second agent on the home refuses; killed
 * and restarted after missed slots it catches up exactly once; two triggers at once give one run and
 * one "skipped: already running". No test waits for a minute to turn: the slots on record in the history
 * make a slot due when the agent starts, and the catch-up uses a yearly plan, so no wall-clock slot
 * can interfere.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentIT {
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;
    private Process agent;

    @BeforeAll
    void demoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("agent"), false);
        demo.run("plan", "add", "minutely", demo.stack(), "--to", "disk", "--backup-cron", "* * * * *", "--verify-cron", "off",
                "--prune-cron", "off", "--zone", "UTC").ok();
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
        Rig.removeByLabel(demo.name());
    }

    private Process startAgent(String log) throws Exception {
        Path out = tmp.resolve(log);
        Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp", System.getProperty("java.class.path"),
                "dev.lifeboat.Lifeboat", "--home", demo.home().toString(), "agent", "--tick", "2s", "--max-jitter", "0s")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(out).contains("Lifeboat agent running")) {
            assertTrue(p.isAlive() && System.currentTimeMillis() < deadline, "agent did not start: " + Files.readString(out));
            Thread.sleep(100);
        }
        return p;
    }

    /** Scheduled backups that succeeded, as this process reads them from the shared history. */
    private long scheduledBackups() {
        String history = demo.run("history", "--limit", "500").ok().out();
        return history.lines().filter(l -> l.contains(" backup ") && l.contains(" ok ") && l.contains("scheduled point")).count();
    }

    private void awaitBackups(long n, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (scheduledBackups() < n) {
            assertTrue(System.currentTimeMillis() < deadline, "expected " + n + " scheduled backups, history:\n"
                    + demo.run("history").out());
            Thread.sleep(2000);
        }
    }

    @Test
    @Order(1)
    void theAgentBacksUpOnItsOwnAndASecondAgentRefuses() throws Exception {
        // the plan's slot of the minute before this one is on record, so the agent's first tick finds this
        // minute's slot due on the real clock at once instead of at the next minute (AgentScheduleTest
        // follows slots minute by minute on a test clock)
        try (dev.lifeboat.core.history.HistoryStore h = dev.lifeboat.core.history.HistoryStore.open(demo.home())) {
            h.plans().setLastSlot("minutely", "BACKUP", Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES));
        }
        agent = startAgent("agent-1.log");
        Rig.Result second = demo.run("agent", "--tick", "1s");
        assertEquals(1, second.code());
        assertTrue(second.err().contains("Another Lifeboat agent is already running") && second.err().contains("pid "
                + agent.pid()), second.err());
        assertTrue(demo.run("agent", "status").ok().out().contains("Agent running (pid " + agent.pid()));
        awaitBackups(1, 60);
        assertTrue(demo.run("points", demo.stack()).ok().out().lines().count() >= 1);
    }

    @Test
    @Order(2)
    void killedAndRestartedAfterMissedSlotsItCatchesUpExactlyOnce() throws Exception {
        agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        demo.run("plan", "remove", "minutely").ok();
        demo.run("plan", "add", "yearly", demo.stack(), "--to", "disk", "--backup-cron", "0 0 1 1 *", "--verify-cron", "off",
                "--prune-cron", "off", "--zone", "UTC").ok();
        // the agent last ran this plan three years ago: three slots (January 1st) were missed while it was down
        java.time.ZonedDateTime thisYear = Instant.now().atZone(java.time.ZoneOffset.UTC).withDayOfYear(1)
                .truncatedTo(ChronoUnit.DAYS);
        try (dev.lifeboat.core.history.HistoryStore h = dev.lifeboat.core.history.HistoryStore.open(demo.home())) {
            h.plans().setLastSlot("yearly", "BACKUP", thisYear.minusYears(3).toInstant());
        }
        long before = scheduledBackups();
        agent = startAgent("agent-2.log");
        awaitBackups(before + 1, 60);
        // the catch-up recorded this year's slot before it ran; the next is a year away, so any further run
        // would be the missed slots run again. Three more ticks (2 s each) see none.
        try (dev.lifeboat.core.history.HistoryStore h = dev.lifeboat.core.history.HistoryStore.open(demo.home())) {
            assertEquals(thisYear.toInstant(), h.plans().lastSlot("yearly", "BACKUP").orElseThrow());
        }
        Thread.sleep(6_000);
        assertEquals(before + 1, scheduledBackups(), "three missed slots are caught up once, not three times");
        agent.destroy();
        agent.waitFor(60, TimeUnit.SECONDS);
    }

    @Test
    @Order(3)
    void twoTriggersAtOnceGiveOneRunAndOneSkip() throws Exception {
        CompletableFuture<Rig.Result> first = CompletableFuture.supplyAsync(() -> demo.run("plan", "run", "yearly"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (demo.run("history").ok().out().lines().noneMatch(l -> l.contains(" backup ") && l.contains(" running "))) {
            assertTrue(System.currentTimeMillis() < deadline && !first.isDone(), "the first run never showed as running");
            Thread.sleep(100); // the second trigger comes while the first run is under way, not before it starts
        }
        Rig.Result second = demo.run("plan", "run", "yearly");
        Rig.Result one = first.get(3, TimeUnit.MINUTES);
        assertEquals(0, one.code(), one.err());
        assertEquals(1, second.code(), second.out());
        assertTrue(second.err().contains("skipped: already running"), second.err());
        List<String> skipped = demo.run("history").ok().out().lines().filter(l -> l.contains("skipped")).toList();
        assertEquals(1, skipped.size(), demo.run("history").out());
    }

    @Test
    @Order(4)
    void whenTheProcessServingTheSharedHistoryDiesTheOthersCarryOn() throws Exception {
        agent = startAgent("agent-3.log"); // the first to open the history: it serves it to the others
        try (dev.lifeboat.AppContext console = new dev.lifeboat.AppContext(demo.home())) {
            int hostsBefore = console.history().hosts().all().size();
            agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            console.history().hosts().add(new dev.lifeboat.core.model.Host("after-handover", "unix:///var/run/docker.sock", false));
            console.history().runs().audit("test", "host-add", "after-handover", "written after the serving process died");
            assertEquals(hostsBefore + 1, console.history().hosts().all().size());
            assertTrue(demo.run("host", "list").ok().out().contains("after-handover"), "a third process reads it");
        }
    }
}
