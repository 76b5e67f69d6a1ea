package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.BackupContext;
import dev.lifeboat.core.asset.CheckContext;
import dev.lifeboat.core.asset.PlanContext;
import dev.lifeboat.core.asset.Probe;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.asset.Staged;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.asset.VerifyContext;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.Stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * PostgreSQL servers in containers: every non-template database as a {@code pg_dump -Fc} plus the globals
 * (roles), restored with {@code pg_restore} (whole databases, or one table in one transaction), checked by
 * row counts, constraints and recency. {@code --only postgres}, {@code postgres:DB},
 * {@code postgres:DB.TABLE} or {@code postgres:DB.SCHEMA.TABLE}.
 */
public final class PostgresKind implements AssetKind {
    public static final String ID = "postgres";
    public static final String DUMP_ROLE = "pg-dump";
    public static final String GLOBALS_ROLE = "pg-globals";
    /** A physical base backup (pg_basebackup, tar) of a server that ships its WAL: what PITR rolls forward. */
    public static final String BASE_ROLE = "pg-base";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String scopeSyntax() {
        return "postgres[:DB[.TABLE]]";
    }

    /** Whether a container runs PostgreSQL: its {@code lifeboat.kind} label, else its image or environment. */
    public static boolean isPostgres(ContainerSpec c) {
        if (c.label(dev.lifeboat.core.discovery.StackDiscovery.KIND) != null) {
            return ID.equals(c.label(dev.lifeboat.core.discovery.StackDiscovery.KIND));
        }
        String image = c.image() == null ? "" : c.image().toLowerCase(Locale.ROOT);
        return image.contains("postgres") || image.contains("postgis") || image.contains("timescaledb")
                || c.envValue("POSTGRES_PASSWORD") != null || c.envValue("PG_MAJOR") != null;
    }

    @Override
    public List<Asset> discover(DockerEngine docker, List<ContainerSpec> containers, List<Asset> found) {
        List<Asset> out = new ArrayList<>();
        for (ContainerSpec c : containers) {
            if (!isPostgres(c)) {
                continue;
            }
            String pgdata = c.envValue("PGDATA") == null ? "/var/lib/postgresql" : c.envValue("PGDATA");
            List<String> databases = List.of();
            if (c.running()) {
                try {
                    databases = new PostgresClient(docker, c).databases();
                } catch (LifeboatException e) {
                    // listed as a problem by the pre-backup check, with the others
                }
            }
            out.add(new Asset.PostgresInstance(c.name(), PostgresClient.superuserOf(c), databases, dataVolumes(c, pgdata)));
        }
        return out;
    }

    /** Named volumes mounted at or above {@code dataDir}, or below it. */
    public static List<String> dataVolumes(ContainerSpec c, String dataDir) {
        List<String> out = new ArrayList<>();
        for (MountSpec m : c.mounts()) {
            if (m.isVolume() && m.target() != null
                    && (dataDir.equals(m.target()) || dataDir.startsWith(m.target() + "/") || m.target().startsWith(dataDir + "/"))) {
                out.add(m.source());
            }
        }
        return out;
    }

    @Override
    public List<String> preflight(DockerEngine docker, Asset asset, Stack stack) {
        Asset.PostgresInstance p = (Asset.PostgresInstance) asset;
        ContainerSpec c = stack.containers().stream().filter(x -> x.name().equals(p.container())).findFirst().orElseThrow();
        if (!c.running()) {
            return List.of("PostgreSQL container " + p.container() + " is not running; start it so it can be dumped");
        }
        List<String> problems = new ArrayList<>();
        PostgresClient pg = new PostgresClient(docker, c);
        Probe.check(problems, "PostgreSQL in " + p.container() + ": pg_dump is missing from the container", pg::version);
        Probe.check(problems, "PostgreSQL in " + p.container() + ": cannot log in as " + pg.superuser(),
                () -> pg.query("postgres", "SELECT 1"));
        return problems;
    }

