package dev.lifeboat.core.proof;

import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.restore.SandboxChecks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.core.restore.PhaseTimer;
import dev.lifeboat.core.restore.RestoreOptions;
import dev.lifeboat.core.restore.RestoreReport;
import dev.lifeboat.core.restore.RestoreRun;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.kinds.postgres.PostgresKind;
import dev.lifeboat.core.history.PitrConfig;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.pitr.PitrRestore;
import dev.lifeboat.core.restore.RestoreService;
import dev.lifeboat.core.storage.ManifestCodec;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;
import dev.lifeboat.core.verify.VerifyReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * DR drills. By default in a sandbox copy of the stack (production untouched): the scenario's damage
 * is played out there (an empty database volume, no Redis data, nothing at all, or rows deleted from a
 * table), then the stack is recovered from its newest point that restores, every phase timed. In place
 * (explicit, with the production phrase), the drill is a real restore of the live stack, with its safety
 * backup and rollback. The drill, its phases, checks, measured RTO/RPO and next due date go to the history.
 */
public final class DrillService {
    public static final List<String> SCENARIOS = List.of("database-corruption", "complete-failure", "accidental-deletion",
            "redis-loss", "table-dropped");
    /** The scenarios a drill can play to a moment: the damage is PostgreSQL's, and WAL shipping recovers it. */
    public static final java.util.Set<String> TO_A_MOMENT = java.util.Set.of("database-corruption", "accidental-deletion",
            "table-dropped");
    private static final Logger LOG = LoggerFactory.getLogger(DrillService.class);
    private static final java.util.Set<String> NOT_RECOVERY = java.util.Set.of("clean leftovers", "remove sandbox");
    private final HistoryStore history;
    private final Repositories repositories;
    private final Function<Host, DockerEngine> connector;
    private final IntegrityVerifier verifier;
    private final RestoreService restores;
    private final AssetKinds kinds;
    private final PitrRestore pitr;

    public DrillService(Repositories repositories, Function<Host, DockerEngine> connector, AssetKinds kinds,
                        IntegrityVerifier verifier, RestoreService restores, PitrRestore pitr) {
        this.pitr = pitr;
        this.history = repositories.history();
        this.repositories = repositories;
        this.connector = connector;
        this.verifier = verifier;
        this.restores = restores;
        this.kinds = kinds;
    }

    /**
     * What to drill: {@code table} ("db.table" or "db.schema.table") for accidental-deletion (default: the
     * largest) and table-dropped. {@code damagedAt}: when the damage happened; PostgreSQL is recovered to that
     * moment from a base backup and the shipped WAL (null: from the newest point, except for table-dropped,
     * which is always recovered to a moment, now by default).
     */
    public record Request(String host, String stack, String scenario, boolean inPlace, String confirmation, String table,
                          String notes, Instant damagedAt) {
        public Request(String host, String stack, String scenario, boolean inPlace, String confirmation, String table,
                       String notes) {
            this(host, stack, scenario, inPlace, confirmation, table, notes, null);
        }

        /** Whether the drill recovers PostgreSQL to a moment. */
        public boolean toAMoment() {
            return damagedAt != null || "table-dropped".equals(scenario);
        }
    }

