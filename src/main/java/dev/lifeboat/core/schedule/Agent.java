package dev.lifeboat.core.schedule;

import dev.lifeboat.core.model.BackupPlan;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.StackBusyException;
import dev.lifeboat.core.backup.BackupService;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.proof.RestoreTestService;
import dev.lifeboat.core.retention.PruneService;
import dev.lifeboat.core.storage.Replicator;
import dev.lifeboat.core.verify.IntegrityVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the plans' schedules with no one at the console. Each tick it looks at every plan's jobs: a job
 * is due when its newest slot is later than the slot it last ran for, so slots missed while the agent
 * was down run once. A due job starts after a small random delay (so many stacks do not start in the
 * same second), on a pool of workers; the stack lock in the history keeps one backup per stack across
 * processes. Agents on several machines may share one history (team mode): each slot is claimed in the
 * history before it runs, so exactly one of them runs it (ADR 22). Everything is recorded there.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private final HistoryStore history;
    private final BackupService backups;
    private final Replicator replicator;
    private final IntegrityVerifier verifier;
    private final RestoreTestService restoreTests;
    private final PruneService prune;
    private final dev.lifeboat.core.alert.AlertService alerts;
    private Instant lastEvaluation = Instant.EPOCH;
    private final Clock clock;
    private final Duration maxJitter;
    private final Random random = new Random();
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "lifeboat-agent-job");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** The daily digest goes out at 07:00 local time, once (tracked like a plan's job). */
    static final String DIGEST = "digest";
    static final String DIGEST_CRON = "0 7 * * *";

    public Agent(HistoryStore history, BackupService backups, Replicator replicator, IntegrityVerifier verifier,
                 RestoreTestService restoreTests, PruneService prune, dev.lifeboat.core.alert.AlertService alerts, Clock clock,
                 Duration maxJitter) {
        this.alerts = alerts;
        this.history = history;
        this.backups = backups;
        this.replicator = replicator;
        this.verifier = verifier;
        this.restoreTests = restoreTests;
        this.prune = prune;
        this.clock = clock;
        this.maxJitter = maxJitter;
    }

    /** Runs ticks until the thread is interrupted (SIGTERM stops the JVM, which interrupts it). */
    public void run(Duration tick) {
        LOG.info("Agent started: {} plans, tick {}", history.plans().all().size(), tick);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("Agent tick failed; trying again at the next tick", e);
            }
            try {
                Thread.sleep(tick.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("Agent stopping");
    }

    private dev.lifeboat.core.pitr.WalShipping walShipping;

    static final String SELF_BACKUP = "self-backup";
    /** Lifeboat backs itself up every night at 01:40, local time, when asked to ({@link #backingUpItself}). */
    static final String SELF_BACKUP_CRON = "40 1 * * *";
    private Runnable selfBackup;

    /** Also backs Lifeboat itself up once a day ({@code job}: the self-backup use case), one agent of a shared history at a time. */
    public Agent backingUpItself(Runnable job) {
        this.selfBackup = job;
        return this;
    }

    /** Also keeps the WAL of every PITR-enabled asset shipping, one pass per tick (ADR 24). */
    public Agent shippingWal(dev.lifeboat.core.pitr.WalShipping walShipping) {
        this.walShipping = walShipping;
        return this;
    }

    /** Starts every job that is due now, and a WAL shipping pass unless one is still running. */
    public void tick() {
        Instant now = clock.instant();
        if (walShipping != null && inFlight.add(WAL)) {
            workers.submit(() -> {
                try {
                    shipWal();
                } finally {
                    inFlight.remove(WAL);
                }
            });
        }
        if (Duration.between(lastEvaluation, now).compareTo(Duration.ofMinutes(5)) >= 0) {
            lastEvaluation = now;
            evaluateAlerts();
        }
        Optional<Instant> digestSlot = Schedule.parse(DIGEST_CRON, ZoneId.systemDefault().getId()).lastSlot(now);
        Instant digestRanFor = history.plans().lastSlot(DIGEST, DIGEST).orElse(null);
        if (digestRanFor == null && digestSlot.isPresent()) {
            history.plans().claimSlot(DIGEST, DIGEST, null, digestSlot.get()); // the first digest goes out at the next 07:00
        } else if (Schedule.due(digestSlot, digestRanFor) && history.plans().claimSlot(DIGEST, DIGEST, digestRanFor, digestSlot.get())) {
            workers.submit(() -> {
                try {
                    LOG.info("Daily digest sent to {} e-mail channels", alerts.sendDigest());
                } catch (RuntimeException e) {
                    LOG.error("Daily digest failed", e);
                }
            });
        }
        if (selfBackup != null) {
            Optional<Instant> selfSlot = Schedule.parse(SELF_BACKUP_CRON, ZoneId.systemDefault().getId()).lastSlot(now);
            Instant selfRanFor = history.plans().lastSlot(SELF_BACKUP, SELF_BACKUP).orElse(null);
            if (selfSlot.isPresent() && (selfRanFor == null || Schedule.due(selfSlot, selfRanFor))
                    && history.plans().claimSlot(SELF_BACKUP, SELF_BACKUP, selfRanFor, selfSlot.get())) {
                workers.submit(() -> {
                    try {
                        selfBackup.run();
                    } catch (RuntimeException e) {
                        LOG.error("Self-backup failed: {}", e.getMessage(), e);
                    }
                });
            }
        }
        for (BackupPlan plan : history.plans().all()) {
            for (BackupPlan.Job job : BackupPlan.Job.values()) {
                String cron = plan.cron(job);
                if (cron == null || cron.isBlank()) {
                    continue;
                }
                Schedule schedule = Schedule.parse(cron, plan.zone());
                Optional<Instant> slot = schedule.lastSlot(now);
                Instant ranFor = history.plans().lastSlot(plan.name(), job.name()).orElse(null);
                String key = plan.name() + "/" + job;
                if (!Schedule.due(slot, ranFor) || !inFlight.add(key)) {
                    continue;
                }
                if (!history.plans().claimSlot(plan.name(), job.name(), ranFor, slot.get())) {
                    inFlight.remove(key); // another agent sharing the history claimed this slot first: it runs it
                    LOG.info("Plan {}: {} for slot {} is run by another agent", plan.name(), job, slot.get());
                    continue;
                }
                long delay = maxJitter.isZero() ? 0 : (long) (random.nextDouble() * maxJitter.toMillis());
                LOG.info("Plan {}: {} due for slot {}{}", plan.name(), job, slot.get(),
                        ranFor != null && schedule.nextSlot(ranFor).map(n -> n.isBefore(slot.get())).orElse(false)
                                ? " (catching up once for the slots missed since " + ranFor + ")" : "");
                workers.submit(() -> {
                    try {
                        Thread.sleep(delay);
                        runJob(plan, job);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException | Error e) {
                        // a worker's failure would otherwise vanish inside its Future: log it and record it
                        LOG.error("Plan {}: {} failed unexpectedly", plan.name(), job, e);
                        recordFailure(plan, job, e);
                        if (e instanceof Error err) {
                            throw err;
                        }
                    } finally {
                        inFlight.remove(key);
                    }
                });
            }
        }
    }

    private static final String WAL = "wal shipping";

    /**
     * One shipping pass per PITR-enabled asset, each under the asset's own lock in the history, so of
     * several agents sharing it one ships at a time (the others skip the pass); a failure is logged and the
     * next tick tries again: the replication slot keeps the WAL meanwhile.
     */
    private void shipWal() {
        for (dev.lifeboat.core.history.PitrConfig c : history.pitr().all()) {
            try {
                var shipped = history.locks().withStackLock(c.host(), c.stack() + "/" + WAL_LOCK + c.asset(), "wal shipping",
                        dev.lifeboat.core.StackBusyException::new, () -> walShipping.ship(c, dev.lifeboat.core.Progress.NONE));
                if (!shipped.files().isEmpty() || shipped.problem() != null) {
                    LOG.info("WAL of {}/{} {}: {} files shipped{}", c.host(), c.stack(), c.asset(), shipped.files().size(),
                            shipped.problem() == null ? "" : "; " + shipped.problem());
                }
            } catch (dev.lifeboat.core.StackBusyException busy) {
                LOG.debug("WAL of {} is shipped by {}", c.asset(), busy.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Shipping the WAL of {}/{} {} failed; the next tick tries again: {}", c.host(), c.stack(), c.asset(),
                        e.getMessage());
            }
        }
    }

    /** The lock of an asset's WAL shipping: a name no stack has (stack names hold no '/'). */
    private static final String WAL_LOCK = "wal:";

    private void evaluateAlerts() {
        new dev.lifeboat.core.alert.AfterRun(alerts).run();
    }

    /** Runs one job of a plan now (also what {@code plan run} does), then evaluates the alert rules. */
    public void runJob(BackupPlan plan, BackupPlan.Job job) {
        try {
            runJobOnly(plan, job);
        } finally {
            evaluateAlerts();
        }
    }

    /**
     * A plan's backup job: its chosen assets to its destination, then a copy to each of its copy
     * destinations, then the dead man's switch. No alert evaluation ({@link #runJob} does that).
     */
    public RecoveryPoint backup(BackupPlan plan, Progress progress) {
        RecoveryPoint p = backups.backup(plan.host(), plan.stack(), plan.destination(), "scheduled", plan.assets(), progress);
        for (String copy : plan.copies()) {
            replicator.replicate(p.id(), copy, progress);
        }
        LOG.info("Plan {}: backup {} done", plan.name(), p.id());
        alerts.pingGoodRun();
        return p;
    }

    /** Runs one job of a plan now, without the after-run step (the caller runs it: {@code plan run}). */
    public void runJobOnly(BackupPlan plan, BackupPlan.Job job) {
        try {
            switch (job) {
                case BACKUP -> backup(plan, Progress.NONE);
                case VERIFY -> {
                    Optional<RecoveryPoint> newest = history.points().of(plan.host(), plan.stack()).stream()
                            .filter(p -> !p.isSafety()).max(Comparator.comparing(RecoveryPoint::createdAt));
                    if (newest.isEmpty()) {
                        LOG.warn("Plan {}: nothing to verify yet", plan.name());
                        return;
                    }
                    if (plan.restoreTest()) {
                        var r = restoreTests.test(newest.get().id(), null, Progress.NONE);
                        LOG.info("Plan {}: restore test of {}: {}", plan.name(), r.pointId(), r.ok() ? "passed" : "FAILED");
                    } else {
                        var r = verifier.verify(newest.get().id(), Progress.NONE);
                        LOG.info("Plan {}: verify of {}: {}", plan.name(), r.pointId(), r.ok() ? "passed" : "FAILED");
                    }
                }
                case PRUNE -> {
                    var entries = prune.prune(plan.host(), plan.stack(), plan.destination(), plan.retention(),
                            ZoneId.of(plan.zone()), false);
                    LOG.info("Plan {}: pruned {} points", plan.name(), entries.stream().filter(e -> e.deleted() && !e.leftover()).count());
                }
            }
        } catch (StackBusyException e) {
            LOG.info("Plan {}: {}", plan.name(), e.getMessage());
        } catch (LifeboatException e) {
            LOG.warn("Plan {}: {} failed: {}", plan.name(), job, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Plan {}: {} failed unexpectedly", plan.name(), job, e);
            recordFailure(plan, job, e);
        }
    }

    private void recordFailure(BackupPlan plan, BackupPlan.Job job, Throwable e) {
        try {
            history.runs().recordFailed(job.name().toLowerCase(java.util.Locale.ROOT), plan.host(), plan.stack(), "agent",
                    "plan " + plan.name() + ": " + job + " failed unexpectedly: " + e);
        } catch (RuntimeException recordingFailed) {
            LOG.error("Plan {}: could not record the failure of {}", plan.name(), job, recordingFailed);
        }
    }

    /**
     * Starts no more jobs and waits up to {@code timeout} for the running ones to end on their own;
     * returns whether they did. {@link #close} then cancels whatever still runs.
     */
    public boolean finishRunning(Duration timeout) {
        workers.shutdown();
        try {
            return workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
