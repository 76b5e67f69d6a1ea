package dev.lifeboat.core.verify;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.VerifyContext;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import dev.lifeboat.core.storage.Chain;

/**
 * Re-reads every artifact of a point: stored SHA-256, authenticated decryption of every chunk,
 * content SHA-256, and the structure of what is inside, as each asset's kind checks it (tar readable with
 * the recorded number of entries; {@code pg_restore --list} accepts each dump; RDB header valid).
 */
public final class IntegrityVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrityVerifier.class);
    private final HistoryStore history;
    private final Repositories repositories;
    private final Function<Host, DockerEngine> connector;
    private final AssetKinds kinds;

    public IntegrityVerifier(Repositories repositories, Function<Host, DockerEngine> connector, AssetKinds kinds) {
        this.history = repositories.history();
        this.kinds = kinds;
        this.repositories = repositories;
        this.connector = connector;
    }

    /** Verifies a point and records the run. Never throws for a damaged point: the report says what failed. */
    public VerifyReport verify(String pointId, Progress progress) {
        String actor = repositories.actor();
        String runId = history.runs().start("verify", null, null, pointId, null, actor);
        List<RunStep> steps = new ArrayList<>();
        VerifyReport report;
        try {
            try (PointLocator.Located point = new PointLocator(repositories).locate(pointId)) {
                report = verify(point, progress, steps);
            }
        } catch (IntegrityException e) {
            report = new VerifyReport(pointId, null, List.of(new VerifyReport.Check("manifest.json", false, e.getMessage())));
        } catch (RuntimeException e) {
            history.runs().finish(runId, "failed", e.getMessage(), null, steps);
            throw e;
        }
        String summary = report.ok() ? "all " + report.checks().size() + " checks passed"
                : report.failures().size() + " of " + report.checks().size() + " checks failed: "
                + report.failures().get(0).detail();
        history.runs().finish(runId, report.ok() ? "ok" : "failed", summary, null, steps);
        history.runs().audit(actor, "verify", pointId, summary);
        return report;
    }

    /**
     * Checks the chain of a stack's manifests on every destination that holds it (see {@link Chain}):
     * a point removed by hand from the middle, or a rewritten history, is named; a point retention
     * removed is not. Records a verify run.
     */
    public List<Chain.Report> chain(String host, String stack) {
        String actor = repositories.actor();
        String runId = history.runs().start("verify", host, stack, null, null, actor);
        List<Chain.Report> reports = new ArrayList<>();
        try {
            for (var d : history.destinations().all()) {
                try (var repo = repositories.open(d)) {
                    if (!repo.destination().list(host, stack).isEmpty()) {
                        reports.add(Chain.check(repo, host, stack));
                    }
                } catch (java.io.IOException e) {
                    throw new dev.lifeboat.core.LifeboatException("Destination " + d.name() + ": cannot list points: "
                            + e.getMessage(), e);
                }
            }
        } catch (RuntimeException e) {
            history.runs().finish(runId, "failed", e.getMessage(), null, List.of());
            throw e;
        }
        List<String> problems = reports.stream().flatMap(r -> r.problems().stream()).toList();
        String summary = problems.isEmpty() ? "chain intact on " + reports.size() + " destinations" : problems.get(0);
        history.runs().finish(runId, problems.isEmpty() ? "ok" : "failed", summary, null, List.of());
        history.runs().audit(actor, "verify-chain", host + "/" + stack, summary);
        return reports;
    }

    /** Verifies an opened point without recording a run (restore calls this before touching anything). */
    public VerifyReport verify(PointLocator.Located point, Progress progress, List<RunStep> steps) {
        return verify(point, progress, steps, a -> true);
    }

    /** As above, for the assets {@code include} accepts only (a restore checked the others as they streamed). */
    public VerifyReport verify(PointLocator.Located point, Progress progress, List<RunStep> steps,
                               java.util.function.Predicate<AssetRecord> include) {
        return verify(point, progress, steps, (asset, artifact) -> include.test(asset));
    }

    /** As above, for the artifacts {@code include} accepts only. */
    public VerifyReport verify(PointLocator.Located point, Progress progress, List<RunStep> steps,
                               java.util.function.BiPredicate<AssetRecord, Artifact> include) {
        List<VerifyReport.Check> checks = new ArrayList<>();
        checks.add(new VerifyReport.Check("manifest.json", true, "signature valid"));
        try (PointHost ctx = new PointHost(point)) {
            for (AssetRecord asset : point.manifest().assets()) {
                for (Artifact a : asset.artifacts()) {
                    if (!include.test(asset, a)) {
                        continue;
                    }
                    progress.phase("verify", "Verifying " + a.file());
                    long start = System.nanoTime();
                    VerifyReport.Check c = check(ctx, asset, a);
                    checks.add(c);
                    steps.add(new RunStep(a.file(), (System.nanoTime() - start) / 1_000_000, a.storedBytes(),
                            c.ok() ? "ok" : "failed", c.detail()));
                }
            }
        }
        return new VerifyReport(point.manifest().pointId(), point.destination(), checks);
    }

    /**
     * One artifact: its stored and plain hashes and every chunk's authentication (the pipeline, as it is
     * read), and what is inside, checked by the asset's kind (the core checks the stack's container specs).
     */
    private VerifyReport.Check check(PointHost ctx, AssetRecord asset, Artifact a) {
        try (InputStream plain = ctx.point().open(a)) {
            String detail;
            if (PointLocator.CONTAINER_SPECS_ROLE.equals(a.role())) {
                detail = checkSpecs(plain, asset);
            } else {
                Optional<AssetKind> kind = kinds.find(asset.kind());
                if (kind.isPresent()) {
                    detail = kind.get().verify(ctx, asset, a, plain);
                } else {
                    plain.transferTo(OutputStream.nullOutputStream());
                    detail = AssetKinds.STACK.equals(asset.kind()) ? "readable"
                            : "readable (kind " + asset.kind() + " is not known here: content not checked)";
                }
            }
            return new VerifyReport.Check(a.file(), true, detail);
        } catch (IntegrityException e) {
            return new VerifyReport.Check(a.file(), false, e.getMessage());
        } catch (IOException | LifeboatException e) {
            return new VerifyReport.Check(a.file(), false, a.file() + ": " + e.getMessage());
        }
    }

    private static String checkSpecs(InputStream plain, AssetRecord asset) throws IOException {
        ContainerSpec[] specs = dev.lifeboat.core.storage.ManifestCodec.mapper().readValue(plain.readAllBytes(), ContainerSpec[].class);
        plain.transferTo(OutputStream.nullOutputStream());
        if (asset.fileCount() != null && asset.fileCount() != specs.length) {
            throw new IntegrityException("container specs hold " + specs.length + " containers, the manifest recorded "
                    + asset.fileCount());
        }
        return specs.length + " container specs";
    }

    /** The point's host, connected on first use when a kind's check asks for it, closed after the verify. */
    private final class PointHost implements VerifyContext, AutoCloseable {
        private final PointLocator.Located point;
        private DockerEngine docker;
        private boolean tried;

        PointHost(PointLocator.Located point) {
            this.point = point;
        }

        @Override
        public PointLocator.Located point() {
            return point;
        }

        @Override
        public Optional<DockerEngine> host() {
            if (!tried) {
                tried = true;
                try {
                    history.hosts().find(point.manifest().host()).ifPresent(h -> docker = connector.apply(h));
                } catch (LifeboatException e) {
                    LOG.info("Host {} not reachable while verifying; checks use local tools: {}",
                            point.manifest().host(), e.getMessage());
                }
            }
            return Optional.ofNullable(docker);
        }

        @Override
        public void close() {
            if (docker != null) {
                docker.close();
            }
        }
    }
}
