package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.LinkedHashMap;
import java.time.Duration;
import dev.lifeboat.core.model.StackSettings;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The embedded H2 history: hosts, destinations, recovery points, runs with their steps, and the
 * audit log. The schema is owned by Flyway migrations under {@code db/migration/h2} (the embedded
 * database) and {@code db/migration/postgresql} (a server shared by a team, ADR 22).
 */
public final class HistoryStore implements AutoCloseable {
    private final Connection db;

    private volatile java.util.function.Consumer<String> beforeStatement = sql -> { };

    /**
     * Called with each statement's SQL before it runs, on the calling thread: a seam for tests that make
     * the history slow (a far team server) or watch which threads read it. One hook; null removes it.
     */
    public void beforeEachStatement(java.util.function.Consumer<String> hook) {
        beforeStatement = hook == null ? sql -> { } : hook;
    }

    private final java.time.Clock clock;
    /** Whether the history is the embedded H2 database (else a PostgreSQL server, shared by a team). */
    private final boolean h2;

    /** The machine this process runs on, recorded with its runs and locks (team mode: several share the history). */
    private final String machine = dev.lifeboat.core.Machine.name();

    private HistoryStore(Connection db, java.time.Clock clock) {
        this.db = db;
        this.clock = clock;
        try {
            this.h2 = db.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2");
        } catch (SQLException e) {
            throw new LifeboatException("Cannot read the history database's kind: " + e.getMessage(), e);
        }
    }

