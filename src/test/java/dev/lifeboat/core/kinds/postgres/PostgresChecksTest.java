package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.StackSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of restored databases against a real PostgreSQL 15 (Debian's package, started here as the postgres
 * user on a private socket): the container's commands run as processes on this machine, each exec counted.
 */
class PostgresChecksTest {
    private static final String HOSTILE = "x' host=127.0.0.2 dbname='y";
    private static final String ODD_TABLE = "line\nbreak|bar";

    @TempDir
    Path tmp;
    private Process server;
    private Path sockets;
    private final List<List<String>> execs = new ArrayList<>();
    private boolean noShell;

    @BeforeEach
    void start() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path data = tmp.resolve("data");
        sockets = tmp.resolve("run");
        Files.createDirectories(sockets);
        Files.createDirectories(data);
        run("chown", "postgres:postgres", sockets.toString(), data.toString());
        Path bin = Path.of("/usr/lib/postgresql/15/bin");
        run("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", bin.resolve("initdb").toString(), "-D",
                data.toString(), "-U", "postgres", "-A", "trust", "--no-sync");
        server = new ProcessBuilder("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                bin.resolve("postgres").toString(), "-D", data.toString(), "-k", sockets.toString(), "-c", "listen_addresses=",
                "-c", "fsync=off").redirectErrorStream(true).redirectOutput(tmp.resolve("pg.log").toFile()).start();
        PostgresClient pg = client();
        assertTrue(pg.readyWithin(60), this::log);
        String setup = """
                CREATE DATABASE shop;
                CREATE DATABASE "%s";
                \\c shop
                CREATE TABLE customers (id int PRIMARY KEY);
                CREATE TABLE orders (id int PRIMARY KEY, customer int, qty int);
                INSERT INTO customers VALUES (1);
                INSERT INTO orders VALUES (1, 1, 2), (2, 7, 1), (3, 8, -1);
                ALTER TABLE orders ADD CONSTRAINT "owner
                of|order" FOREIGN KEY (customer) REFERENCES customers NOT VALID;
                ALTER TABLE orders ADD CONSTRAINT positive CHECK (qty > 0) NOT VALID;
                """.formatted(HOSTILE.replace("\"", "\"\""));
        pg.script("postgres", setup);
        pg.script(HOSTILE, "CREATE TABLE \"" + ODD_TABLE + "\" (v text);");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private AssetRecord asset() {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("shop.public.customers", 1L);
        rows.put("shop.public.orders", 3L);
        rows.put(HOSTILE + ".public." + ODD_TABLE, 0L);
        rows.put("gone.public.t", 5L);
        List<Artifact> dumps = new ArrayList<>();
        for (String db : List.of("shop", HOSTILE, "gone")) {
            dumps.add(new Artifact("f" + dumps.size(), "pg-dump", db, 0, null, 0, null, "zstd", "aes-256-gcm"));
        }
        return new AssetRecord("postgres", "postgres:db", "db", 0, dumps, rows, null, null, Map.of());
    }

    @Test
    void theStructureOfEveryDatabaseIsCheckedFromOneExecAndHostileNamesStayNames() {
        PostgresClient pg = client();
        execs.clear();
        List<Check> checks = PostgresChecks.structural(pg, asset(), db -> true);
        assertEquals(1, execs.size(), "one exec for three databases");
        Map<String, Check> byName = checks.stream().collect(Collectors.toMap(Check::name, c -> c));
        assertTrue(byName.get("postgres:db shop: tables").ok(), byName.toString());
        Check constraints = byName.get("postgres:db shop: constraints");
        assertFalse(constraints.ok());
        assertTrue(constraints.detail().contains("foreign key owner\nof|order on orders: 2 violating rows"), constraints.detail());
        assertTrue(constraints.detail().contains("check positive on orders: 1 violating rows"), constraints.detail());
        Check odd = byName.get("postgres:db " + HOSTILE + ": tables");
        assertTrue(odd.ok(), "the database named like a connection string is read as a name: " + odd);
        assertTrue(byName.get("postgres:db " + HOSTILE + ": constraints").ok());
        Check gone = byName.get("postgres:db gone: tables");
        assertFalse(gone.ok());
        assertTrue(gone.detail().startsWith("cannot read the database: psql in container db failed on database gone"), gone.detail());
        assertEquals(5, checks.size(), checks.toString());
    }

    @Test
    void aSandboxCountsEveryRowOfEveryDatabaseFromOneExec() {
        PostgresClient pg = client();
        execs.clear();
        List<Check> checks = PostgresChecks.run(pg, asset(), StackSettings.defaults("local", "shop"), Instant.now(), db -> !db.equals("gone"));
        assertEquals(1, execs.size());
        Map<String, Check> byName = checks.stream().collect(Collectors.toMap(Check::name, c -> c));
        assertEquals(6, checks.size(), checks.toString());
        assertTrue(byName.get("postgres:db shop: row counts").ok(), byName.toString());
        assertTrue(byName.get("postgres:db " + HOSTILE + ": row counts").ok(), byName.toString());
        assertFalse(byName.get("postgres:db shop: constraints").ok());
    }

    @Test
    void withoutAShellEachDatabaseIsAskedOnItsOwnWithTheSameAnswers() {
        PostgresClient pg = client();
        List<Check> together = PostgresChecks.structural(pg, asset(), db -> true);
        noShell = true;
        execs.clear();
        List<Check> alone = PostgresChecks.structural(pg, asset(), db -> true);
        assertEquals(4, execs.size(), "the refused shell, then one psql per database");
        assertEquals(together.stream().map(c -> c.name() + c.ok()).toList(), alone.stream().map(c -> c.name() + c.ok()).toList());
    }

    private PostgresClient client() {
        InMemoryEngine engine = new InMemoryEngine("local").execs(this::exec);
        return new PostgresClient(engine, new ContainerSpec("db", "postgres", null, null, null, null, Map.of(), null, null,
                null, null, List.of(), null, true));
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("pg.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    private ExecResult exec(String container, List<String> cmd, List<String> env, InputStream stdin, OutputStream stdout) {
        execs.add(cmd);
        if (noShell && cmd.get(0).equals("sh")) {
            throw new HostException("exec failed: \"sh\": executable file not found in $PATH");
        }
        try {
            ProcessBuilder b = new ProcessBuilder(cmd).redirectError(tmp.resolve("err").toFile());
            Map<String, String> e = new HashMap<>(b.environment());
            env.forEach(kv -> e.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)));
            b.environment().putAll(e);
            b.environment().put("PGHOST", sockets.toString());
            Process p = b.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    stdin.transferTo(in);
                }
            }
            p.getInputStream().transferTo(stdout);
            int code = p.waitFor();
            return new ExecResult(code, Files.readString(tmp.resolve("err")));
        } catch (IOException e) {
            throw new HostException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted", e);
        }
    }
}