    public DrillReport run(Request req, Progress progress) {
        if (!SCENARIOS.contains(req.scenario())) {
            throw new LifeboatException("Unknown scenario '" + req.scenario() + "'; choose one of " + String.join(", ", SCENARIOS));
        }
        Host host = history.hosts().require(req.host());
        String actor = repositories.actor();
        if (req.inPlace()) {
            try {
                ConfirmationPolicy.require(new Host(host.name(), host.endpoint(), true), req.confirmation());
            } catch (LifeboatException refused) {
                history.runs().audit(actor, "drill-refused", req.host() + "/" + req.stack(), "in-place " + req.scenario() + ": "
                        + refused.getMessage());
                throw refused;
            }
        }
        List<PitrConfig> shipped = List.of();
        if (req.toAMoment()) {
            if (!TO_A_MOMENT.contains(req.scenario())) {
                throw new LifeboatException("A drill to a moment recovers PostgreSQL; scenario " + req.scenario() + " is not"
                        + " about PostgreSQL (choose one of " + String.join(", ", new java.util.TreeSet<>(TO_A_MOMENT)) + ")");
            }
            shipped = history.pitr().of(req.host(), req.stack());
            if (shipped.isEmpty()) {
                throw new LifeboatException("Scenario " + req.scenario() + (req.damagedAt() == null ? "" : " at a moment")
                        + " recovers PostgreSQL from its shipped WAL, and WAL shipping is not on for " + req.host() + "/"
                        + req.stack() + " ('lifeboat pitr enable')");
            }
        }
        StackSettings settings = history.plans().settings(req.host(), req.stack());
        Instant started = Instant.now();
        Instant damagedAt = req.damagedAt() != null ? req.damagedAt() : started;
        String runId = history.runs().start("drill", req.host(), req.stack(), null, null, actor);
        List<RunStep> phases = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        PhaseTimer timer = new PhaseTimer(phases, progress, "Drill " + req.scenario());
        long recoveredAt = -1;
        String pointId = null;
        Instant taken = null;
        PointLocator.Located point = null;
        try {
            if (req.toAMoment()) {
                Moment m = toAMoment(req, host, shipped, damagedAt, runId, timer, checks, settings, progress);
                pointId = m.basePoint();
                taken = m.newestTransaction();
                recoveredAt = m.recoveredAt();
            } else {
                point = timer.run("assessment", () -> newestRestorable(req.host(), req.stack(), progress));
                pointId = point.manifest().pointId();
                taken = point.manifest().startedAt();
                checks.add(Check.pass("assessment", "newest point that verifies: " + pointId + " on "
                        + point.destination() + ", taken " + taken));
                if (req.inPlace()) {
                    RestoreReport r = restores.restore(pointId, new RestoreOptions(req.confirmation(), true,
                            scope(req, point)), progress);
                    phases.addAll(r.phases().stream().map(p -> new RunStep("restore " + p.name(), p.durationMs(), p.bytes(),
                            p.status(), p.detail())).toList());
                    checks.add(Check.pass("in-place restore", "restored, post-restore checks passed"
                            + (r.safetyPointId() == null ? "" : "; safety point " + r.safetyPointId())));
                    recoveredAt = System.nanoTime();
                } else {
                    PointLocator.Located drilled = point;
                    // a sandbox drill reads the point under the stack's lock, so prune cannot delete it meanwhile
                    // (an in-place drill's restore takes the lock itself)
                    recoveredAt = underLock(req, () -> {
                        try (DockerEngine docker = connector.apply(host)) {
                            return inSandbox(docker, drilled, req, settings, runId, timer, checks);
                        }
                    });
                }
            }
        } catch (LifeboatException e) {
            checks.add(Check.fail("recovery", e.getMessage()));
        } finally {
            if (point != null) {
                point.close();
            }
        }
        // RTO: the recovery's own steps, from assessment to healthy and verified (not the sandbox's setup,
        // the staged accident or its removal)
        Duration rto = recoveredAt < 0 ? null : Duration.ofMillis(phases.stream()
                .filter(p -> !NOT_RECOVERY.contains(p.name())).mapToLong(RunStep::durationMs).sum());
        // RPO: what the recovery could not bring back; to a moment, from the damage to the newest transaction recovered
        Duration rpo = taken == null ? null : req.toAMoment() ? Duration.between(taken, damagedAt).abs()
                : Duration.between(taken, started);
        DrillReport report = new DrillReport(runId, req.host(), req.stack(), req.scenario(), req.inPlace() ? "in-place" : "sandbox",
                started, pointId, taken, rto, rpo, settings.rto(), settings.rpo(), List.copyOf(phases), List.copyOf(checks),
                req.notes(), LocalDate.now(ZoneOffset.UTC).plusDays(settings.drillIntervalDays()));
        record(report, actor);
        String summary = (report.ok() ? "passed" : "failed") + ": RTO " + fmt(rto) + " (target " + fmt(settings.rto())
                + "), RPO " + fmt(rpo) + " (target " + fmt(settings.rpo()) + ")";
        history.runs().finish(runId, report.ok() ? "ok" : "failed", req.scenario() + " drill " + summary, pointId, phases);
        history.runs().audit(actor, "drill", req.host() + "/" + req.stack(), req.scenario() + " (" + report.mode() + ") " + summary);
        return report;
    }