    private Path home;

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY_DIR =
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY_FILE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    /** Creates {@code dir} 0700 from the start, or makes an existing one 0700. */
    static void makePrivate(Path dir) throws java.io.IOException {
        if (java.nio.file.Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            java.nio.file.Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        } else {
            java.nio.file.Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            java.nio.file.Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR); // createDirectories is subject to the umask
        }
    }

    /** The history's files (database, lock file with the server key, trace) readable by this user only. */
    private static void privateFiles(Path dir) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            for (Path f : files.toList()) {
                if (java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    java.nio.file.Files.setPosixFilePermissions(f, OWNER_ONLY_FILE);
                }
            }
        } catch (java.io.IOException e) {
            throw new LifeboatException("Cannot make the history files in " + dir + " private: " + e.getMessage(), e);
        }
    }

    /** The Lifeboat home this history lives in (null for a history opened otherwise). */
    public Path home() {
        return home;
    }

    /** Opens (creating and migrating when needed) the history under {@code home}. */
    public static HistoryStore open(Path home) {
        return open(home, java.time.Clock.systemUTC());
    }

    /** As {@link #open(Path)}, stamping runs, audit entries and alerts with {@code clock}. */
    public static HistoryStore open(Path home, java.time.Clock clock) {
        // AUTO_SERVER: the console, the CLI and the agent share one history (ADR 11); its TCP server binds
        // to loopback only
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        Path dir = home.toAbsolutePath().resolve("history");
        try {
            // private before H2 writes a byte: its lock file holds the key of the embedded TCP server
            makePrivate(home.toAbsolutePath());
            makePrivate(dir);
        } catch (java.io.IOException e) {
            throw new LifeboatException("Cannot make Lifeboat's home " + home + " private to this user: " + e.getMessage(), e);
        }
        String url = "jdbc:h2:file:" + dir.resolve("lifeboat") + ";AUTO_SERVER=TRUE";
        try {
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/h2").load().migrate();
            HistoryStore store = new HistoryStore(DriverManager.getConnection(url, "sa", ""), clock);
            store.home = home.toAbsolutePath();
            privateFiles(dir);
            return store;
        } catch (FlywayException | SQLException e) {
            String reason = e.getMessage() != null && e.getMessage().contains("Database may be already in use")
                    ? "it is in use by another Lifeboat process" : e.getMessage();
            throw new LifeboatException("Cannot open the history database under " + home + ": " + reason, e);
        }
    }

    /**
     * The history {@code home} is configured to use: a PostgreSQL server shared by a team when {@code url}
     * (the {@code --history} option), {@code $LIFEBOAT_HISTORY} or {@code history=} in
     * {@code HOME/config.properties} names one, else the embedded database under {@code home}.
     */
    public static HistoryStore open(Path home, String url, java.time.Clock clock) {
        String server = url != null && !url.isBlank() ? url : configuredServer(home);
        return server == null ? open(home, clock) : openServer(home, server, clock);
    }

    /** The shared history's URL from {@code $LIFEBOAT_HISTORY} or {@code HOME/config.properties}, or null. */
    static String configuredServer(Path home) {
        String env = System.getenv("LIFEBOAT_HISTORY");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        Path config = home.toAbsolutePath().resolve("config.properties");
        if (!java.nio.file.Files.isRegularFile(config)) {
            return null;
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(config)) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new LifeboatException("Cannot read " + config + ": " + e.getMessage(), e);
        }
        String v = p.getProperty("history");
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * A history on a PostgreSQL server that several consoles and agents share (ADR 22):
     * {@code jdbc:postgresql://HOST[:PORT]/DATABASE?user=NAME}. The password never goes in the URL (it
     * would show in process lists and logs): it comes from {@code ~/.pgpass} or
     * {@code $LIFEBOAT_HISTORY_PASSWORD}. The schema is created and migrated as for the embedded one.
     */
    public static HistoryStore openServer(Path home, String url, java.time.Clock clock) {
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new LifeboatException("A shared history is a PostgreSQL server, jdbc:postgresql://HOST:PORT/DATABASE?user=NAME;"
                    + " '" + url.replaceAll("(?i)password=[^&]*", "password=…") + "' is not one");
        }
        if (url.toLowerCase(java.util.Locale.ROOT).matches(".*[?&]password=.*")) {
            throw new LifeboatException("The history's URL holds a password, which would show in process lists and logs:"
                    + " put it in ~/.pgpass or $LIFEBOAT_HISTORY_PASSWORD and leave it out of the URL");
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(url);
        ds.setApplicationName("lifeboat");
        String password = System.getenv("LIFEBOAT_HISTORY_PASSWORD");
        if (password != null && !password.isEmpty()) {
            ds.setPassword(password);
        }
        String where = url.substring("jdbc:postgresql://".length()).replaceAll("\\?.*", "");
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration/postgresql").load().migrate();
            HistoryStore store = new HistoryStore(ds.getConnection(), clock);
            store.home = home.toAbsolutePath();
            return store;
        } catch (FlywayException | SQLException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new LifeboatException("Cannot open the shared history at " + where + ": " + root.getMessage(), e);
        }
    }

    // ---- hosts ----

    public synchronized void addHost(Host host) {
        if (host(host.name()).isPresent()) {
            throw new LifeboatException("Host " + host.name() + " already exists");
        }
        update("INSERT INTO host(name, endpoint, production, identity_file, host_key, created_at) VALUES (?,?,?,?,?,?)",
                host.name(), host.endpoint(), host.production(), host.identityFile(), host.hostKey(), now());
    }

    public synchronized Optional<Host> host(String name) {
        return query("SELECT name, endpoint, production, identity_file, host_key FROM host WHERE name = ?",
                HistoryStore::hostRow, name).stream().findFirst();
    }

    public Host requireHost(String name) {
        return host(name).orElseThrow(() -> new LifeboatException("Unknown host '" + name
                + "'. Add it with 'lifeboat host add " + name + " --docker unix:///var/run/docker.sock'"));
    }

    public synchronized List<Host> hosts() {
        return query("SELECT name, endpoint, production, identity_file, host_key FROM host ORDER BY name",
                HistoryStore::hostRow);
    }

    private static Host hostRow(ResultSet rs) throws SQLException {
        return new Host(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getString(5));
    }

    // ---- destinations ----

    public synchronized void addDestination(DestinationRecord d) {
        if (destination(d.name()).isPresent()) {
            throw new LifeboatException("Destination " + d.name() + " already exists");
        }
        update("INSERT INTO destination(name, kind, location, key_file, key_id, created_at, append_only, owner) "
                        + "VALUES (?,?,?,?,?,?,?,?)",
                d.name(), d.kind(), d.location(), d.keyFile(), d.keyId(), now(), d.appendOnly(), d.owner());
    }

    public synchronized Optional<DestinationRecord> destination(String name) {
        return query("SELECT name, kind, location, key_file, key_id, append_only, owner FROM destination WHERE name = ?",
                HistoryStore::destinationRow, name).stream().findFirst();
    }

    public DestinationRecord requireDestination(String name) {
        return destination(name).orElseThrow(() -> new LifeboatException("Unknown destination '" + name
                + "'. Add it with 'lifeboat dest add " + name + " --dir PATH --key-file FILE'"));
    }

    public synchronized List<DestinationRecord> destinations() {
        return query("SELECT name, kind, location, key_file, key_id, append_only, owner FROM destination ORDER BY name",
                HistoryStore::destinationRow);
    }

    private static DestinationRecord destinationRow(ResultSet rs) throws SQLException {
        return new DestinationRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getString(7));
    }

    // ---- recovery points ----

    public synchronized void recordPoint(RecoveryPoint p, String manifestSha256) {
        upsert("recovery_point", 2, List.of("id", "destination", "host", "stack", "kind", "created_at", "location",
                        "stored_bytes", "manifest_sha256"),
                p.id(), p.destination(), p.host(), p.stack(), p.kind(), ts(p.createdAt()), p.location(),
                p.storedBytes(), manifestSha256);
    }

    /** Points, newest last; {@code host} and {@code stack} may be null. */
    public synchronized List<RecoveryPoint> points(String host, String stack) {
        return query("SELECT id, host, stack, destination, created_at, location, stored_bytes, kind FROM recovery_point "
                        + "WHERE (CAST(? AS VARCHAR(128)) IS NULL OR host = ?) AND (CAST(? AS VARCHAR(128)) IS NULL OR stack = ?) ORDER BY created_at, id",
                HistoryStore::pointRow, host, host, stack, stack);
    }

    public synchronized List<RecoveryPoint> pointsWithId(String id) {
        return query("SELECT id, host, stack, destination, created_at, location, stored_bytes, kind FROM recovery_point "
                + "WHERE id = ? ORDER BY destination", HistoryStore::pointRow, id);
    }

    public synchronized Optional<String> manifestSha256(String id, String destination) {
        return query("SELECT manifest_sha256 FROM recovery_point WHERE id = ? AND destination = ?",
                rs -> rs.getString(1), id, destination).stream().findFirst();
    }

    public synchronized void forgetPoint(String id, String destination) {
        update("DELETE FROM recovery_point WHERE id = ? AND destination = ?", id, destination);
    }

    /** Points that a verify, restore or drill still running is reading; prune never deletes them. */
    public synchronized java.util.Set<String> pointsInUse() {
        return new java.util.HashSet<>(query("SELECT DISTINCT point_id FROM run WHERE status = 'running' "
                + "AND kind IN ('verify', 'restore', 'drill') AND point_id IS NOT NULL", rs -> rs.getString(1)));
    }

    private static RecoveryPoint pointRow(ResultSet rs) throws SQLException {
        return new RecoveryPoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getLong(7), rs.getString(8));
    }

    // ---- runs and audit ----

    public synchronized String startRun(String kind, String host, String stack, String pointId, String destination,
                                        String actor) {
        String id = UUID.randomUUID().toString();
        update("INSERT INTO run(id, kind, host, stack, point_id, destination, actor, started_at, status, pid, machine) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?)", id, kind, host, stack, pointId, destination, actor, now(), "running",
                ProcessHandle.current().pid(), machine);
        return id;
    }

    /** Ends a run with its steps, all or nothing: a run is never finished without the steps it recorded. */
    public synchronized void finishRun(String runId, String status, String message, String pointId, List<RunStep> steps) {
        inTransaction(() -> {
            update("UPDATE run SET finished_at = ?, status = ?, message = ?, point_id = COALESCE(?, point_id) WHERE id = ?",
                    now(), status, truncate(message), pointId, runId);
            int seq = 0;
            for (RunStep s : steps) {
                update("INSERT INTO run_step(run_id, seq, name, duration_ms, bytes, status, detail) VALUES (?,?,?,?,?,?,?)",
                        runId, seq++, s.name(), s.durationMs(), s.bytes(), s.status(), truncate(s.detail()));
            }
            return null;
        });
    }

    private static final String RUN_COLUMNS = "id, kind, host, stack, point_id, destination, actor, started_at, finished_at, "
            + "status, message";

    public synchronized List<RunRecord> runs(int limit) {
        return query("SELECT " + RUN_COLUMNS + " FROM run ORDER BY started_at DESC LIMIT ?", HistoryStore::runRow, limit);
    }

    /** Every run that made or read a point (backup, verify, restore test, restore, replicate), newest first. */
    public synchronized List<RunRecord> runsOfPoint(String pointId) {
        return query("SELECT " + RUN_COLUMNS + " FROM run WHERE point_id = ? ORDER BY started_at DESC", HistoryStore::runRow, pointId);
    }

    private static RunRecord runRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
                rs.getObject(9, OffsetDateTime.class) == null ? null : rs.getObject(9, OffsetDateTime.class).toInstant(),
                rs.getString(10), rs.getString(11));
    }

    /**
     * How long a run of {@code kind} usually takes on this stack: the median of its last five
     * successful runs, for the jobs panel's estimate. Empty before the first one.
     */
    public synchronized Optional<java.time.Duration> typicalDuration(String kind, String host, String stack) {
        List<Long> ms = query("SELECT started_at, finished_at FROM run WHERE kind = ? AND host = ? "
                + "AND stack = ? AND status = 'ok' AND finished_at IS NOT NULL ORDER BY started_at DESC LIMIT 5",
                HistoryStore::millisBetween, kind, host, stack);
        if (ms.isEmpty()) {
            return Optional.empty();
        }
        List<Long> sorted = ms.stream().sorted().toList();
        return Optional.of(java.time.Duration.ofMillis(sorted.get(sorted.size() / 2)));
    }

    /** Successful restores with the stored size of what they restored: {stored bytes, duration ms}, newest first. */
    public synchronized List<long[]> pastRestores(int limit) {
        return query("SELECT r.started_at, r.finished_at, MAX(p.stored_bytes) FROM run r "
                + "JOIN recovery_point p ON p.id = r.point_id WHERE r.kind = 'restore' AND r.status = 'ok' "
                + "GROUP BY r.id, r.started_at, r.finished_at ORDER BY r.started_at DESC LIMIT ?",
                rs -> new long[] {rs.getLong(3), millisBetween(rs)}, limit);
    }

    /** The milliseconds between the first two columns (timestamps), computed here: the SQL for it differs by database. */
    private static long millisBetween(ResultSet rs) throws SQLException {
        return java.time.Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)).toMillis();
    }

    /** Ids of points that a successful run of one of {@code kinds} (e.g. verify, restore-test) has proven. */
    public synchronized Set<String> provenPoints(String... kinds) {
        Set<String> ids = new java.util.HashSet<>();
        for (String kind : kinds) {
            ids.addAll(query("SELECT DISTINCT point_id FROM run WHERE kind = ? AND status = 'ok' AND point_id IS NOT NULL",
                    rs -> rs.getString(1), kind));
        }
        return ids;
    }

    /** The newest run of {@code kind} on a stack. */
    public synchronized Optional<RunRecord> lastRun(String kind, String host, String stack) {
        return query("SELECT id, kind, host, stack, point_id, destination, actor, started_at, finished_at, status, message "
                + "FROM run WHERE kind = ? AND host = ? AND stack = ? ORDER BY started_at DESC LIMIT 1", rs -> new RunRecord(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
                rs.getObject(9, OffsetDateTime.class) == null ? null : rs.getObject(9, OffsetDateTime.class).toInstant(),
                rs.getString(10), rs.getString(11)), kind, host, stack).stream().findFirst();
    }

    public synchronized List<RunStep> steps(String runId) {
        return query("SELECT name, duration_ms, bytes, status, detail FROM run_step WHERE run_id = ? ORDER BY seq",
                rs -> new RunStep(rs.getString(1), rs.getLong(2), (Long) rs.getObject(3), rs.getString(4), rs.getString(5)),
                runId);
    }

    /** Runs still marked running belong to a process that died: the history is opened by one process at a time. */
    /** Marks runs whose process has ended (killed, crashed) as interrupted; runs of live processes stay running. */
    public synchronized int markInterruptedRuns() {
        // only this machine can tell whether its processes live; another machine's runs are its own to repair
        List<String[]> running = query("SELECT id, pid FROM run WHERE status = 'running' AND (machine = ? OR machine IS NULL)",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, machine);
        int n = 0;
        for (String[] r : running) {
            boolean alive = r[1] != null && ProcessHandle.of(Long.parseLong(r[1])).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                update("UPDATE run SET status = 'interrupted', finished_at = ?, message = 'the process ended before the run "
                        + "finished' WHERE id = ? AND status = 'running'", now(), r[0]);
                n++;
            }
        }
        return n;
    }

    /** A stack's targets and restore-test settings; the defaults (RTO 1 h, RPO 24 h) when none were set. */
    public synchronized StackSettings stackSettings(String host, String stack) {
        return query("SELECT rto_seconds, rpo_seconds, row_tolerance_pct, table_tolerances, freshness, probe, "
                + "drill_interval_days, safety_retention_seconds FROM stack_settings WHERE host = ? AND stack = ?", rs -> {
                    Map<String, Double> tol = new LinkedHashMap<>();
                    StackSettings.pairs(rs.getString(4)).forEach((k, v) -> tol.put(k, Double.parseDouble(v)));
                    Map<String, Duration> fresh = new LinkedHashMap<>();
                    StackSettings.pairs(rs.getString(5)).forEach((k, v) -> fresh.put(k, Duration.ofSeconds(Long.parseLong(v))));
                    return new StackSettings(host, stack, Duration.ofSeconds(rs.getLong(1)), Duration.ofSeconds(rs.getLong(2)),
                            rs.getDouble(3), tol, fresh, rs.getString(6), rs.getInt(7),
                            rs.getObject(8) == null ? StackSettings.DEFAULT_SAFETY_RETENTION : Duration.ofSeconds(rs.getLong(8)));
                }, host, stack).stream().findFirst().orElse(StackSettings.defaults(host, stack));
    }

    public synchronized void saveStackSettings(StackSettings s) {
        upsert("stack_settings", 2, List.of("host", "stack", "rto_seconds", "rpo_seconds", "row_tolerance_pct",
                        "table_tolerances", "freshness", "probe", "drill_interval_days", "safety_retention_seconds"),
                s.host(), s.stack(), s.rto().getSeconds(), s.rpo().getSeconds(), s.rowTolerancePct(),
                join(s.tableTolerances(), Object::toString), join(s.freshness(), d -> Long.toString(d.getSeconds())),
                s.probe(), s.drillIntervalDays(), s.safetyRetention().getSeconds());
    }

    private static <V> String join(Map<String, V> m, java.util.function.Function<V, String> f) {
        return m.isEmpty() ? null : m.entrySet().stream().map(e -> e.getKey() + "=" + f.apply(e.getValue()))
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** One recorded restore test. {@code checksJson}: the checks as JSON. */
    public record RestoreTestRecord(String runId, String pointId, String host, String stack, String sandboxHost,
                                    OffsetDateTime at, long durationMs, boolean ok, String checksJson) {
    }

    public synchronized void recordRestoreTest(RestoreTestRecord r) {
        update("INSERT INTO restore_test(run_id, point_id, host, stack, sandbox_host, at, duration_ms, ok, checks) "
                        + "VALUES (?,?,?,?,?,?,?,?,?)", r.runId(), r.pointId(), r.host(), r.stack(), r.sandboxHost(), r.at(),
                r.durationMs(), r.ok(), r.checksJson());
    }

    /** Restore tests, newest first; host and stack may be null for all. */
    public synchronized List<RestoreTestRecord> restoreTests(String host, String stack) {
        return query("SELECT run_id, point_id, host, stack, sandbox_host, at, duration_ms, ok, checks FROM restore_test "
                        + "WHERE (CAST(? AS VARCHAR(128)) IS NULL OR host = ?) AND (CAST(? AS VARCHAR(128)) IS NULL OR stack = ?) ORDER BY at DESC",
                rs -> new RestoreTestRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, OffsetDateTime.class), rs.getLong(7), rs.getBoolean(8),
                        rs.getString(9)), host, host, stack, stack);
    }

    /** One DR drill. Times in ms; {@code phasesJson}/{@code checksJson} as JSON. */
    public record DrillRecord(String id, String host, String stack, String scenario, String mode, String actor,
                              OffsetDateTime startedAt, String pointId, OffsetDateTime pointTakenAt, Long rtoMs, Long rpoMs,
                              long rtoTargetMs, long rpoTargetMs, boolean ok, String phasesJson, String checksJson,
                              String notes, java.time.LocalDate nextDue) {
    }

    public synchronized void recordDrill(DrillRecord d) {
        update("INSERT INTO drill(id, host, stack, scenario, mode, actor, started_at, point_id, point_taken_at, rto_ms, "
                        + "rpo_ms, rto_target_ms, rpo_target_ms, ok, phases, checks, notes, next_due) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", d.id(), d.host(), d.stack(), d.scenario(), d.mode(),
                d.actor(), d.startedAt(), d.pointId(), d.pointTakenAt(), d.rtoMs(), d.rpoMs(), d.rtoTargetMs(),
                d.rpoTargetMs(), d.ok(), d.phasesJson(), d.checksJson(), d.notes(), d.nextDue());
    }

    /** Notes and issues found, and the next due date, added after a drill. */
    public synchronized void annotateDrill(String id, String notes, java.time.LocalDate nextDue) {
        update("UPDATE drill SET notes = ?, next_due = ? WHERE id = ?", truncate(notes), nextDue, id);
    }

    /** Drills of a stack, newest first. */
    public synchronized List<DrillRecord> drills(String host, String stack) {
        return query("SELECT id, host, stack, scenario, mode, actor, started_at, point_id, point_taken_at, rto_ms, rpo_ms, "
                        + "rto_target_ms, rpo_target_ms, ok, phases, checks, notes, next_due FROM drill "
                        + "WHERE (CAST(? AS VARCHAR(128)) IS NULL OR host = ?) AND (CAST(? AS VARCHAR(128)) IS NULL OR stack = ?) ORDER BY started_at DESC",
                rs -> new DrillRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getObject(7, OffsetDateTime.class), rs.getString(8),
                        rs.getObject(9, OffsetDateTime.class), (Long) rs.getObject(10), (Long) rs.getObject(11),
                        rs.getLong(12), rs.getLong(13), rs.getBoolean(14), rs.getString(15), rs.getString(16),
                        rs.getString(17), rs.getObject(18, java.time.LocalDate.class)), host, host, stack, stack);
    }

    /**
     * Whether this history knows the run and it is over (finished, failed, cancelled or interrupted):
     * what such a run left on a host may be removed. An unknown id belongs to another Lifeboat sharing
     * the engine (another home), whose objects are never ours to remove.
     */
    public boolean isFinishedRun(String runId) {
        return runId != null && runStatus(runId).map(s -> !s.equals("running")).orElse(false);
    }

    public synchronized Optional<String> runStatus(String runId) {
        return query("SELECT status FROM run WHERE id = ?", rs -> rs.getString(1), runId).stream().findFirst();
    }

    /**
     * Records that a run is about to stop {@code container}, durably: H2 writes committed rows to disk a
     * moment later, and a process killed in that moment (kill -9 right after the stop) would leave a
     * stopped container nobody knows to start again. So the record is synced to disk before it returns.
     */
    public synchronized void holdContainer(String host, String container, String runId) {
        upsert("held_container", 2, List.of("host", "container", "run_id", "held_at"), host, container, runId, now());
        if (h2) {
            update("CHECKPOINT SYNC"); // on disk before the container is stopped; a server's commit already is
        }
    }

    public synchronized void releaseContainer(String host, String container) {
        update("DELETE FROM held_container WHERE host = ? AND container = ?", host, container);
    }

    public synchronized void savePlan(dev.lifeboat.core.model.BackupPlan p) {
        upsert("plan", 1, List.of("name", "host", "stack", "destination", "copies", "keep_hourly", "keep_daily", "keep_weekly",
                        "keep_monthly", "keep_yearly", "backup_cron", "verify_cron", "restore_test", "prune_cron", "zone", "assets",
                        "created_at"), p.name(), p.host(), p.stack(), p.destination(),
                p.copies().isEmpty() ? null : String.join(",", p.copies()), p.retention().hourly(), p.retention().daily(),
                p.retention().weekly(), p.retention().monthly(), p.retention().yearly(), p.backupCron(), p.verifyCron(),
                p.restoreTest(), p.pruneCron(), p.zone(), p.assets().isEmpty() ? null : String.join(",", p.assets()), now());
    }

    public synchronized List<dev.lifeboat.core.model.BackupPlan> plans() {
        return query("SELECT name, host, stack, destination, copies, keep_hourly, keep_daily, keep_weekly, keep_monthly, "
                + "keep_yearly, backup_cron, verify_cron, restore_test, prune_cron, zone, assets FROM plan ORDER BY name", rs ->
                new dev.lifeboat.core.model.BackupPlan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5) == null ? List.of() : List.of(rs.getString(5).split(",")),
                        new dev.lifeboat.core.model.RetentionPolicy(rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9),
                                rs.getInt(10)), rs.getString(11), rs.getString(12), rs.getBoolean(13), rs.getString(14),
                        rs.getString(15), rs.getString(16) == null ? List.of() : List.of(rs.getString(16).split(","))));
    }

    public synchronized boolean removePlan(String name) {
        update("DELETE FROM schedule_state WHERE plan = ?", name);
        return update("DELETE FROM plan WHERE name = ?", name) > 0;
    }

    /** The schedule slot a plan's job last ran for. */
    public synchronized Optional<java.time.Instant> lastSlot(String plan, String job) {
        return query("SELECT last_slot FROM schedule_state WHERE plan = ? AND job = ?",
                rs -> rs.getObject(1, OffsetDateTime.class).toInstant(), plan, job).stream().findFirst();
    }

    /**
     * Claims a plan job's slot for this process: moves the job's last slot from {@code ranFor} (null: it
     * never ran) to {@code slot} in one statement, so of several agents sharing the history exactly one
     * wins it and runs the job; the others get false and skip it.
     */
    public synchronized boolean claimSlot(String plan, String job, java.time.Instant ranFor, java.time.Instant slot) {
        OffsetDateTime to = slot.atOffset(ZoneOffset.UTC);
        if (ranFor != null) {
            return update("UPDATE schedule_state SET last_slot = ? WHERE plan = ? AND job = ? AND last_slot = ?", to, plan,
                    job, ranFor.atOffset(ZoneOffset.UTC)) == 1;
        }
        try {
            return update("INSERT INTO schedule_state(plan, job, last_slot) VALUES (?,?,?)", plan, job, to) == 1;
        } catch (LifeboatException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return false; // another agent claimed the first slot a moment ago
            }
            throw e;
        }
    }

    public synchronized void setLastSlot(String plan, String job, java.time.Instant slot) {
        upsert("schedule_state", 2, List.of("plan", "job", "last_slot"), plan, job,
                slot.atOffset(java.time.ZoneOffset.UTC));
    }

    /**
     * Takes the stack's lock for {@code owner} (a run id) unless a live process holds it. A lock left by
     * a process that is gone is taken over. Returns the current holder's description when refused.
     */
    public synchronized Optional<String> tryLockStack(String host, String stack, String owner) {
        List<String[]> held = query("SELECT owner, pid, since, machine FROM stack_lock WHERE host = ? AND stack = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, host, stack);
        if (!held.isEmpty()) {
            long pid = Long.parseLong(held.get(0)[1]);
            String on = held.get(0)[3];
            boolean here = on == null || on.equals(machine);
            // a process on another machine cannot be looked at from here: its lock holds until that machine
            // releases it, or its Lifeboat finds the process gone (ADR 22)
            boolean alive = !here || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (alive) {
                String holder = held.get(0)[0];
                return Optional.of((holder.contains(" ") ? holder : "run " + holder) + " of process " + pid
                        + (here ? "" : " on " + on) + " since " + held.get(0)[2]);
            }
            update("DELETE FROM stack_lock WHERE host = ? AND stack = ? AND owner = ?", host, stack, held.get(0)[0]);
        }
        beforeStatement.accept("INSERT INTO stack_lock");
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO stack_lock(host, stack, owner, pid, since, machine) VALUES (?,?,?,?,?,?)")) {
            bind(ps, host, stack, owner, ProcessHandle.current().pid(), now(), machine);
            ps.executeUpdate();
            return Optional.empty();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return Optional.of("another run that took it a moment ago");
            }
            throw new LifeboatException("History update failed: " + e.getMessage(), e);
        }
    }

    /** A stack's lock as the history holds it: who, which process, on which machine, since when. */
    public record StackLock(String owner, long pid, String machine, Instant since) {
    }

    /** The stack's lock, if a run holds one (alive or not). */
    public synchronized Optional<StackLock> stackLock(String host, String stack) {
        return query("SELECT owner, pid, machine, since FROM stack_lock WHERE host = ? AND stack = ?",
                rs -> new StackLock(rs.getString(1), rs.getLong(2), rs.getString(3) == null ? machine : rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()), host, stack).stream().findFirst();
    }

    /** This machine's name, as the history records it with its runs and locks. */
    public String machine() {
        return machine;
    }

    public synchronized void unlockStack(String host, String stack, String owner) {
        update("DELETE FROM stack_lock WHERE host = ? AND stack = ? AND owner = ?", host, stack, owner);
    }

    /**
     * Runs {@code work} holding the stack's lock, as {@code what} ("backup", "restore", ...): one of them at a
     * time per stack, across processes. When another holds it, {@code busy} makes the exception to throw
     * from a description of the holder ("restore 1f2e… of process 4242 since …").
     */
    public <T> T withStackLock(String host, String stack, String what,
                               java.util.function.Function<String, ? extends RuntimeException> busy,
                               java.util.function.Supplier<T> work) {
        String owner = what + " " + java.util.UUID.randomUUID();
        Optional<String> holder = tryLockStack(host, stack, owner);
        if (holder.isPresent()) {
            throw busy.apply(holder.get());
        }
        try {
            return work.get();
        } finally {
            // a cancel interrupts the worker; the history's file I/O must not see the flag
            boolean interrupted = Thread.interrupted();
            unlockStack(host, stack, owner);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Records a run that failed before it could record itself (a job that threw inside the agent). */
    public synchronized void recordFailed(String kind, String host, String stack, String actor, String why) {
        String id = startRun(kind, host, stack, null, null, actor);
        update("UPDATE run SET finished_at = ?, status = 'failed', message = ? WHERE id = ?", now(), truncate(why), id);
    }

    /** Records a run that did not happen, and why ("skipped: already running"). */
    public synchronized void recordSkipped(String kind, String host, String stack, String actor, String why) {
        String id = startRun(kind, host, stack, null, null, actor);
        update("UPDATE run SET finished_at = ?, status = 'skipped', message = ? WHERE id = ?", now(), truncate(why), id);
    }

    private static dev.lifeboat.core.model.Alert alertRow(ResultSet rs) throws SQLException {
        return new dev.lifeboat.core.model.Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getObject(9, OffsetDateTime.class).toInstant(),
                rs.getObject(10, OffsetDateTime.class) == null ? null : rs.getObject(10, OffsetDateTime.class).toInstant());
    }

    private static final String ALERT_COLUMNS = "id, akey, kind, host, stack, title, message, state, created_at, resolved_at";

    /** Alerts not resolved (open or acknowledged). */
    public synchronized List<dev.lifeboat.core.model.Alert> activeAlerts() {
        return query("SELECT " + ALERT_COLUMNS + " FROM alert WHERE state <> 'resolved' ORDER BY created_at", HistoryStore::alertRow);
    }

    public synchronized List<dev.lifeboat.core.model.Alert> alerts(int limit) {
        return query("SELECT " + ALERT_COLUMNS + " FROM alert ORDER BY created_at DESC LIMIT ?", HistoryStore::alertRow, limit);
    }

    /** Whether an alert with this key was ever raised (one-off findings such as a failed run are raised once). */
    public synchronized boolean alertKeyKnown(String key) {
        return !query("SELECT id FROM alert WHERE akey = ?", rs -> rs.getLong(1), key).isEmpty();
    }

    /** Raises the finding unless an alert with its key is still open; returns whether it raised one. */
    public synchronized boolean raiseAlertUnlessOpen(dev.lifeboat.core.model.Finding f) {
        if (!query("SELECT id FROM alert WHERE akey = ? AND state <> 'resolved'", rs -> rs.getLong(1), f.key()).isEmpty()) {
            return false;
        }
        raiseAlert(f);
        return true;
    }

    public synchronized long raiseAlert(dev.lifeboat.core.model.Finding f) {
        return inTransaction(() -> {
            // the id of this insert, not the newest alert with the key: other processes raise alerts too
            long id = insertReturningId("INSERT INTO alert(akey, kind, host, stack, title, message, state, created_at) "
                    + "VALUES (?,?,?,?,?,?,?,?)", f.key(), f.kind(), f.host(), f.stack(), truncate(f.title()),
                    truncate(f.message()), "open", now());
            if (f.suspect() != null) {
                holdSuspect(f.suspect(), "alert " + id + ": " + f.title());
            }
            return id;
        });
    }

    /** A point held against prune until released: why, since when, by whom. */
    public record Hold(String pointId, String host, String stack, String reason, Instant heldAt, String heldBy) {
    }

    /**
     * Holds a point an alert made suspicious, and the newest point of its stack taken before it (the last
     * one known before whatever happened), unless they are held already.
     */
    private void holdSuspect(String pointId, String why) {
        List<String[]> found = query("SELECT host, stack, MIN(created_at) FROM recovery_point WHERE id = ? GROUP BY host, stack",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toString()}, pointId);
        if (found.isEmpty()) {
            return; // not a point this history knows
        }
        String host = found.get(0)[0];
        String stack = found.get(0)[1];
        hold(pointId, host, stack, "suspicious: " + why, "alert");
        query("SELECT id FROM recovery_point WHERE host = ? AND stack = ? AND kind <> 'safety' AND created_at < ? "
                        + "ORDER BY created_at DESC LIMIT 1", rs -> rs.getString(1), host, stack,
                OffsetDateTime.parse(found.get(0)[2]))
                .forEach(before -> hold(before, host, stack, "the last point before suspicious point " + pointId, "alert"));
    }

    /** Holds a point against prune (no change if it is held already). */
    public synchronized void hold(String pointId, String host, String stack, String reason, String by) {
        inTransaction(() -> {
            if (query("SELECT 1 FROM point_hold WHERE point_id = ? AND released_at IS NULL", rs -> 1, pointId).isEmpty()) {
                upsert("point_hold", 1, List.of("point_id", "host", "stack", "reason", "held_at", "held_by", "released_at",
                        "released_by"), pointId, host, stack, truncate(reason), now(), by, null, null);
            }
            return null;
        });
    }

    /** Releases a held point; false when it was not held. */
    public synchronized boolean release(String pointId, String by) {
        return update("UPDATE point_hold SET released_at = ?, released_by = ? WHERE point_id = ? AND released_at IS NULL",
                now(), by, pointId) > 0;
    }

    /** The points held now, newest hold first. */
    public synchronized List<Hold> holds() {
        return query("SELECT point_id, host, stack, reason, held_at, held_by FROM point_hold WHERE released_at IS NULL "
                + "ORDER BY held_at DESC", rs -> new Hold(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6)));
    }

    /** Sets an alert's state; false when there is no alert with this id. */
    public synchronized boolean setAlertState(long id, String state) {
        return update("UPDATE alert SET state = ?, resolved_at = CASE WHEN ? = 'resolved' THEN ? ELSE resolved_at END WHERE id = ?",
                state, state, now(), id) > 0;
    }

    public synchronized void saveChannel(dev.lifeboat.core.model.AlertChannel c) {
        upsert("alert_channel", 1, List.of("name", "kind", "target", "options"), c.name(), c.kind(), c.target(),
                c.options().isEmpty() ? null : c.options().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(",")));
    }

    public synchronized List<dev.lifeboat.core.model.AlertChannel> channels() {
        return query("SELECT name, kind, target, options FROM alert_channel ORDER BY name",
                rs -> new dev.lifeboat.core.model.AlertChannel(rs.getString(1), rs.getString(2), rs.getString(3),
                        StackSettings.pairs(rs.getString(4))));
    }

    /** Deliveries of an alert: channel to {status, attempts}. */
    public synchronized Map<String, String[]> deliveries(long alertId) {
        Map<String, String[]> m = new LinkedHashMap<>();
        query("SELECT channel, status, attempts, last_error FROM alert_delivery WHERE alert_id = ? ORDER BY channel",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, alertId)
                .forEach(r -> m.put(r[0], new String[] {r[1], r[2], r[3]}));
        return m;
    }

    public synchronized void recordDelivery(long alertId, String channel, String status, int attempts, String error) {
        upsert("alert_delivery", 2, List.of("alert_id", "channel", "status", "attempts", "last_error", "updated_at"), alertId, channel, status, attempts, truncate(error), now());
    }

    /** The status of the run holding a stopped container. */
    public synchronized Optional<String> holdingRunStatus(String host, String container) {
        return query("SELECT r.status FROM held_container h JOIN run r ON r.id = h.run_id WHERE h.host = ? AND h.container = ?",
                rs -> rs.getString(1), host, container).stream().findFirst();
    }

    public synchronized List<String> heldContainers(String host) {
        return query("SELECT container FROM held_container WHERE host = ? ORDER BY held_at", rs -> rs.getString(1), host);
    }

    public synchronized void audit(String actor, String action, String target, String detail) {
        update("INSERT INTO audit_event(at, actor, action, target, detail) VALUES (?,?,?,?,?)",
                now(), actor, action, target, truncate(detail));
    }

    /** Audit events, newest first, as "at actor action target detail" rows. */
    /**
     * The activity log: runs and audit events (hosts added, plans saved, restores refused, alerts
     * acknowledged...) together, newest first. An audit event is a row of status {@code audit} whose
     * kind is its action, by its actor; a {@code host/stack} target fills host and stack.
     */
    public synchronized List<RunRecord> activity(int limit) {
        List<RunRecord> all = new java.util.ArrayList<>(runs(limit));
        all.addAll(query("SELECT id, at, actor, action, target, detail FROM audit_event ORDER BY id DESC LIMIT ?", rs -> {
            String target = rs.getString(5);
            String detail = rs.getString(6);
            boolean stack = target != null && target.matches("[^/\\s]+/[^/\\s]+");
            Instant at = rs.getObject(2, OffsetDateTime.class).toInstant();
            return new RunRecord("audit-" + rs.getLong(1), rs.getString(4), stack ? target.split("/")[0] : null,
                    stack ? target.split("/")[1] : null, null, null, rs.getString(3), at, at, "audit",
                    stack || target == null ? detail : target + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        }, limit));
        all.sort(java.util.Comparator.comparing(RunRecord::startedAt).reversed());
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    public synchronized List<String[]> auditEvents(int limit) {
        return query("SELECT at, actor, action, target, detail FROM audit_event ORDER BY id DESC LIMIT ?",
                rs -> new String[] {rs.getObject(1, OffsetDateTime.class).toInstant().toString(), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5)}, limit);
    }

    // ---- plumbing ----

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        beforeStatement.accept(sql);
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new LifeboatException("History query failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} as one transaction (or inside the one already open on this connection). */
    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        try {
            if (!db.getAutoCommit()) {
                return work.get();
            }
            db.setAutoCommit(false);
            try {
                T result = work.get();
                db.commit();
                return result;
            } catch (RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new LifeboatException("History transaction failed: " + e.getMessage(), e);
        }
    }

    private long insertReturningId(String sql, Object... args) {
        beforeStatement.accept(sql);
        try (PreparedStatement ps = db.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, args);
            ps.executeUpdate();
            try (java.sql.ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new LifeboatException("History insert returned no id");
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new LifeboatException("History update failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts a row, or updates the row with the same key: the first {@code keys} of {@code columns} are the
     * key. Plain UPDATE then INSERT, the same SQL on H2 and PostgreSQL; when another process inserts the
     * same key in between, the insert's conflict is rolled back to a savepoint and the row updated.
     */
    private void upsert(String table, int keys, List<String> columns, Object... values) {
        List<String> keyCols = columns.subList(0, keys);
        List<String> rest = columns.subList(keys, columns.size());
        Object[] updateArgs = new Object[values.length];
        System.arraycopy(values, keys, updateArgs, 0, values.length - keys);
        System.arraycopy(values, 0, updateArgs, values.length - keys, keys);
        String updateSql = "UPDATE " + table + " SET " + String.join(", ", rest.stream().map(c -> c + " = ?").toList())
                + " WHERE " + String.join(" AND ", keyCols.stream().map(c -> c + " = ?").toList());
        String insertSql = "INSERT INTO " + table + "(" + String.join(", ", columns) + ") VALUES ("
                + String.join(",", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        inTransaction(() -> {
            if (update(updateSql, updateArgs) > 0) {
                return null;
            }
            java.sql.Savepoint before;
            try {
                before = db.setSavepoint();
            } catch (SQLException e) {
                throw new LifeboatException("History update failed: " + e.getMessage(), e);
            }
            try {
                update(insertSql, values);
            } catch (LifeboatException e) {
                if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
                    throw e;
                }
                try {
                    db.rollback(before);
                } catch (SQLException r) {
                    throw new LifeboatException("History update failed: " + r.getMessage(), r);
                }
                update(updateSql, updateArgs); // inserted meanwhile by another process
            }
            return null;
        });
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it touched. */
    private int update(String sql, Object... args) {
        beforeStatement.accept(sql);
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new LifeboatException("History update failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new LifeboatException("Closing the history database failed: " + e.getMessage(), e);
        }
    }
}
