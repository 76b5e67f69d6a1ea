package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.StackSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private LocalPostgres server;

    @BeforeEach
    void start() throws Exception {
        server = new LocalPostgres(tmp);
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
        PostgresClient pg = client();
        pg.script("postgres", setup);
        pg.script(HOSTILE, "CREATE TABLE \"" + ODD_TABLE + "\" (v text);");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
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
        server.execs.clear();
        List<Check> checks = PostgresChecks.structural(pg, asset(), db -> true);
        assertEquals(1, server.execs.size(), "one exec for three databases");
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
        server.execs.clear();
        List<Check> checks = PostgresChecks.run(pg, asset(), StackSettings.defaults("local", "shop"), Instant.now(), db -> !db.equals("gone"));
        assertEquals(1, server.execs.size());
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
        server.noShell = true;
        server.execs.clear();
        List<Check> alone = PostgresChecks.structural(pg, asset(), db -> true);
        assertEquals(4, server.execs.size(), "the refused shell, then one psql per database");
        assertEquals(together.stream().map(c -> c.name() + c.ok()).toList(), alone.stream().map(c -> c.name() + c.ok()).toList());
    }

    private PostgresClient client() {
        return server.client();
    }
}