    /** Records a drill done by hand: phases with their times, the result and notes. */
    public DrillReport recordManual(String host, String stack, String scenario, Instant startedAt, List<RunStep> phases,
                                    boolean passed, Duration rpo, String notes) {
        if (!SCENARIOS.contains(scenario)) {
            throw new LifeboatException("Unknown scenario '" + scenario + "'; choose one of " + String.join(", ", SCENARIOS));
        }
        history.hosts().require(host);
        StackSettings settings = history.plans().settings(host, stack);
        Duration rto = Duration.ofMillis(phases.stream().mapToLong(RunStep::durationMs).sum());
        DrillReport report = new DrillReport(UUID.randomUUID().toString(), host, stack, scenario, "manual", startedAt, null,
                rpo == null ? null : startedAt.minus(rpo), rto, rpo, settings.rto(), settings.rpo(), phases,
                List.of(passed ? Check.pass("manual drill", "recorded as passed") : Check.fail("manual drill", "recorded as failed")),
                notes, LocalDate.ofInstant(startedAt, ZoneOffset.UTC).plusDays(settings.drillIntervalDays()));
        String actor = repositories.actor();
        record(report, actor);
        history.runs().audit(actor, "drill-recorded", host + "/" + stack, scenario + " (manual) RTO " + fmt(rto));
        return report;
    }