    @Override
    public AssetRecord backup(BackupContext ctx, Asset asset) throws IOException {
        Asset.PostgresInstance p = (Asset.PostgresInstance) asset;
        ctx.progress().phase(p.name(), "Dumping PostgreSQL in " + p.container());
        AssetRecord dumps = new PostgresDumper(ctx.docker()).backup(p, ctx.container(p.container()), ctx.out());
        if (!ctx.walShipping().contains(p.name())) {
            return dumps;
        }
        ctx.progress().phase(p.name(), "Base backup of PostgreSQL in " + p.container());
        return BaseBackup.take(ctx, p, dumps);
    }

    // ---- scope: postgres, postgres:DB, postgres:DB.TABLE, postgres:DB.SCHEMA.TABLE

    @Override
    public boolean selects(String only, AssetRecord asset) {
        return only.equals(ID) || only.startsWith(ID + ":");
    }

    @Override
    public boolean matches(String only, AssetRecord asset) {
        if (only.equals(ID)) {
            return true;
        }
        if (!only.startsWith(ID + ":")) {
            return false;
        }
        String rest = only.substring(ID.length() + 1);
        for (String db : asset.databases()) {
            if (rest.equals(db)) {
                return true;
            }
            if (rest.startsWith(db + ".")) {
                String table = table(new RestoreScope(List.of(only)), db);
                return asset.rowCounts() == null || asset.rowCounts().containsKey(db + "." + table);
            }
        }
        return false;
    }

    @Override
    public List<String> offers(AssetRecord asset) {
        return asset.databases().stream().map(db -> ID + ":" + db).toList();
    }

    /** Whether the database {@code db} is in scope. */
    public static boolean includesDatabase(RestoreScope scope, String db) {
        if (scope.everything()) {
            return true;
        }
        for (String part : scope.parts(ID)) {
            String name = part.contains(".") ? part.substring(0, part.indexOf('.')) : part;
            if (part.isEmpty() || name.equals(db)) {
                return true;
            }
        }
        return false;
    }

    /** The table selected in {@code db} ("schema.table", schema public by default), or null for the whole database. */
    public static String table(RestoreScope scope, String db) {
        for (String part : scope.parts(ID)) {
            if (part.startsWith(db + ".")) {
                String t = part.substring(db.length() + 1);
                return t.contains(".") ? t : "public." + t;
            }
        }
        return null;
    }

    // ---- restore

