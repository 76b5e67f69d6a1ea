package dev.lifeboat.core.verify;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import dev.lifeboat.core.storage.Chain;

/**
 * Re-reads every artifact of a point: stored SHA-256, authenticated decryption of every chunk,
 * content SHA-256, and the structure of what is inside (tar readable with the recorded number of
 * entries; {@code pg_restore --list} accepts each dump; RDB header valid).
 */
public final class IntegrityVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrityVerifier.class);
    private final HistoryStore history;
    private final Repositories repositories;
    private final Function<Host, DockerGateway> connector;

    public IntegrityVerifier(Repositories repositories, Function<Host, DockerGateway> connector) {
        this.history = repositories.history();
        this.repositories = repositories;
        this.connector = connector;
    }

    /** Verifies a point and records the run. Never throws for a damaged point: the report says what failed. */
    public VerifyReport verify(String pointId, Progress progress) {
        String actor = repositories.actor();
        String runId = history.startRun("verify", null, null, pointId, null, actor);
        List<RunStep> steps = new ArrayList<>();
        VerifyReport report;
        try {
            try (PointLocator.Located point = new PointLocator(repositories).locate(pointId)) {
                report = verify(point, progress, steps);
            }
        } catch (IntegrityException e) {
            report = new VerifyReport(pointId, null, List.of(new VerifyReport.Check("manifest.json", false, e.getMessage())));
        } catch (RuntimeException e) {
            history.finishRun(runId, "failed", e.getMessage(), null, steps);
            throw e;
        }
        String summary = report.ok() ? "all " + report.checks().size() + " checks passed"
                : report.failures().size() + " of " + report.checks().size() + " checks failed: "
                + report.failures().get(0).detail();
        history.finishRun(runId, report.ok() ? "ok" : "failed", summary, null, steps);
        history.audit(actor, "verify", pointId, summary);
        return report;
    }

    /**
     * Checks the chain of a stack's manifests on every destination that holds it (see {@link Chain}):
     * a point removed by hand from the middle, or a rewritten history, is named; a point retention
     * removed is not. Records a verify run.
     */
    public List<Chain.Report> chain(String host, String stack) {
        String actor = repositories.actor();
        String runId = history.startRun("verify", host, stack, null, null, actor);
        List<Chain.Report> reports = new ArrayList<>();
        try {
            for (var d : history.destinations()) {
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
            history.finishRun(runId, "failed", e.getMessage(), null, List.of());
            throw e;
        }
        List<String> problems = reports.stream().flatMap(r -> r.problems().stream()).toList();
        String summary = problems.isEmpty() ? "chain intact on " + reports.size() + " destinations" : problems.get(0);
        history.finishRun(runId, problems.isEmpty() ? "ok" : "failed", summary, null, List.of());
        history.audit(actor, "verify-chain", host + "/" + stack, summary);
        return reports;
    }

    /** Verifies an opened point without recording a run (restore calls this before touching anything). */
    public VerifyReport verify(PointLocator.Located point, Progress progress, List<RunStep> steps) {
        List<VerifyReport.Check> checks = new ArrayList<>();
        checks.add(new VerifyReport.Check("manifest.json", true, "signature valid"));
        try (PgRestoreRunner pgRestore = new PgRestoreRunner(point)) {
            for (AssetRecord asset : point.manifest().assets()) {
                for (Artifact a : asset.artifacts()) {
                    progress.phase("verify", "Verifying " + a.file());
                    long start = System.nanoTime();
                    VerifyReport.Check c = check(point, asset, a, pgRestore);
                    checks.add(c);
                    steps.add(new RunStep(a.file(), (System.nanoTime() - start) / 1_000_000, a.storedBytes(),
                            c.ok() ? "ok" : "failed", c.detail()));
                }
            }
        }
        return new VerifyReport(point.manifest().pointId(), point.destination(), checks);
    }

    private VerifyReport.Check check(PointLocator.Located point, AssetRecord asset, Artifact a, PgRestoreRunner pgRestore) {
        try (InputStream plain = point.open(a)) {
            String detail = switch (a.role()) {
                case "volume-tar", "config-tar" -> checkTar(plain, asset, a);
                case "pg-dump" -> pgRestore.list(plain, a);
                case "redis-rdb" -> checkRdb(plain);
                case PointLocator.CONTAINER_SPECS_ROLE -> checkSpecs(plain, asset);
                case dev.lifeboat.core.backup.VolumeArchiver.INDEX_ROLE -> checkIndex(plain, asset, a);
                default -> {
                    plain.transferTo(OutputStream.nullOutputStream());
                    yield "readable";
                }
            };
            return new VerifyReport.Check(a.file(), true, detail);
        } catch (IntegrityException e) {
            return new VerifyReport.Check(a.file(), false, e.getMessage());
        } catch (IOException | LifeboatException e) {
            return new VerifyReport.Check(a.file(), false, a.file() + ": " + e.getMessage());
        }
    }

    private static String checkTar(InputStream plain, AssetRecord asset, Artifact a) throws IOException {
        long entries = 0;
        long files = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(plain, StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            entries++;
            if (!e.isDirectory()) {
                files++;
            }
        }
        plain.transferTo(OutputStream.nullOutputStream());
        long expected = asset.fileCount() == null ? -1 : asset.fileCount();
        long actual = "config-tar".equals(a.role()) ? files : entries;
        if (expected >= 0 && expected != actual) {
            throw new IntegrityException(a.file() + ": tar holds " + actual + " entries, the manifest recorded " + expected);
        }
        return "tar readable, " + actual + " entries";
    }

    private static String checkIndex(InputStream plain, AssetRecord asset, Artifact a) throws IOException {
        dev.lifeboat.core.model.FileEntry[] entries = dev.lifeboat.core.storage.ManifestCodec.mapper()
                .readValue(plain.readAllBytes(), dev.lifeboat.core.model.FileEntry[].class);
        if (asset.fileCount() != null && asset.fileCount() != entries.length) {
            throw new IntegrityException(a.file() + ": the index lists " + entries.length + " entries, the manifest recorded "
                    + asset.fileCount());
        }
        return "index of " + entries.length + " entries";
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

    private static String checkRdb(InputStream plain) throws IOException {
        byte[] head = plain.readNBytes(9);
        plain.transferTo(OutputStream.nullOutputStream());
        String h = new String(head, StandardCharsets.US_ASCII);
        if (!h.matches("REDIS\\d{4}")) {
            throw new IntegrityException("RDB header is not valid: " + Arrays.toString(head));
        }
        return "RDB version " + h.substring(5);
    }

    /**
     * Runs {@code pg_restore --list} on a dump: in the stack's own PostgreSQL container when it is
     * running (its own tool version), else with a local pg_restore.
     */
    private final class PgRestoreRunner implements AutoCloseable {
        private final PointLocator.Located point;
        private DockerGateway docker;
        private boolean dockerTried;

        PgRestoreRunner(PointLocator.Located point) {
            this.point = point;
        }

        String list(InputStream plain, Artifact a) throws IOException {
            Optional<ContainerSpec> container = runningContainer(point.manifest().assets().stream()
                    .filter(x -> x.artifacts().contains(a)).findFirst().map(AssetRecord::container).orElse(null));
            ByteArrayOutputStream toc = new ByteArrayOutputStream();
            ExecResult r;
            if (container.isPresent()) {
                // pg_restore --list stops reading after the TOC; cat drains the rest, so that Docker never
                // closes the exec with unread input (which resets the connection and can lose the output)
                r = new PostgresClient(docker, container.get()).run(List.of("sh", "-c",
                        "pg_restore --list; status=$?; cat > /dev/null; exit $status"), plain, toc);
            } else {
                r = LocalTool.run(List.of("pg_restore", "--list"), plain, toc);
            }
            if (!r.ok()) {
                throw new IntegrityException(a.file() + ": pg_restore --list rejected the dump: " + r.stderr().trim());
            }
            long entries = toc.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith(";") && !l.isBlank()).count();
            return "pg_restore --list: " + entries + " TOC entries";
        }

        private Optional<ContainerSpec> runningContainer(String name) {
            if (name == null) {
                return Optional.empty();
            }
            if (!dockerTried) {
                dockerTried = true;
                try {
                    history.host(point.manifest().host()).ifPresent(h -> docker = connector.apply(h));
                } catch (LifeboatException e) {
                    LOG.info("Host {} not reachable for pg_restore --list; using a local pg_restore: {}",
                            point.manifest().host(), e.getMessage());
                }
            }
            if (docker == null) {
                return Optional.empty();
            }
            try {
                return docker.inspect(name).filter(ContainerSpec::running);
            } catch (LifeboatException e) {
                return Optional.empty();
            }
        }

        @Override
        public void close() {
            if (docker != null) {
                docker.close();
            }
        }
    }
}