    private void record(DrillReport r, String actor) {
        try {
            history.proof().recordDrill(new DrillRecord(r.id(), r.host(), r.stack(), r.scenario(), r.mode(), actor,
                    r.startedAt().atOffset(ZoneOffset.UTC), r.pointId(),
                    r.pointTakenAt() == null ? null : r.pointTakenAt().atOffset(ZoneOffset.UTC),
                    r.rto() == null ? null : r.rto().toMillis(), r.rpo() == null ? null : r.rpo().toMillis(),
                    r.rtoTarget().toMillis(), r.rpoTarget().toMillis(), r.ok(),
                    ManifestCodec.mapper().writeValueAsString(r.phases()), ManifestCodec.mapper().writeValueAsString(r.checks()),
                    r.notes(), r.nextDue()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fmt(Duration d) {
        if (d == null) {
            return "n/a";
        }
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%.1fs", d.toMillis() / 1000.0);
    }

    private static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private <T> T underLock(Request req, java.util.function.Supplier<T> work) {
        return history.locks().withStackLock(req.host(), req.stack(), "drill",
                holder -> new dev.lifeboat.core.StackBusyException("Drill of " + req.host() + "/" + req.stack()
                        + " refused: the stack is busy (" + holder + ")"), work::get);
    }

    /** What a drill to a moment recovered: its base backup, the newest transaction, when it was healthy (nanoTime). */
    private record Moment(String basePoint, Instant newestTransaction, long recoveredAt) {
    }

    /**
     * Recovers every PostgreSQL asset that ships its WAL to {@code damagedAt}: in place through the restore to a
     * moment (safety backup, phrase), or in a sandbox from the base backup and the WAL, checked there.
     */
    private Moment toAMoment(Request req, Host host, List<PitrConfig> shipped, Instant damagedAt, String runId,
                             PhaseTimer timer, List<Check> checks, StackSettings settings, Progress progress) {
        PitrRestore.Target target = PitrRestore.Target.at(damagedAt);
        if (req.inPlace()) {
            String base = null;
            Instant newest = null;
            for (PitrConfig c : shipped) {
                PitrRestore.Result r = pitr.restore(req.host(), req.stack(), c.container(), target, req.confirmation(), progress);
                r.steps().forEach(st -> timer.steps().add(new RunStep("restore " + st.name(), st.durationMs(), st.bytes(),
                        st.status(), st.detail())));
                checks.add(Check.pass("in-place restore to a moment", c.asset() + " recovered to " + damagedAt + " from base "
                        + r.basePoint() + " and " + r.walFiles() + " WAL files; safety point " + r.safetyPoint()));
                base = base == null ? r.basePoint() : base;
                newest = newest == null || r.newestTransaction().isBefore(newest) ? r.newestTransaction() : newest;
            }
            return new Moment(base, newest, System.nanoTime());
        }
        MomentInSandbox moment = new MomentInSandbox(repositories, connector, kinds, verifier, pitr);
        List<PitrRestore.Plan> plans = timer.run("assessment", () -> moment.plans(req.host(), req.stack(), shipped, target, progress));
        checks.addAll(MomentInSandbox.assessed(plans));
        Instant[] newest = {null};
        long recoveredAt = underLock(req, () -> {
            newest[0] = moment.recover(host, plans, req.table(), runId, timer, checks, progress);
            return System.nanoTime();
        });
        return new Moment(plans.get(0).basePoint(), newest[0], recoveredAt);
    }

    /** The newest point of the stack that passes verification; older ones are tried when a newer one is damaged. */
    private PointLocator.Located newestRestorable(String host, String stack, Progress progress) {
        List<String> ids = history.points().of(host, stack).stream().filter(p -> !p.isSafety())
                .sorted(Comparator.comparing(RecoveryPoint::createdAt).reversed()).map(RecoveryPoint::id)
                .collect(Collectors.toCollection(LinkedHashSet::new)).stream().toList();
        if (ids.isEmpty()) {
            throw new LifeboatException("No recovery point of " + host + "/" + stack + " to drill with; back it up first");
        }
        List<String> skipped = new ArrayList<>();
        for (String id : ids) {
            PointLocator.Located located;
            try {
                located = new PointLocator(repositories).locate(id);
            } catch (LifeboatException e) {
                skipped.add(id + ": " + e.getMessage());
                continue;
            }
            VerifyReport v = verifier.verify(located, progress, new ArrayList<>());
            if (v.ok()) {
                if (!skipped.isEmpty()) {
                    LOG.warn("Drill of {}/{}: newer points did not verify and were skipped: {}", host, stack, skipped);
                }
                return located;
            }
            skipped.add(id + ": " + v.failures().get(0).detail());
            located.close();
        }
        throw new IntegrityException("No point of " + host + "/" + stack + " verifies: " + String.join("; ", skipped));
    }

    private static RestoreScope scope(Request req, PointLocator.Located point) {
        return switch (req.scenario()) {
            case "database-corruption" -> new RestoreScope(List.of("postgres"));
            case "redis-loss" -> new RestoreScope(List.of("redis"));
            case "accidental-deletion" -> new RestoreScope(List.of("postgres:" + table(req, point)));
            default -> RestoreScope.ALL;
        };
    }

    /** "db.schema.table" of the table to delete from: the one asked for, or the largest in the point. */
    private static String table(Request req, PointLocator.Located point) {
        if (req.table() != null) {
            String[] p = req.table().split("\\.");
            return p.length == 2 ? p[0] + ".public." + p[1] : req.table();
        }
        return point.manifest().assets().stream().filter(a -> a.kind().equals(PostgresKind.ID) && a.rowCounts() != null)
                .flatMap(a -> a.rowCounts().entrySet().stream()).max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new LifeboatException("The point has no PostgreSQL table to delete rows from"));
    }

    /** Plays the scenario out in a sandbox; returns System.nanoTime() when the stack was healthy and verified. */
    private long inSandbox(DockerEngine docker, PointLocator.Located point, Request req, StackSettings settings,
                           String runId, PhaseTimer timer, List<Check> checks) {
        return Sandbox.use(docker, history, connector, point, runId, timer, checks, target -> {
            RestoreScope scope = scope(req, point);
            if (req.scenario().equals("accidental-deletion")) {
                // the stack before the accident, then the accident: every row of the table deleted
                String table = scope.only().get(0).substring("postgres:".length());
                String db = table.substring(0, table.indexOf('.'));
                String rel = table.substring(db.length() + 1);
                new RestoreRun(docker, kinds, point, point.containerSpecs(), new PhaseTimer(new ArrayList<>(), Progress.NONE, "Drill setup"),
                        runId, target, new RestoreScope(List.of("postgres:" + db))).execute(List.of());
                AssetRecord pgAsset = point.manifest().assets().stream().filter(a -> a.kind().equals(PostgresKind.ID))
                        .filter(a -> a.rowCounts() != null && a.rowCounts().containsKey(table)).findFirst()
                        .orElseThrow(() -> new LifeboatException("No table " + table + " in the point"));
                var pg = new dev.lifeboat.core.host.PostgresClient(docker, target.spec(point.containerSpecs().stream()
                        .filter(c -> c.name().equals(pgAsset.container())).findFirst().orElseThrow()));
                String[] parts = rel.split("\\.");
                pg.query(db, "SET session_replication_role = replica; DELETE FROM " + ident(parts[0]) + "." + ident(parts[1]));
                checks.add(Check.pass("accident", "deleted every row of " + table + " in the sandbox"));
            }
            RestoreRun run = new RestoreRun(docker, kinds, point, point.containerSpecs(), timer, runId, target, scope);
            run.execute(List.of());
            SandboxChecks sandboxChecks = new SandboxChecks(docker, kinds, point, run.targetSpecs(), target, settings, runId);
            timer.run("verify", () -> {
                List<Check> found = new ArrayList<>(sandboxChecks.run(scope));
                if (settings.probe() != null && scope.everything()) {
                    found.add(sandboxChecks.probe(settings.probe()));
                }
                checks.addAll(found);
                return found.stream().filter(Check::ok).count() + " of " + found.size() + " checks passed";
            });
            return System.nanoTime();
        });
    }
}
