package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.model.ContainerSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs PostgreSQL's own client tools inside a database container (its own tool version), connecting
 * over the container's local socket as the superuser from the official image's environment.
 */
public final class PostgresClient {
    private final DockerEngine docker;
    private final String container;
    private final String superuser;
    private final List<String> env;

    public PostgresClient(DockerEngine docker, ContainerSpec spec) {
        this.docker = docker;
        this.container = spec.name();
        this.superuser = superuserOf(spec);
        List<String> e = new ArrayList<>();
        e.add("PGUSER=" + superuser);
        String password = spec.envValue("POSTGRES_PASSWORD");
        if (password != null) {
            e.add("PGPASSWORD=" + password);
        }
        this.env = List.copyOf(e);
    }

    public static String superuserOf(ContainerSpec spec) {
        String user = spec.envValue("POSTGRES_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    public String container() {
        return container;
    }

    public String superuser() {
        return superuser;
    }

    /** The environment the client tools run with (the superuser, and its password when the image sets one). */
    public List<String> environment() {
        return env;
    }

    /**
     * Non-template databases that accept connections, exactly as named: the catalog sends each name
     * hex-encoded, so newlines, {@code |}, quotes, leading or trailing spaces and non-ASCII survive.
     */
    public List<String> databases() {
        return hexLines(query("postgres", "SELECT encode(convert_to(datname, 'UTF8'), 'hex') FROM pg_database"
                + " WHERE NOT datistemplate AND datallowconn ORDER BY datname"));
    }

    /** {@link #databases()} with the size of each on disk (bytes), from one query. */
    public Map<String, Long> databaseSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String line : lines(query("postgres", "SELECT encode(convert_to(datname, 'UTF8'), 'hex') || '|' ||"
                + " pg_database_size(oid) FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname"))) {
            int bar = line.indexOf('|');
            sizes.put(unhex(line.substring(0, bar)), Long.parseLong(line.substring(bar + 1)));
        }
        return sizes;
    }

    /**
     * The connection string that names {@code database} and nothing else. libpq reads a {@code -d} or
     * {@code --dbname} value containing {@code =} as a connection string, so a database called
     * {@code host=elsewhere dbname=x} would send the password to another server; as a quoted
     * {@code dbname=} value it is only ever a name.
     */
    public static String conninfo(String database) {
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    public String query(String database, String sql) {
        return docker.execText(container, env, "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", conninfo(database),
                "-c", sql);
    }

    /** Runs a psql script fed on stdin (it may use psql meta-commands such as \gexec). */
    public String script(String database, String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult r = psql(database, script, out);
        if (!r.ok()) {
            throw new HostException("psql in container " + container + " failed on database " + database + ": "
                    + r.stderr().trim());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** psql running {@code script}, fed on stdin, in {@code database}; stops at the first error. */
    private ExecResult psql(String database, String script, OutputStream out) {
        return docker.exec(container, List.of("psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", conninfo(database)),
                env, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out);
    }

    /** Runs a fixed shell script in the container in one exec; empty where the container has no shell. */
    public java.util.Optional<ExecResult> runInShell(List<String> script, OutputStream out) {
        return InShell.exec(docker, container, script, env, out);
    }

    /** What one database's run of a script gave: psql's output and exit status (0 when it ran to its end). */
    public record Ran(String out, int exit) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** What {@link #scriptEach} gave: each database's run, and psql's messages of them all. */
    public record RanEach(Map<String, Ran> runs, String errors) {
    }

    /**
     * Runs one psql script (meta-commands allowed) in each of {@code databases}, one psql after the other from a
     * single exec: starting a process in the container costs about what a short query does, so checks of several
     * databases pay it once. The names only ever reach psql as quoted {@link #conninfo} values, as positional
     * parameters of a fixed shell script. Where the container has no shell, one exec per database.
     */
    public RanEach scriptEach(List<String> databases, String script) {
        if (databases.isEmpty()) {
            return new RanEach(Map.of(), "");
        }
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "s=$1; shift; for d in \"$@\"; do"
                + " printf '%s' \"$s\" | psql -X -q -At -v ON_ERROR_STOP=1 -d \"$d\"; printf '\\036%s\\n' \"$?\"; done",
                "sh", script));
        databases.forEach(d -> cmd.add(conninfo(d)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.Optional<ExecResult> ran = InShell.exec(docker, container, cmd, env, out);
        if (ran.isEmpty()) {
            return eachOnItsOwn(databases, script);
        }
        ExecResult r = ran.get();
        // each run's output ends in RS and its exit status: the scripts' output is hex and figures, never an RS
        String text = out.toString(StandardCharsets.UTF_8);
        Map<String, Ran> runs = new LinkedHashMap<>();
        int from = 0;
        for (String db : databases) {
            int rs = text.indexOf('\036', from);
            int nl = rs < 0 ? -1 : text.indexOf('\n', rs);
            if (nl < 0) {
                throw new HostException("psql in container " + container + " ended before database " + db + " was checked: "
                        + r.stderr().trim());
            }
            runs.put(db, new Ran(text.substring(from, rs), Integer.parseInt(text.substring(rs + 1, nl).trim())));
            from = nl + 1;
        }
        return new RanEach(runs, r.stderr().trim());
    }

    private RanEach eachOnItsOwn(List<String> databases, String script) {
        Map<String, Ran> runs = new LinkedHashMap<>();
        StringBuilder errors = new StringBuilder();
        for (String db : databases) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExecResult r = psql(db, script, out);
            runs.put(db, new Ran(out.toString(StandardCharsets.UTF_8), (int) r.exitCode()));
            if (!r.stderr().isBlank()) {
                errors.append(errors.length() == 0 ? "" : "\n").append(r.stderr().trim());
            }
        }
        return new RanEach(runs, errors.toString());
    }

    /** Exact row counts of every user table, keyed "schema.table". */
    public Map<String, Long> rowCounts(String database) {
        String out = script(database, """
                SELECT format('SELECT %L, count(*) FROM %I.%I', encode(convert_to(n.nspname || '.' || c.relname, 'UTF8'), 'hex'),
                              n.nspname, c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
                ORDER BY 1 \\gexec
                """);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line : lines(out)) {
            int bar = line.lastIndexOf('|');
            counts.put(unhex(line.substring(0, bar)), Long.parseLong(line.substring(bar + 1)));
        }
        return counts;
    }

    /** The tables of {@code database} ("schema.table"), from the catalog: nothing is counted or scanned. */
    public List<String> tables(String database) {
        String out = query(database, """
                SELECT encode(convert_to(n.nspname || '.' || c.relname, 'UTF8'), 'hex')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
                ORDER BY 1""");
        List<String> tables = new ArrayList<>();
        for (String line : lines(out)) {
            tables.add(unhex(line.trim()));
        }
        return tables;
    }

    public ExecResult run(List<String> cmd, InputStream stdin, OutputStream stdout) {
        return docker.exec(container, cmd, env, stdin, stdout);
    }

    public String version() {
        return docker.execText(container, env, "pg_dump", "--version").trim();
    }

    /**
     * Whether a server is the one to restore into: {@code ready}, or {@code init} where it listens on the socket alone
     * by its command line. That is how the official image's entrypoint runs the server it initializes a new data
     * directory with, on the same socket as the real one, and stops, with every session, before it starts the real
     * one; a query on the socket cannot tell the two apart otherwise. A server configured for the socket alone in its
     * configuration file is ready.
     */
    static final String READY_QUERY = "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_settings WHERE name = 'listen_addresses'"
            + " AND setting = '' AND source = 'command line') THEN 'init' ELSE 'ready' END";

    /**
     * Waits inside the container, for about {@code seconds}, until the server is the one to restore into; true once it
     * is. {@link #READY_QUERY} says {@code ready}, or {@code init} where the container's first process is the server
     * itself (an entrypoint that has handed over to it: the server started with the socket alone on purpose); while
     * the entrypoint still runs as the first process, it is initializing. One exec where looking from outside took
     * one per look (each a process started in the container: some 60 ms of the host's CPU), and the answer is seen
     * within 50 ms of the server's. Where the container has no shell, asks once, as {@link #ready}.
     */
    public boolean readyWithin(int seconds) {
        return WaitInside.run(docker, container, List.of("sh", "-c", "n=0; until r=$(psql -X -q -At -d \"$1\" -c \"$3\""
                + " 2>/dev/null) && { [ \"$r\" = ready ] || { [ \"$r\" = init ] && [ \"$(cat /proc/1/comm 2>/dev/null)\" ="
                + " postgres ]; }; }; do n=$((n+1)); [ \"$n\" -lt \"$2\" ] || exit 1; sleep 0.05; done", "sh",
                conninfo("postgres"), Integer.toString(Math.max(1, seconds) * 20), READY_QUERY), env, this::ready);
    }

    /**
     * Whether the server answers now (one exec), for a container without a shell: there the first process cannot be
     * looked at, and a server on the socket alone by its command line is taken to be the real one.
     */
    public boolean ready() {
        try {
            String r = query("postgres", READY_QUERY).trim();
            return r.equals("ready") || r.equals("init");
        } catch (HostException e) {
            return false;
        }
    }

    /** Lines of hex-encoded UTF-8, decoded. */
    static List<String> hexLines(String text) {
        return lines(text).stream().map(PostgresClient::unhex).toList();
    }

    static String unhex(String hex) {
        return new String(java.util.HexFormat.of().parseHex(hex.strip()), StandardCharsets.UTF_8);
    }

    static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
