package dev.lifeboat.core.proof;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.asset.RestoreTarget;
import dev.lifeboat.core.history.PitrConfig;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.pitr.PitrRestore;
import dev.lifeboat.core.restore.PhaseTimer;
import dev.lifeboat.core.restore.RestoreRun;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;
import dev.lifeboat.core.verify.VerifyReport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * PostgreSQL recovered to a moment in a sandbox (ADR 24), for drills and restore tests alike: the WAL up to
 * now is shipped, each asset's base backup is found and verified, and in a sandbox of the stack each asset's
 * data volume is written from its base backup and WAL (as a restore in place does), recovered to the moment
 * and promoted; then its tables are checked. The live stack is never touched.
 */
final class MomentInSandbox {
    private final Repositories repositories;
    private final Function<Host, DockerEngine> connector;
    private final AssetKinds kinds;
    private final IntegrityVerifier verifier;
    private final PitrRestore pitr;

    MomentInSandbox(Repositories repositories, Function<Host, DockerEngine> connector, AssetKinds kinds, IntegrityVerifier verifier,
                    PitrRestore pitr) {
        this.repositories = repositories;
        this.connector = connector;
        this.kinds = kinds;
        this.verifier = verifier;
        this.pitr = pitr;
    }

    /** The base backup and WAL of every asset that reach the moment, each base backup verified. */
    List<PitrRestore.Plan> plans(String host, String stack, List<PitrConfig> shipped, PitrRestore.Target target, Progress progress) {
        List<PitrRestore.Plan> found = new ArrayList<>();
        for (PitrConfig c : shipped) {
            PitrRestore.Plan plan = pitr.plan(host, stack, c.container(), target, progress);
            try (PointLocator.Located base = new PointLocator(repositories).locate(plan.basePoint())) {
                VerifyReport v = verifier.verify(base, progress, new ArrayList<>());
                if (!v.ok()) {
                    throw new IntegrityException("Base backup " + plan.basePoint() + " of " + c.asset() + " does not verify: "
                            + v.failures().get(0).detail());
                }
            }
            found.add(plan);
        }
        return found;
    }

    /** What the assessment found, as checks. */
    static List<Check> assessed(List<PitrRestore.Plan> plans) {
        return plans.stream().map(plan -> Check.pass("assessment", plan.config().asset() + ": base backup " + plan.basePoint()
                + " verifies, " + plan.wal().size() + " shipped WAL files reach " + plan.target() + " without a gap")).toList();
    }

    /**
     * Recovers every planned asset in one sandbox on {@code host} and checks it ({@code table}, "db.table" or
     * "db.schema.table", is checked to be back too); returns the oldest of the assets' newest recovered
     * transactions. The sandbox is removed afterwards, whatever happened.
     */
    Instant recover(Host host, List<PitrRestore.Plan> plans, String table, String runId, PhaseTimer timer, List<Check> checks,
                    Progress progress) {
        try (DockerEngine docker = connector.apply(host);
             PointLocator.Located first = new PointLocator(repositories).locate(plans.get(0).basePoint())) {
            return Sandbox.use(docker, repositories.history(), connector, first, runId, timer, checks, target -> {
                Instant newest = null;
                for (PitrRestore.Plan plan : plans) {
                    Instant at = recover(docker, plan, table, target, runId, timer, checks, progress);
                    newest = newest == null || at.isBefore(newest) ? at : newest;
                }
                return newest;
            });
        }
    }

    /** One asset recovered to the moment in the sandbox, and its tables checked there; the newest transaction recovered. */
    private Instant recover(DockerEngine docker, PitrRestore.Plan plan, String table, RestoreTarget.Sandbox target, String runId,
                            PhaseTimer timer, List<Check> checks, Progress progress) {
        String asset = plan.config().asset();
        try (PointLocator.Located base = new PointLocator(repositories).locate(plan.basePoint())) {
            ContainerSpec recorded = base.containerSpecs().stream().filter(c -> c.name().equals(plan.config().container()))
                    .findFirst().orElseThrow(() -> new LifeboatException("Base backup " + plan.basePoint() + " does not record"
                            + " container " + plan.config().container()));
            ContainerSpec spec = target.spec(recorded);
            RestoreRun run = new RestoreRun(docker, kinds, base, base.containerSpecs(), timer, runId, target, RestoreScope.ALL);
            run.checkImages(List.of());
            PitrRestore.Recovered r = timer.run("recover " + asset, () -> {
                run.ensureVolumes(spec);
                return pitr.recoverInto(docker, plan, base, spec, target.labels(), () -> run.ensureCreated(spec), progress);
            });
            Duration lost = Duration.between(r.newestTransaction(), plan.target().time()).abs();
            checks.add(Check.pass("recovered to the moment", asset + " recovered to " + plan.target() + " and promoted on"
                    + " timeline " + r.timeline() + "; newest transaction " + (r.replayed() ? "recovered" : "(none replayed:"
                    + " the base backup's end)") + " at " + r.newestTransaction() + ", " + String.format(java.util.Locale.ROOT,
                    "%.1f s", lost.toMillis() / 1000.0) + " before the moment"));
            timer.run("verify", () -> {
                PostgresClient pg = new PostgresClient(docker, docker.inspect(spec.name()).orElseThrow());
                checks.addAll(tablesBack(pg, base, asset, table));
                return "tables checked";
            });
            return r.newestTransaction();
        }
    }

    /**
     * The tables a recovery brought back: every table the base backup's point recorded is there again, and the
     * one asked for (which may be newer than the point) is there, with its rows counted.
     */
    private static List<Check> tablesBack(PostgresClient pg, PointLocator.Located base, String asset, String table) {
        List<Check> out = new ArrayList<>();
        Map<String, Map<String, Long>> now = new HashMap<>();
        Function<String, Map<String, Long>> counts = db -> now.computeIfAbsent(db, pg::rowCounts);
        List<String> missing = new ArrayList<>();
        int recorded = 0;
        for (AssetRecord a : base.manifest().assets()) {
            if (!a.name().equals(asset) || a.rowCounts() == null) {
                continue;
            }
            for (String t : a.rowCounts().keySet()) {
                recorded++;
                String db = t.substring(0, t.indexOf('.'));
                if (!counts.apply(db).containsKey(t.substring(db.length() + 1))) {
                    missing.add(t);
                }
            }
        }
        out.add(missing.isEmpty() ? Check.pass("tables", "all " + recorded + " tables of the base backup's point are there")
                : Check.fail("tables", missing.size() + " of " + recorded + " tables are missing: " + String.join(", ", missing)));
        if (table != null) {
            String[] p = table.split("\\.");
            String db = p[0];
            String rel = p.length == 2 ? "public." + p[1] : table.substring(db.length() + 1);
            Long rows = counts.apply(db).get(rel);
            out.add(rows == null ? Check.fail("table " + table, "not there after recovery")
                    : Check.pass("table " + table, "back, with " + rows + " rows"));
        }
        return out;
    }
}
