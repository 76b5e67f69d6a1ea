package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Lifeboat's history, opened on the embedded H2 database or on a PostgreSQL server a team shares
 * (ADR 22), and its repositories by concern: hosts, destinations, points, runs and audit, plans,
 * alerts, proof, locks. The schema is owned by Flyway migrations under {@code db/migration/h2} and
 * {@code db/migration/postgresql}.
 */
public final class HistoryStore implements AutoCloseable {
    private final Sql sql;
    private final HostRepository hosts;
    private final DestinationRepository destinations;
    private final PointRepository points;
    private final RunRepository runs;
    private final PlanRepository plans;
    private final AlertRepository alerts;
    private final ProofRepository proof;
    private final LockRepository locks;
    private final PitrRepository pitr;
    private final SafetyCopyRepository safetyCopies;

    /**
     * Called with each statement's SQL before it runs, on the calling thread: a seam for tests that make
     * the history slow (a far team server) or watch which threads read it. One hook; null removes it.
     */
    public void beforeEachStatement(java.util.function.Consumer<String> hook) {
        sql.beforeEachStatement(hook);
    }

    private HistoryStore(Connection db, java.time.Clock clock) {
        this.sql = new Sql(db, clock);
        this.hosts = new HostRepository(sql);
        this.destinations = new DestinationRepository(sql);
        this.points = new PointRepository(sql);
        this.runs = new RunRepository(sql);
        this.plans = new PlanRepository(sql);
        this.alerts = new AlertRepository(sql, points);
        this.proof = new ProofRepository(sql);
        this.locks = new LockRepository(sql);
        this.pitr = new PitrRepository(sql);
        this.safetyCopies = new SafetyCopyRepository(sql);
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

    /** The newest migration under {@code db/migration/h2}; a test holds it to the files. */
    static final int LATEST_H2_MIGRATION = 15;

    /**
     * Whether the embedded history already has every migration, applied without failure: then Flyway, which
     * takes most of a second to load and scan, is not needed for this open.
     */
    static boolean current(Connection c) throws SQLException {
        try (var rs = c.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
            if (!rs.next()) {
                return false;
            }
        }
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COALESCE(MAX(CAST(\"version\" AS INT)), 0),"
                + " COUNT(CASE WHEN NOT \"success\" THEN 1 END) FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            return rs.next() && rs.getInt(1) == LATEST_H2_MIGRATION && rs.getInt(2) == 0;
        }
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
            Connection c = DriverManager.getConnection(url, "sa", "");
            try {
                if (!current(c)) {
                    // with this connection open, Flyway's own finds the database open instead of opening it again
                    Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/h2").load().migrate();
                }
            } catch (FlywayException | SQLException e) {
                c.close();
                throw e;
            }
            HistoryStore store = new HistoryStore(c, clock);
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

    /** The enrolled hosts. */
    public HostRepository hosts() {
        return hosts;
    }

    /** The registered destinations. */
    public DestinationRepository destinations() {
        return destinations;
    }

    /** The recovery points and the holds against prune. */
    public PointRepository points() {
        return points;
    }

    /** Runs with their steps, and the audit log. */
    public RunRepository runs() {
        return runs;
    }

    /** Backup plans, their schedule slots, and each stack's settings. */
    public PlanRepository plans() {
        return plans;
    }

    /** Alerts, channels and deliveries. */
    public AlertRepository alerts() {
        return alerts;
    }

    /** Restore tests and drills. */
    public ProofRepository proof() {
        return proof;
    }

    /** Stack locks and the containers runs have stopped. */
    public LockRepository locks() {
        return locks;
    }

    /** The assets that ship their WAL, and the WAL files shipped (ADR 24). */
    public PitrRepository pitr() {
        return pitr;
    }

    /** What restores replaced and kept on the hosts (ADR 25). */
    public SafetyCopyRepository safetyCopies() {
        return safetyCopies;
    }

    /** This machine's name, as the history records it with its runs and locks. */
    public String machine() {
        return sql.machine();
    }

    @Override
    public void close() {
        sql.close();
    }

    /** Whether this is the embedded history (H2 under the home), not a team history on a server. */
    public boolean embedded() {
        return sql.h2();
    }

    /**
     * A consistent copy of the embedded history, taken while it is in use, into the new zip {@code file} (H2's
     * online {@code BACKUP}); a team history on a server is backed up with that server's own tools.
     */
    public void backupTo(Path file) {
        if (!embedded()) {
            throw new LifeboatException("The history lives on a PostgreSQL server: back it up with that server's tools"
                    + " (pg_dump, or Lifeboat backing up the stack that runs it)");
        }
        sql.update("BACKUP TO '" + file.toAbsolutePath().toString().replace("'", "''") + "'");
    }
}
