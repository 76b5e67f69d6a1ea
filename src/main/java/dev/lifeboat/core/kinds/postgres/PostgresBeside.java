package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.asset.Staged;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL server's databases restored beside the live ones while the stack runs (ADR 25): each into
 * a new database {@code lifeboat_new_RUN_N}, created with the live one's encoding, locale and owner, by
 * {@code pg_restore} from the point's dump, checked as it streams. The swap, in the downtime, closes the
 * live database to connections, ends its sessions and renames: live to {@code lifeboat_safety_RUN_N}
 * (kept closed to connections, so no app and no backup uses it), new to the live name. Renames are
 * catalog updates: seconds, whatever the size.
 *
 * <p>Names from the catalog and the manifest reach SQL only as hex that the server decodes, and as
 * {@code format('%I')} identifiers, never spliced into SQL text.
 */
final class PostgresBeside implements Staged {
    /** One database: its live name, and the names it is staged under and kept aside as. */
    private record Db(String live, String staged, String safety, String failed) {
        /** The {@code n}th database of a run tagged {@code tag}. */
        static Db named(String live, String tag, int n) {
            return new Db(live, "lifeboat_new_" + tag + "_" + n, "lifeboat_safety_" + tag + "_" + n, "lifeboat_failed_" + tag + "_" + n);
        }
    }

    private final RestoreContext ctx;
    private final AssetRecord asset;
    private final PostgresClient pg;
    private final DumpFeed feed;
    private final String container;
    private final List<Db> dbs = new ArrayList<>();
    private final List<Db> swappedDbs = new ArrayList<>();
    /** The server's cores, as its container sees them. */
    private int cores = 1;
    /** The databases restored in parallel from a spooled dump, as the run's log says them. */
    private final List<String> parallel = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The live server's data directory: the filesystem the preflight checked, where a dump may be spooled. */
    private final String dataDir;

    private PostgresBeside(RestoreContext ctx, AssetRecord asset, PostgresClient pg, String container, String dataDir) {
        this.ctx = ctx;
        this.asset = asset;
        this.pg = pg;
        this.feed = new DumpFeed(pg);
        this.container = container;
        this.dataDir = dataDir;
    }

    /**
     * Stages the whole databases of {@code a} in scope, when its server runs on the target and already holds
     * every one of them; empty otherwise (the in-place restore creates what is missing from the dump).
     */
    static Optional<Staged> stage(RestoreContext ctx, AssetRecord a) throws IOException {
        var scope = ctx.scope();
        List<Artifact> dumps = a.artifacts().stream().filter(x -> x.role().equals(PostgresKind.DUMP_ROLE))
                .filter(x -> PostgresKind.includesDatabase(scope, x.database())).toList();
        if (dumps.isEmpty() || dumps.stream().anyMatch(x -> PostgresKind.table(scope, x.database()) != null)) {
            return Optional.empty(); // a table is restored in place, in one transaction
        }
        ContainerSpec spec = ctx.spec(a.container());
        Optional<ContainerSpec> live = ctx.docker().inspect(spec.name());
        if (live.isEmpty() || !live.get().running()) {
            return Optional.empty();
        }
        PostgresClient pg = new PostgresClient(ctx.docker(), live.get());
        java.util.Map<String, Long> existing;
        try {
            existing = pg.databaseSizes(); // one query: the server answers, which databases it holds, how large
        } catch (HostException notReady) {
            return Optional.empty();
        }
        if (!dumps.stream().allMatch(x -> existing.containsKey(x.database()))) {
            return Optional.empty();
        }
        Survey survey = Survey.of(pg, dataDirectory(live.get()));
        checkRoom(survey, live.get(), dumps.stream().mapToLong(x -> existing.get(x.database())).sum(), ctx.manifest().pointId());
        String tag = tag(ctx.runId());
        PostgresBeside stage = new PostgresBeside(ctx, a, pg, spec.name(), dataDirectory(live.get()));
        stage.cores = survey.cores();
        survey.zstd().ifPresent(stage.feed::knowZstd);
        try {
            // roles first: the dumps' objects name their owners (CREATE ROLE of the missing ones is additive)
            for (Artifact art : a.artifacts()) {
                if (art.role().equals(PostgresKind.GLOBALS_ROLE)) {
                    byte[] sql;
                    try (InputStream in = ctx.open(art)) {
                        sql = in.readAllBytes(); // a few KiB, checked whole before any of it is applied
                    }
                    PostgresKind.applyGlobals(pg, spec.name(), new ByteArrayInputStream(sql));
                }
            }
            int n = 0;
            List<Db> order = new ArrayList<>();
            for (Artifact art : dumps) {
                Db db = Db.named(art.database(), tag, n++);
                stage.dbs.add(db); // before it exists: a discard drops what was made (IF EXISTS) if creating fails midway
                order.add(db);
            }
            stage.restoreAll(dumps, order);
        } catch (IOException | RuntimeException e) {
            dev.lifeboat.core.Cleanup.after(e, stage::discard); // also when a cancel or a sibling's failure stopped it
            throw e;
        }
        return Optional.of(stage);
    }