    @Override
    public String phase() {
        return "databases";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public boolean server() {
        return true;
    }

    /** The readiness probe a wait polls: each look waits up to two seconds inside the container. */
    private static BooleanSupplier readyWithin(PostgresClient pg) {
        return () -> pg.readyWithin(2);
    }

    @Override
    public Optional<BooleanSupplier> readiness(DockerEngine docker, ContainerSpec container) {
        return isPostgres(container) ? Optional.of(readyWithin(new PostgresClient(docker, container))) : Optional.empty();
    }

    @Override
    public void plan(PlanContext ctx, AssetRecord a, List<String> overwrite, List<String> create) {
        boolean beside = stagesBeside(ctx, a);
        for (String db : a.databases()) {
            if (!includesDatabase(ctx.scope(), db)) {
                continue;
            }
            String table = table(ctx.scope(), db);
            overwrite.add(table == null ? "database " + db + " in " + a.container() + (beside
                    ? " (restored beside the live one while it serves, then swapped in by rename; the live one is kept aside)"
                    : " (dropped and restored)")
                    : "table " + db + "." + table + " in " + a.container() + " (its rows replaced in one transaction)");
        }
    }

    @Override
    public String restore(RestoreContext ctx, List<AssetRecord> assets) throws IOException {
        int n = 0;
        for (AssetRecord a : assets) {
            n += restore(ctx, a);
            ctx.touched(ctx.target().container(a.container()));
        }
        return n + (ctx.scope().everything() ? " databases restored" : " restored (" + ctx.scope() + ")");
    }

    /** Each asset's own server container. */
    @Override
    public java.util.Set<String> restoreUses(RestoreContext ctx, List<AssetRecord> assets) {
        return ctx.containersOf(assets);
    }

    private int restore(RestoreContext ctx, AssetRecord a) throws IOException {
        RestoreScope scope = ctx.scope();
        DockerEngine docker = ctx.docker();
        ContainerSpec spec = ctx.spec(a.container());
        ctx.ensureCreated(spec);
        docker.start(spec.name());
        PostgresClient pg = new PostgresClient(docker, spec);
        docker.awaitReady(spec.name(), RestoreContext.READY_TIMEOUT, readyWithin(pg));
        DumpFeed feed = new DumpFeed(pg);
        int n = 0;
        boolean tablesOnly = a.artifacts().stream().filter(x -> x.role().equals(DUMP_ROLE))
                .filter(x -> includesDatabase(scope, x.database())).allMatch(x -> table(scope, x.database()) != null);
        for (Artifact art : a.artifacts()) {
            if (art.role().equals(GLOBALS_ROLE) && !tablesOnly) {
                try (InputStream sql = ctx.open(art)) {
                    applyGlobals(pg, spec.name(), sql);
                }
            }
        }
        for (Artifact art : a.artifacts()) {
            if (!art.role().equals(DUMP_ROLE)) {
                continue;
            }
            String db = art.database();
            if (!includesDatabase(scope, db)) {
                continue;
            }
            if (table(scope, db) != null) {
                try (InputStream dump = ctx.open(art)) {
                    TableRestore.restore(pg, spec.name(), db, table(scope, db), dump);
                }
                n++;
                continue;
            }
            List<String> cmd;
            if (db.equals("postgres")) {
                cmd = List.of("pg_restore", "--clean", "--if-exists", "--exit-on-error", "-d", "postgres");
            } else {
                pg.query("postgres", "DROP DATABASE IF EXISTS " + quoteIdent(db) + " WITH (FORCE)");
                cmd = List.of("pg_restore", "--create", "--exit-on-error", "-d", "postgres");
            }
            ExecResult r = feed.run(ctx, art, cmd);
            if (!r.ok()) {
                throw new HostException("pg_restore of database " + db + " in " + spec.name() + " failed: "
                        + r.stderr().trim());
            }
            n++;
        }
        return n;
    }

    /** Applies the point's roles (pg_dumpall --globals-only); a role that exists already is not an error. */
    static void applyGlobals(PostgresClient pg, String container, InputStream sql) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult r = pg.run(List.of("psql", "-X", "-q", "-d", "postgres"), sql, out);
        List<String> errors = r.stderr().lines().filter(l -> l.contains("ERROR:"))
                .filter(l -> !l.contains("already exists")).toList();
        if (!r.ok() || !errors.isEmpty()) {
            throw new HostException("Restoring roles into " + container + " failed: "
                    + String.join("; ", errors.isEmpty() ? List.of(r.stderr().trim()) : errors));
        }
    }

    /**
     * The whole databases of a running server that holds them all are restored beside the live ones and
     * swapped in by rename (ADR 25); a table, a missing database or a stopped server is restored in place.
     */
    @Override
    public Optional<Staged> stage(RestoreContext ctx, AssetRecord asset) throws IOException {
        return PostgresBeside.stage(ctx, asset);
    }

    @Override
    public boolean stagesBeside(PlanContext ctx, AssetRecord a) {
        List<String> dbs = a.databases().stream().filter(db -> includesDatabase(ctx.scope(), db)).toList();
        if (dbs.isEmpty() || dbs.stream().anyMatch(db -> table(ctx.scope(), db) != null)) {
            return false;
        }
        try {
            var live = ctx.docker().inspect(a.container()).filter(ContainerSpec::running);
            return live.isPresent() && new PostgresClient(ctx.docker(), live.get()).databases().containsAll(dbs);
        } catch (LifeboatException e) {
            return false;
        }
    }

    @Override
    public void release(DockerEngine docker, SafetyCopy copy) {
        ContainerSpec c = docker.inspect(copy.location()).filter(ContainerSpec::running).orElseThrow(() -> new HostException(
                "PostgreSQL container " + copy.location() + " is not running: start it, then release " + copy.item() + " again"));
        PostgresBeside.release(new PostgresClient(docker, c), copy);
    }

