package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server restored from its dumps where it holds none of the databases (a sandbox, {@code restore --to HOST}),
 * against a real PostgreSQL 15: the databases go side by side, the largest first, so that the small ones are done
 * while the largest, one backend's work, still runs. The largest dump here is not read on until the others are
 * restored: one after the other, in the manifest's order or by size, the restore would wait for itself.
 */
class PostgresRestoreSideBySideTest {
    private static final String HOSTILE = "x' host=127.0.0.2 dbname='y";
    /** The manifest's order: the largest first, so that restoring in this order cannot pass either. */
    private static final List<String> DATABASES = List.of("big", "small", HOSTILE);

    @TempDir
    Path tmp;
    private LocalPostgres server;
    private PostgresClient pg;
    private final Map<String, byte[]> dumps = new LinkedHashMap<>();

    @BeforeEach
    void dumpedAndDropped() throws Exception {
        server = new LocalPostgres(tmp);
        pg = server.client();
        for (String db : DATABASES) {
            pg.script("template1", "SELECT format('CREATE DATABASE %I', " + hex(db) + ") \\gexec\n");
            int rows = db.equals("big") ? 2_000 : 10;
            pg.script(db, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM"
                    + " generate_series(1, " + rows + ") g;");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var r = pg.run(List.of("pg_dump", "-Fc", "-d", PostgresClient.conninfo(db)), null, out);
            assertEquals(0, r.exitCode(), r.stderr());
            dumps.put(db, out.toByteArray());
            pg.script("template1", "SELECT format('DROP DATABASE %I', " + hex(db) + ") \\gexec\n");
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSmallDatabasesAreRestoredWhileTheLargestStillIs() throws Exception {
        CountDownLatch othersRestored = new CountDownLatch(DATABASES.size() - 1);
        List<Artifact> artifacts = new ArrayList<>();
        for (String db : DATABASES) {
            artifacts.add(new Artifact("postgres-" + db + ".dump", PostgresKind.DUMP_ROLE, db, dumps.get(db).length, null, 0,
                    null, null, null));
        }
        InMemoryEngine engine = server.engine();
        RestoreContext ctx = (RestoreContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RestoreContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "scope" -> RestoreScope.ALL;
                    case "target" -> dev.lifeboat.core.asset.RestoreTarget.IN_PLACE;
                    case "docker" -> engine;
                    case "spec" -> LocalPostgres.spec();
                    case "ensureCreated", "touched" -> null;
                    case "open" -> open((Artifact) args[0], othersRestored);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        AssetRecord asset = new AssetRecord("postgres", "postgres:db", "db", 0, artifacts, Map.of(), null, null, Map.of());

        assertEquals("3 databases restored", new PostgresKind().restore(ctx, List.of(asset)));

        assertEquals("2000", pg.query("big", "SELECT count(*) FROM t").trim());
        assertEquals("10", pg.query("small", "SELECT count(*) FROM t").trim());
        assertEquals("10", pg.query(HOSTILE, "SELECT count(*) FROM t").trim());
    }

    /** A dump as the destination gives it; the largest's waits, at its first read, for the others' to be restored. */
    private InputStream open(Artifact art, CountDownLatch othersRestored) {
        InputStream dump = new ByteArrayInputStream(dumps.get(art.database()));
        if (!art.database().equals("big")) {
            return new FilterInputStream(dump) {
                @Override
                public void close() throws IOException {
                    super.close();
                    othersRestored.countDown(); // read to its end and restored: the feed closes it after pg_restore
                }
            };
        }
        return new FilterInputStream(dump) {
            private boolean waited;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!waited) {
                    waited = true;
                    try {
                        if (!othersRestored.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("the other databases were not restored while the largest waited");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("stopped");
                    }
                }
                return super.read(b, off, len);
            }
        };
    }

    private static String hex(String s) {
        return "convert_from(decode('" + java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8))
                + "', 'hex'), 'UTF8')";
    }
}
