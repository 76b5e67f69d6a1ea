package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Done-means 3: a production host refuses restore without the exact phrase, and restores over the live
 * stack (beside it, then swapped in) with it.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionGuardIT {
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;

    @BeforeAll
    void productionDemoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("pg"), true);
    }

    @AfterAll
    void removeDemoStack() {
        Rig.removeByLabel(demo.name());
    }

    @Test
    void restoreRefusesProductionWithoutTheExactPhraseAndRestoresWithIt() throws Exception {
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        long customers = customers();
        execute("INSERT INTO customers(email, name, profile) VALUES ('late@example.org', 'late', '{}')");
        try (Resp redis = new Resp(demo.redisPort())) {
            redis.call("SET", "late:key", "written after the backup");
        }
        String containers = Rig.docker("ps", "-aq", "--no-trunc", "--filter", "label=lifeboat.demo=" + demo.name());

        Rig.Result none = demo.run("restore", pointId, "-q");
        assertEquals(3, none.code(), none.err());
        assertTrue(none.err().contains("'RESTORE PRODUCTION'") && none.err().contains("marked production"), none.err());

        for (String wrong : new String[] {"restore production", "RESTORE PRODUCTION ", "yes"}) {
            Rig.Result r = demo.run("restore", pointId, "--confirm", wrong, "-q");
            assertEquals(3, r.code(), "accepted '" + wrong + "'");
        }
        assertEquals(containers, Rig.docker("ps", "-aq", "--no-trunc", "--filter", "label=lifeboat.demo=" + demo.name()));
        assertEquals(customers + 1, customers(), "a refused restore must not touch data");

        String out = demo.run("restore", pointId, "--confirm", "RESTORE PRODUCTION", "-q").ok().out();
        assertTrue(out.contains("Kept aside"), out); // restored beside, swapped in: what it replaced stays on the host
        assertEquals(customers, customers(), "the row written after the backup is gone: the point was restored");
        try (Resp redis = new Resp(demo.redisPort())) {
            assertEquals(null, redis.call("GET", "late:key"), "Redis (AOF on) is back at the point, not at its old AOF");
            assertEquals("ada@example.org", new String((byte[]) redis.call("HGET", "user:42", "email")));
        }

        String kept = demo.run("safety", "list", demo.stack()).ok().out();
        assertTrue(kept.contains("database shop as it was") && kept.contains("Redis "), kept);
        String history = demo.run("history", "--limit", "50").ok().out();
        assertTrue(history.contains("restore  ok"), history);
    }

    private long customers() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM customers")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute(sql);
        }
    }
}