    private static String quoteIdent(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    // ---- proof

    /**
     * {@code pg_restore --list} accepts each dump: in the stack's own PostgreSQL container when it is
     * running (its own tool version), else with a local pg_restore.
     */
    @Override
    public String verify(VerifyContext ctx, AssetRecord asset, Artifact a, InputStream plain) throws IOException {
        if (BASE_ROLE.equals(a.role())) {
            return BaseBackup.verify(plain, a.file());
        }
        if (!DUMP_ROLE.equals(a.role())) {
            return AssetKind.super.verify(ctx, asset, a, plain);
        }
        Optional<ContainerSpec> running = Optional.empty();
        if (asset.container() != null && ctx.host().isPresent()) {
            try {
                running = ctx.host().get().inspect(asset.container()).filter(ContainerSpec::running);
            } catch (LifeboatException e) {
                running = Optional.empty();
            }
        }
        ByteArrayOutputStream toc = new ByteArrayOutputStream();
        ExecResult r;
        if (running.isPresent()) {
            // pg_restore --list stops reading after the TOC; cat drains the rest, so that Docker never
            // closes the exec with unread input (which resets the connection and can lose the output)
            r = new PostgresClient(ctx.host().get(), running.get()).run(List.of("sh", "-c",
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

    @Override
    public List<Check> check(CheckContext ctx, AssetRecord asset) {
        return PostgresChecks.run(new PostgresClient(ctx.docker(), ctx.spec(asset.container())), asset, ctx.settings(),
                ctx.manifest().startedAt(), db -> includesDatabase(ctx.scope(), db));
    }

    @Override
    public List<Check> checkAfterRestore(CheckContext ctx, AssetRecord asset) {
        return PostgresChecks.structural(new PostgresClient(ctx.docker(), ctx.spec(asset.container())), asset,
                db -> includesDatabase(ctx.scope(), db));
    }

    /** Each table of the databases in scope: its rows now, in the running server, and at the point. */
    @Override
    public java.util.Optional<dev.lifeboat.core.asset.PreviewSection> preview(CheckContext ctx, AssetRecord asset) {
        PostgresClient pg = new PostgresClient(ctx.docker(), ctx.spec(asset.container()));
        java.util.Map<String, Long> atPoint = asset.rowCounts() == null ? java.util.Map.of() : asset.rowCounts();
        java.util.TreeMap<String, Long[]> tables = new java.util.TreeMap<>();
        int databases = 0;
        for (String db : asset.databases()) {
            if (!includesDatabase(ctx.scope(), db)) {
                continue;
            }
            databases++;
            String only = table(ctx.scope(), db);
            atPoint.forEach((t, n) -> {
                if (t.startsWith(db + ".") && (only == null || t.equals(db + "." + only) || t.endsWith("." + only))) {
                    tables.computeIfAbsent(t, k -> new Long[2])[1] = n;
                }
            });
            java.util.Map<String, Long> live;
            try {
                live = pg.rowCounts(db);
            } catch (dev.lifeboat.core.LifeboatException e) {
                live = java.util.Map.of(); // the database is gone: every table comes back
            }
            live.forEach((t, n) -> {
                String key = db + "." + t;
                if (only == null || key.equals(db + "." + only) || key.endsWith("." + only)) {
                    tables.computeIfAbsent(key, k -> new Long[2])[0] = n;
                }
            });
        }
        List<List<String>> rows = new ArrayList<>();
        int changes = 0;
        for (var e : tables.entrySet()) {
            Long now = e.getValue()[0];
            Long then = e.getValue()[1];
            boolean change = !java.util.Objects.equals(now, then);
            changes += change ? 1 : 0;
            rows.add(List.of(e.getKey(), now == null ? "(not there)" : String.format(java.util.Locale.ROOT, "%,d", now),
                    then == null ? "(dropped)" : String.format(java.util.Locale.ROOT, "%,d", then), change ? "changes" : "same"));
        }
        return java.util.Optional.of(new dev.lifeboat.core.asset.PreviewSection(asset.name(), ID, "Databases of "
                + asset.container(), List.of("Table", "Rows now", "Rows at the point", ""), rows, changes, databases
                + (databases == 1 ? " database, " : " databases, ") + tables.size() + " tables; " + changes + " change", databases,
                "database", "table"));
    }
}
