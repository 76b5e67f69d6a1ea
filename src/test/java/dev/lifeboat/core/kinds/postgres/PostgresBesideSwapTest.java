package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.AssetRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The swap of databases restored beside the live ones, and its undo, against a real PostgreSQL 15 (ADR 25, 29):
 * whatever step of the one psql session fails, every live database ends up under its own name, with its own data,
 * open to connections, and nothing the run made is left.
 */
class PostgresBesideSwapTest {
    /** A run id that is its own tag: the names are {@code lifeboat_new_t1_N} and so on. */
    private static final String RUN = "t1";
    private static final String HOSTILE = "x' host=127.0.0.2 dbname='y";
    private static final List<String> LIVE = List.of("shop", HOSTILE);

    @TempDir
    Path tmp;
    private LocalPostgres server;
    private PostgresClient pg;
    private final List<String> touched = new ArrayList<>();

    @BeforeEach
    void liveAndStaged() throws Exception {
        server = new LocalPostgres(tmp);
        pg = server.client();
        for (int n = 0; n < LIVE.size(); n++) {
            create(LIVE.get(n), "live " + n);
            create("lifeboat_new_" + RUN + "_" + n, "restored " + n);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDatabasesSwapInOneSessionAndSwapBackExactly() {
        PostgresBeside stage = stage();
        server.execs.clear();
        stage.swap();
        assertEquals(1, server.execs.size(), "one psql session renames every database");
        assertEquals(List.of("db"), touched);
        assertEquals("restored 0", which("shop"));
        assertEquals("restored 1", which(HOSTILE));
        assertEquals(Map.of("lifeboat_safety_t1_0", "f", "lifeboat_safety_t1_1", "f", "shop", "t", HOSTILE, "t"), ours());
        assertEquals(List.of("lifeboat_safety_t1_0", "lifeboat_safety_t1_1"), stage.kept().stream().map(SafetyCopy::item).toList());

        stage.swapBack();
        assertEquals("live 0", which("shop"));
        assertEquals("live 1", which(HOSTILE));
        assertEquals(Map.of("shop", "t", HOSTILE, "t"), ours(), "nothing of the run is left, the live ones are open");
        assertEquals(List.of(), stage.kept());
    }

    @Test
    void aSwapThatFailsAfterALiveDatabaseWasSetAsideGivesItItsNameBack() {
        pg.script("template1", "DROP DATABASE lifeboat_new_t1_1;"); // the second rename into place fails
        PostgresBeside stage = stage();
        HostException e = assertThrows(HostException.class, stage::swap);
        assertTrue(e.getMessage().contains("at " + HOSTILE), e.getMessage());
        assertEquals("live 0", which("shop"), "the first database, swapped in, is swapped back");
        assertEquals("live 1", which(HOSTILE), "the second, already set aside, has its name back");
        assertEquals(Map.of("shop", "t", HOSTILE, "t"), ours());
        assertEquals(List.of(), stage.kept());
    }

    @Test
    void aSwapThatFailsAtALiveDatabasesOwnRenameLeavesItOpenToConnections() {
        create("lifeboat_safety_t1_1", "squatter"); // the name the second live database is to be kept under is taken
        PostgresBeside stage = stage();
        HostException e = assertThrows(HostException.class, stage::swap);
        assertTrue(e.getMessage().contains("at " + HOSTILE), e.getMessage());
        assertEquals("live 0", which("shop"));
        assertEquals("live 1", which(HOSTILE));
        assertEquals(Map.of("shop", "t", HOSTILE, "t", "lifeboat_safety_t1_1", "t"), ours(),
                "closed to connections before its rename failed, the live database is open again; the squatter is not touched");
        assertEquals("squatter", which("lifeboat_safety_t1_1"));
    }

    private PostgresBeside stage() {
        RestoreContext ctx = (RestoreContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{RestoreContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "runId" -> RUN;
                    case "touched" -> touched.add((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        AssetRecord asset = new AssetRecord("postgres", "postgres:db", "db", 0, List.of(), Map.of(), null, null, Map.of());
        return PostgresBeside.restoredBeside(ctx, asset, pg, "db", LIVE);
    }

    private void create(String db, String which) {
        pg.script("template1", "SELECT format('CREATE DATABASE %I', " + hex(db) + ") \\gexec\n");
        pg.script(db, "CREATE TABLE which (v text); INSERT INTO which VALUES (" + hex(which) + ");");
    }

    private String which(String db) {
        return pg.query(db, "SELECT v FROM which").trim();
    }

    /** Every database but the templates and postgres, with whether it allows connections. */
    private Map<String, String> ours() {
        Map<String, String> out = new java.util.TreeMap<>();
        pg.query("template1", "SELECT encode(convert_to(datname, 'UTF8'), 'hex') || ' ' || datallowconn FROM pg_database"
                + " WHERE datname NOT IN ('template0', 'template1', 'postgres')").lines().map(String::trim).filter(l -> !l.isEmpty())
                .forEach(l -> out.put(new String(java.util.HexFormat.of().parseHex(l.substring(0, l.indexOf(' '))),
                        java.nio.charset.StandardCharsets.UTF_8), l.substring(l.indexOf(' ') + 1, l.indexOf(' ') + 2)));
        return out;
    }

    private static String hex(String s) {
        return "convert_from(decode('" + java.util.HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "', 'hex'), 'UTF8')";
    }
}