    /**
     * The stage as {@link #stage} leaves it, over databases {@code live} already restored beside them under the
     * run's names ({@code lifeboat_new_TAG_N}): for tests of the swap and its undo against a real server.
     */
    static PostgresBeside restoredBeside(RestoreContext ctx, AssetRecord a, PostgresClient pg, String container, List<String> live) {
        PostgresBeside stage = new PostgresBeside(ctx, a, pg, container, "/var/lib/postgresql/data");
        for (int n = 0; n < live.size(); n++) {
            stage.dbs.add(Db.named(live.get(n), tag(ctx.runId()), n));
        }
        return stage;
    }

    /**
     * Creates each staged database and runs {@code pg_restore} of its dump into it, side by side on the server (each database is
     * its own backend), the largest first, at most as many at once as the server has cores. A database with
     * several tables, when cores are left over, is restored by {@code pg_restore -j} from a spooled copy of its
     * dump (ADR 25). The first failure stops the others; every restore is awaited, then the failure is thrown, the later ones
     * suppressed into it.
     */
    private void restoreAll(List<Artifact> dumps, List<Db> order) throws IOException {
        List<Integer> bySize = new ArrayList<>();
        for (int i = 0; i < dumps.size(); i++) {
            bySize.add(i);
        }
        bySize.sort((x, y) -> Long.compare(dumps.get(y).plainBytes(), dumps.get(x).plainBytes()));
        int cores = this.cores;
        int atOnce = Math.max(1, Math.min(cores, dumps.size()));
        int jobs = Math.max(1, cores / atOnce);
        List<dev.lifeboat.core.Parallel.Task<Void>> tasks = new ArrayList<>();
        for (int i : bySize) {
            Artifact art = dumps.get(i);
            Db db = order.get(i);
            int j = Math.min(jobs, tables(art.database()));
            tasks.add(() -> {
                // each database is created as its restore begins: the largest starts after one CREATE DATABASE, not all;
                // to its end, also when a failure elsewhere stops the staging: the discard must find it made, to drop it
                dev.lifeboat.core.Parallel.toItsEnd("lifeboat-create-database", () -> {
                    createLike(List.of(db));
                    return null;
                });
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.io.InterruptedIOException("stopped before restoring database " + db.live() + " beside it");
                }
                if (j > 1 && reserve(art.plainBytes())) {
                    try {
                        restoreSpooled(art, db, j);
                    } finally {
                        reserved.addAndGet(-art.plainBytes());
                    }
                } else {
                    restoreOne(art, db);
                }
                return null;
            });
        }
        dev.lifeboat.core.Parallel.untilOneFails("lifeboat-pg-restore", atOnce, tasks);
    }

    /** Bytes of spooled dumps being written or restored now, against the data directory's free space. */
    private final java.util.concurrent.atomic.AtomicLong reserved = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Whether the data directory's filesystem has room for a spooled dump of {@code bytes} besides the staged
     * databases and the other spools (64 MiB to spare); if so, reserves it. Without room the dump streams.
     */
    private synchronized boolean reserve(long bytes) {
        java.util.OptionalLong free = Survey.freeBytes(pg, dataDir);
        if (free.isEmpty() || bytes <= 0 || free.getAsLong() - reserved.get() < bytes + (64L << 20)) {
            return false;
        }
        reserved.addAndGet(bytes);
        return true;
    }

    /**
     * What the staging asks of the server's container before it starts: its cores, whether it has zstd, the free
     * bytes of the data directory's filesystem. One exec of a fixed script (the directory its one parameter) where
     * the container has a shell, else one exec each.
     */
    record Survey(int cores, Optional<Boolean> zstd, java.util.OptionalLong freeBytes) {
        static Survey of(PostgresClient pg, String dataDir) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            boolean ok = pg.runInShell(List.of("sh", "-c", "getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1;"
                    + " if zstd -V >/dev/null 2>&1; then echo zstd; else echo no-zstd; fi;"
                    + " stat -f -c '%a %S' -- \"$1\" 2>/dev/null || echo unknown", "sh", dataDir), out)
                    .map(ExecResult::ok).orElse(false);
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().map(String::trim).toList();
            if (!ok || lines.size() != 3) {
                return new Survey(serverCores(pg), Optional.empty(), freeBytes(pg, dataDir));
            }
            return new Survey(cores(lines.get(0)), Optional.of(lines.get(1).equals("zstd")), free(lines.get(2)));
        }

        private static int cores(String text) {
            try {
                return Math.max(1, Integer.parseInt(text.trim()));
            } catch (NumberFormatException e) {
                return 1;
            }
        }

        private static java.util.OptionalLong free(String text) {
            String[] f = text.trim().split("\\s+");
            if (f.length != 2) {
                return java.util.OptionalLong.empty();
            }
            try {
                return java.util.OptionalLong.of(Math.multiplyExact(Long.parseLong(f[0]), Long.parseLong(f[1])));
            } catch (NumberFormatException | ArithmeticException e) {
                return java.util.OptionalLong.empty();
            }
        }

        /** The free bytes of the filesystem {@code dir} is on, as the server's container sees it; empty when it cannot say. */
        private static java.util.OptionalLong freeBytes(PostgresClient pg, String dir) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ExecResult r = pg.run(List.of("stat", "-f", "-c", "%a %S", "--", dir), null, out);
            return r.ok() ? free(out.toString(StandardCharsets.UTF_8)) : java.util.OptionalLong.empty();
        }

        /** How many cores the database server has (its container's view), 1 when it cannot say. */
        private static int serverCores(PostgresClient pg) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ExecResult r = pg.run(List.of("getconf", "_NPROCESSORS_ONLN"), null, out);
            return r.ok() ? cores(out.toString(StandardCharsets.UTF_8)) : 1;
        }
    }

    /** The tables the backup counted in database {@code db} (rows per table: "db.schema.table"). */
    private int tables(String db) {
        return asset.rowCounts() == null ? 1 : (int) asset.rowCounts().keySet().stream().filter(k -> k.startsWith(db + ".")).count();
    }

    /** {@code pg_restore} of one dump into its staged database, the dump read to its end (where its hashes are checked). */
    private void restoreOne(Artifact art, Db db) throws IOException {
        ExecResult r = feed.run(ctx, art, List.of("pg_restore", "--exit-on-error", "-d", PostgresClient.conninfo(db.staged())));
        if (!r.ok()) {
            throw new HostException("pg_restore of database " + db.live() + " beside the live one in " + container
                    + " failed: " + r.stderr().trim());
        }
    }

    /**
     * {@code pg_restore -j jobs} needs a file it can seek in: the dump is written to a new file in the server's data
     * directory (created exclusively, so nothing that is there already, a link included, is written through; only
     * the owner reads it), checked to its end as it is written, so nothing is restored from a damaged dump; then
     * restored with {@code jobs} connections, and removed whatever happens.
     */
    private void restoreSpooled(Artifact art, Db db, int jobs) throws IOException {
        String spool = dataDir + "/" + db.staged() + ".dump";
        try {
            ExecResult w = feed.spool(ctx, art, spool); // read to its end, and so checked, before anything is restored
            if (!w.ok()) {
                throw new HostException("Cannot spool the dump of database " + db.live() + " in " + container + " for a parallel"
                        + " restore: " + w.stderr().trim());
            }
            ExecResult r = pg.run(List.of("pg_restore", "--exit-on-error", "-j", Integer.toString(jobs), "-d",
                    PostgresClient.conninfo(db.staged()), spool), null, OutputStream.nullOutputStream());
            if (!r.ok()) {
                throw new HostException("pg_restore -j " + jobs + " of database " + db.live() + " beside the live one in "
                        + container + " failed: " + r.stderr().trim());
            }
            parallel.add(db.live() + " (pg_restore -j " + jobs + ")");
        } finally {
            // also when stopped (an interrupted thread's exec would fail and leave the spool in the data directory)
            dev.lifeboat.core.Cleanup.uninterrupted(() -> pg.run(List.of("rm", "-f", "--", spool), null, OutputStream.nullOutputStream()));
        }
    }

    private static String dataDirectory(ContainerSpec spec) {
        String pgdata = spec.envValue("PGDATA");
        return pgdata == null || pgdata.isBlank() ? "/var/lib/postgresql/data" : pgdata.replaceAll("/+$", "");
    }

    /**
     * Refuses, before anything is made, when the data directory's filesystem cannot hold a second copy of the
     * databases in scope (their live size, with a tenth more and 64 MiB to spare). Where the container cannot
     * say how much is free, the check is left to the server (a full disk fails the restore before the swap).
     */
    private static void checkRoom(Survey survey, ContainerSpec spec, long need, String pointId) {
        java.util.OptionalLong room = survey.freeBytes();
        if (room.isEmpty()) {
            return;
        }
        long free = room.getAsLong();
        if (free < need + need / 10 + (64L << 20)) {
            throw new dev.lifeboat.core.LifeboatException(dev.lifeboat.core.asset.NoRoom.message("the databases of "
                    + spec.name(), free, need, pointId));
        }
    }

    /** The part of a run id that names the staged databases: letters and digits, at most 12. */
    private static String tag(String runId) {
        String t = runId.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
        return t.length() > 12 ? t.substring(t.length() - 12) : t;
    }

    /** A name as SQL that yields it: hex the server decodes, so no character of it is ever SQL text. */
    private static String literal(String name) {
        return "convert_from(decode('" + HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8)) + "', 'hex'), 'UTF8')";
    }

    /**
     * Creates each staged database like its live one (encoding, collation, owner: a dump without --create has none),
     * in one psql session.
     */
    private void createLike(List<Db> dbs) {
        StringBuilder sql = new StringBuilder();
        for (Db db : dbs) {
            sql.append("SELECT format('CREATE DATABASE %I TEMPLATE template0 ENCODING %L LC_COLLATE %L LC_CTYPE %L OWNER %I',"
                    + " " + literal(db.staged()) + ", pg_encoding_to_char(encoding), datcollate, datctype, pg_get_userbyid(datdba))"
                    + " FROM pg_database WHERE datname = " + literal(db.live()) + " \\gexec\n");
        }
        pg.script("postgres", sql.toString());
    }

    /** Closes {@code from} to connections, ends its sessions and renames it {@code to}. */
    private static String rename(String from, String to) {
        return "SELECT format('ALTER DATABASE %I ALLOW_CONNECTIONS false', " + literal(from) + ") \\gexec\n"
                + "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = " + literal(from)
                + " AND pid <> pg_backend_pid();\n"
                + "SELECT format('ALTER DATABASE %I RENAME TO %I', " + literal(from) + ", " + literal(to) + ") \\gexec\n";
    }

    private static String open(String name) {
        return "SELECT format('ALTER DATABASE %I ALLOW_CONNECTIONS true', " + literal(name) + ") \\gexec\n";
    }

    @Override
    public AssetRecord asset() {
        return asset;
    }

    @Override
    public String describe() {
        String how = feed.how();
        return dbs.size() + " databases of " + container + (how.isEmpty() ? "" : "; " + how)
                + (parallel.isEmpty() ? "" : "; " + String.join(", ", parallel));
    }

    /**
     * Renames every database in one psql session, from template1 ("postgres" may be one of those renamed): a
     * process started in the container costs as much as the renames. Each step says on stdout that it is done, so
     * a failure part way is undone exactly: what was swapped goes back, and a live database already set aside
     * gets its name back. Then the failure is thrown, as if nothing had been swapped.
     */
    @Override
    public void swap() {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < dbs.size(); i++) {
            Db db = dbs.get(i);
            sql.append(rename(db.live(), db.safety())).append("\\echo aside ").append(i).append('\n')
                    .append(rename(db.staged(), db.live())).append("\\echo in ").append(i).append('\n')
                    .append(open(db.live()));
        }
        PostgresClient.RanEach each = pg.scriptEach(List.of("template1"), sql.toString());
        PostgresClient.Ran ran = each.runs().get("template1");
        Db aside = null;
        for (String line : ran.out().lines().toList()) {
            if (line.startsWith("aside ")) {
                aside = dbs.get(Integer.parseInt(line.substring(6).trim()));
            } else if (line.startsWith("in ")) {
                swappedDbs.add(dbs.get(Integer.parseInt(line.substring(3).trim())));
                aside = null;
            }
        }
        ctx.touched(container);
        if (ran.ok()) {
            return;
        }
        // the databases are renamed in order: the first one not swapped in is where it failed
        Db at = swappedDbs.size() < dbs.size() ? dbs.get(swappedDbs.size()) : null;
        HostException failed = new HostException("Swapping the databases of " + container + " failed"
                + (at == null ? "" : " at " + at.live()) + ": " + each.errors());
        try {
            if (aside != null) {
                pg.script("template1", rename(aside.safety(), aside.live()) + open(aside.live()));
            } else if (at != null) {
                pg.script("template1", open(at.live())); // it may have been closed to connections before its rename failed
            }
            swapBack();
        } catch (RuntimeException e) {
            failed.addSuppressed(e);
        }
        throw failed;
    }

    /** The server's container, where psql renames the databases; it keeps running. */
    @Override
    public java.util.Set<String> containers() {
        return java.util.Set.of(container);
    }

    @Override
    public void swapBack() {
        for (int i = swappedDbs.size() - 1; i >= 0; i--) {
            Db db = swappedDbs.get(i);
            pg.script("template1", rename(db.live(), db.failed()) + rename(db.safety(), db.live()) + open(db.live())
                    + "SELECT format('DROP DATABASE %I WITH (FORCE)', " + literal(db.failed()) + ") \\gexec\n");
            swappedDbs.remove(i);
        }
        discard();
    }

    @Override
    public void discard() {
        StringBuilder sql = new StringBuilder();
        for (Db db : dbs) {
            if (!swappedDbs.contains(db)) {
                sql.append("SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', ").append(literal(db.staged()))
                        .append(") \\gexec\n");
            }
        }
        if (!sql.isEmpty()) {
            pg.script("template1", sql.toString());
        }
    }

    @Override
    public List<SafetyCopy> kept() {
        return swappedDbs.stream().map(db -> new SafetyCopy(PostgresKind.ID, asset.name(), container, db.safety(), null,
                "database " + db.live() + " as it was, in " + container + " as " + db.safety() + " (closed to connections)"))
                .toList();
    }

    /** Drops a kept database; the server must run. */
    static void release(PostgresClient pg, SafetyCopy copy) {
        if (!copy.item().startsWith("lifeboat_safety_")) {
            throw new HostException("Refusing to drop " + copy.item() + ": not a database Lifeboat kept aside");
        }
        pg.script("template1", "SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', " + literal(copy.item()) + ") \\gexec\n");
    }
}
