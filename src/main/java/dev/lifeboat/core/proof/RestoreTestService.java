package dev.lifeboat.core.proof;

import dev.lifeboat.core.history.RestoreTestRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.restore.SandboxChecks;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    public RestoreTestService(Repositories repositories, Function<Host, DockerEngine> connector, AssetKinds kinds,
                              IntegrityVerifier verifier) {
        this.kinds = kinds;
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
        String actor = repositories.actor();
        String runId = history.runs().start("restore-test", m.host(), m.stack(), m.pointId(), point.destination(), actor);
        List<RunStep> phases = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        PhaseTimer timer = new PhaseTimer(phases, progress, "Restore test");
        long start = System.nanoTime();
        try {
            VerifyReport integrity = timer.run("verify", () -> verifier.verify(point, progress, new ArrayList<>()));
            checks.add(integrity.ok()
                    ? Check.pass("integrity", integrity.checks().size() + " checks: signature, checksums, decryption, structure")
                    : Check.fail("integrity", integrity.failures().stream().map(VerifyReport.Check::detail)
                            .collect(Collectors.joining("; "))));
            if (integrity.ok()) {
                try (DockerEngine docker = connector.apply(host)) {
                    checks.addAll(inSandbox(docker, point, settings, runId, timer));
                }
            }
        } catch (RuntimeException e) {
            history.runs().finish(runId, "failed", e.getMessage(), m.pointId(), phases);
            throw e;
        }
        long duration = (System.nanoTime() - start) / 1_000_000;
        RestoreTestReport report = new RestoreTestReport(runId, m.pointId(), m.host(), m.stack(), host.name(), checks,
                List.copyOf(phases), duration);
        String summary = report.ok() ? "all " + checks.size() + " checks passed in the sandbox"
                : report.failures().size() + " of " + checks.size() + " checks failed: " + report.failures().get(0).name()
                + ": " + report.failures().get(0).detail();
        history.runs().finish(runId, report.ok() ? "ok" : "failed", summary, m.pointId(), phases);
        try {
            history.proof().recordRestoreTest(new RestoreTestRecord(runId, m.pointId(), m.host(), m.stack(), host.name(),
                    OffsetDateTime.now(ZoneOffset.UTC), duration, report.ok(), ManifestCodec.mapper().writeValueAsString(checks)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        history.runs().audit(actor, "restore-test", m.host() + "/" + m.stack(), "point " + m.pointId() + " on " + host.name()
                + ": " + summary);
        return report;
    }

    /** Restores into a fresh sandbox, checks it, and removes it. */
    private List<Check> inSandbox(DockerEngine docker, PointLocator.Located point, StackSettings settings, String runId,
                                  PhaseTimer timer) {
        List<Check> checks = new ArrayList<>();
        return Sandbox.use(docker, history, connector, point, runId, timer, checks, target -> {
            RestoreRun run = new RestoreRun(docker, kinds, point, point.containerSpecs(), timer, runId, target, RestoreScope.ALL)
                    .startApps(settings.probe() != null);
            try {
                run.execute(List.of());
            } catch (LifeboatException e) {
                checks.add(Check.fail("restore into the sandbox", e.getMessage()));
                return checks;
            }
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
