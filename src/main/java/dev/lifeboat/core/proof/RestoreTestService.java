package dev.lifeboat.core.proof;

import dev.lifeboat.core.history.RestoreTestRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.restore.SandboxChecks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.restore.PhaseTimer;
import dev.lifeboat.core.restore.RestoreRun;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.storage.ManifestCodec;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;
import dev.lifeboat.core.verify.VerifyReport;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Proves a recovery point by restoring it into an isolated sandbox (see {@link RestoreTarget.Sandbox})
 * and checking the data there against what the point recorded. The live stack is never touched. The
 * sandbox is removed afterwards whatever happened (also on Ctrl-C, by a shutdown hook), and leftovers of
 * killed runs are removed before each test.
 */
public final class RestoreTestService {
    private final HistoryStore history;
    private final Repositories repositories;
    private final Function<Host, DockerEngine> connector;
    private final IntegrityVerifier verifier;
    private final AssetKinds kinds;
    private final dev.lifeboat.core.pitr.PitrRestore pitr;

    public RestoreTestService(Repositories repositories, Function<Host, DockerEngine> connector, AssetKinds kinds,
                              IntegrityVerifier verifier, dev.lifeboat.core.pitr.PitrRestore pitr) {
        this.kinds = kinds;
        this.pitr = pitr;
        this.history = repositories.history();
        this.repositories = repositories;
        this.connector = connector;
        this.verifier = verifier;
    }

    /** A random point of the stack taken within {@code window} (users' DR plans: "a random backup from last week"). */
    public String randomRecentPoint(String host, String stack, Duration window, Random random) {
        Instant since = Instant.now().minus(window);
        List<String> ids = history.points().of(host, stack).stream().filter(p -> !p.createdAt().isBefore(since))
                .filter(p -> !p.isSafety()).map(RecoveryPoint::id).distinct().toList();
        if (ids.isEmpty()) {
            throw new LifeboatException("No recovery point of " + host + "/" + stack + " in the last "
                    + StackSettings.format(window));
        }
        return ids.get(random.nextInt(ids.size()));
    }

    /** Restores {@code pointId} into a sandbox on {@code onHost} (null: the point's own host) and checks it. */
    /**
     * Restores {@code pointId} into a sandbox and checks it, under the stack's lock: prune cannot delete
     * the point it reads, and no restore of the stack runs meanwhile.
     */
    public RestoreTestReport test(String pointId, String onHost, Progress progress) {
        try (PointLocator.Located point = new PointLocator(repositories).locate(pointId)) {
            Manifest m = point.manifest();
            return history.locks().withStackLock(m.host(), m.stack(), "restore-test",
                    holder -> new dev.lifeboat.core.StackBusyException("Restore test of " + m.host() + "/" + m.stack()
                            + " skipped: the stack is busy (" + holder + ")"),
                    () -> test(point, onHost, progress));
        }
    }

    private RestoreTestReport test(PointLocator.Located point, String onHost, Progress progress) {
        Manifest m = point.manifest();
        Host host = history.hosts().require(onHost == null ? m.host() : onHost);
        StackSettings settings = history.plans().settings(m.host(), m.stack());
        return proved(m.host(), m.stack(), m.pointId(), point.destination(), host, "point " + m.pointId(), progress,
                (runId, timer, checks) -> {
                    // no separate read of the whole point first (ADR 25): the sandbox is thrown away, so what the
                    // restore reads is checked as it streams, and only what it did not read is verified after
                    try (DockerEngine docker = connector.apply(host)) {
                        checks.addAll(inSandbox(docker, point, settings, runId, timer, progress));
                    }
                    return m.pointId();
                });
    }

    /**
     * Restores the PostgreSQL of {@code host/stack} that ships its WAL to the moment {@code at} in a sandbox,
     * from the newest base backup before it and the shipped WAL, and checks it there (ADR 24): every table of
     * the base backup's point is back, and {@code table} ("db.table"; may be null) with its rows. Under the
     * stack's lock, as any restore test.
     */
    public RestoreTestReport testMoment(String host, String stack, Instant at, String table, Progress progress) {
        List<dev.lifeboat.core.history.PitrConfig> shipped = history.pitr().of(host, stack);
        if (shipped.isEmpty()) {
            throw new LifeboatException("A restore test to a moment needs the WAL of " + host + "/" + stack + " shipped"
                    + " ('lifeboat pitr enable')");
        }
        Host onHost = history.hosts().require(host);
        MomentInSandbox moment = new MomentInSandbox(repositories, connector, kinds, verifier, pitr);
        return history.locks().withStackLock(host, stack, "restore-test",
                holder -> new dev.lifeboat.core.StackBusyException("Restore test of " + host + "/" + stack
                        + " skipped: the stack is busy (" + holder + ")"),
                () -> proved(host, stack, null, shipped.get(0).destination(), onHost, "moment " + at, progress,
                        (runId, timer, checks) -> {
                            List<dev.lifeboat.core.pitr.PitrRestore.Plan> plans = timer.run("verify", () -> moment.plans(host,
                                    stack, shipped, dev.lifeboat.core.pitr.PitrRestore.Target.at(at), progress));
                            checks.addAll(MomentInSandbox.assessed(plans));
                            moment.recover(onHost, plans, table, runId, timer, checks, progress);
                            return plans.get(0).basePoint();
                        }));
    }

    /** The work of a restore test: fills in the checks and returns the point it proved. */
    private interface Work {
        String run(String runId, PhaseTimer timer, List<Check> checks);
    }

    /** A restore test's run, its record and its audit entry around {@code work}. */
    private RestoreTestReport proved(String host, String stack, String pointId, String destination, Host sandboxHost, String what,
                                     Progress progress, Work work) {
        String actor = repositories.actor();
        String runId = history.runs().start("restore-test", host, stack, pointId, destination, actor);
        List<RunStep> phases = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        PhaseTimer timer = new PhaseTimer(phases, progress, "Restore test");
        long start = System.nanoTime();
        String proved;
        try {
            proved = work.run(runId, timer, checks);
        } catch (RuntimeException e) {
            history.runs().finish(runId, "failed", e.getMessage(), pointId, phases);
            throw e;
        }
        long duration = (System.nanoTime() - start) / 1_000_000;
        RestoreTestReport report = new RestoreTestReport(runId, proved, host, stack, sandboxHost.name(), checks,
                List.copyOf(phases), duration);
        String summary = report.ok() ? "all " + checks.size() + " checks passed in the sandbox"
                : report.failures().size() + " of " + checks.size() + " checks failed: " + report.failures().get(0).name()
                + ": " + report.failures().get(0).detail();
        history.runs().finish(runId, report.ok() ? "ok" : "failed", summary, proved, phases);
        try {
            history.proof().recordRestoreTest(new RestoreTestRecord(runId, proved, host, stack, sandboxHost.name(),
                    OffsetDateTime.now(ZoneOffset.UTC), duration, report.ok(), ManifestCodec.mapper().writeValueAsString(checks)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        history.runs().audit(actor, "restore-test", host + "/" + stack, what + " on " + sandboxHost.name() + ": " + summary);
        return report;
    }

    /** Restores into a fresh sandbox, checks it, and removes it. */
    private List<Check> inSandbox(DockerEngine docker, PointLocator.Located point, StackSettings settings, String runId,
                                  PhaseTimer timer, Progress progress) {
        List<Check> checks = new ArrayList<>();
        return Sandbox.use(docker, history, connector, point, runId, timer, checks, target -> {
            RestoreRun run = new RestoreRun(docker, kinds, point, point.containerSpecs(), timer, runId, target, RestoreScope.ALL)
                    .startApps(settings.probe() != null);
            try {
                run.execute(List.of());
            } catch (LifeboatException e) {
                IntegrityException damaged = IntegrityException.in(e);
                checks.add(damaged != null ? Check.fail("integrity", damaged.getMessage())
                        : Check.fail("restore into the sandbox", e.getMessage()));
                return checks;
            }
            Set<String> streamed = run.verified();
            VerifyReport rest = timer.run("verify", () -> verifier.verify(point, progress, new ArrayList<>(),
                    (asset, artifact) -> !streamed.contains(artifact.file())));
            if (!rest.ok()) {
                checks.add(Check.fail("integrity", rest.failures().stream().map(VerifyReport.Check::detail)
                        .collect(Collectors.joining("; "))));
                return checks;
            }
            checks.add(Check.pass("integrity", "signature valid; " + streamed.size() + " artifacts checked as they were"
                    + " restored (SHA-256 of the stored and the decrypted data, every chunk authenticated), "
                    + (rest.checks().size() - 1) + " more read on their own"));
            SandboxChecks sandboxChecks = new SandboxChecks(docker, kinds, point, run.targetSpecs(), target, settings, runId);
            timer.run("checks", () -> {
                checks.addAll(sandboxChecks.run(RestoreScope.ALL));
                if (settings.probe() != null) {
                    checks.add(sandboxChecks.probe(settings.probe()));
                }
                return checks.stream().filter(Check::ok).count() + " of " + checks.size() + " checks passed";
            });
            return checks;
        });
    }
}
