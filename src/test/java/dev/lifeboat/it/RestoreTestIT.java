package dev.lifeboat.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.storage.ManifestCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sandbox restore tests on the real rig: a good point passes every content check and leaves nothing
 * behind (asserted through the Engine API); the live stack is untouched; a point whose recorded counts
 * differ from its dump fails with the table and the figures; a tampered manifest fails its signature.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreTestIT {
    private static final List<String> DATABASES = List.of("postgres", "shop", "analytics");
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;

    @BeforeAll
    void demoStack() throws Exception {
        demo = Rig.demoHome(tmp, Rig.uniqueName("rtest"), false);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute("INSERT INTO orders(customer_id, total, placed_at) VALUES (1, 9.99, now())");
        }
    }

    @AfterAll
    void removeDemoStack() {
        Rig.removeByLabel(demo.name());
        Rig.docker("rm", "-f", "lifeboat-test-leftover", "lifeboat-test-foreign");
    }

    @Test
    @Order(1)
    void aGoodPointPassesEveryCheckAndLeavesNothingBehind() throws Exception {
        demo.run("stack", "set", demo.stack(), "--fresh", "shop.public.orders.placed_at=1h").ok();
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        // a sandbox left by a run of this Lifeboat that died, which the next test removes; and one of
        // another Lifeboat (another home) sharing the engine, which is not this one's to remove
        String died;
        try (dev.lifeboat.core.history.HistoryStore h = dev.lifeboat.core.history.HistoryStore.open(demo.home())) {
            died = h.runs().start("restore-test", "local", demo.name(), pointId, null, "test");
            h.runs().finish(died, "interrupted", "killed", null, List.of());
        }
        Rig.docker("volume", "create", "--label", "lifeboat.sandbox=" + died, "--label", "lifeboat.demo=" + demo.name(),
                "lifeboat-test-leftover-vol");
        Rig.docker("create", "--name", "lifeboat-test-leftover", "--label", "lifeboat.sandbox=" + died,
                "--network", "none", Rig.IMAGE, "true");
        Rig.docker("create", "--name", "lifeboat-test-foreign", "--label", "lifeboat.sandbox=run-of-another-home",
                "--network", "none", Rig.IMAGE, "true");
        Map<String, String> liveBefore = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String idsBefore = Rig.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + demo.name());

        Rig.Result r = demo.run("verify", demo.stack(), "--restore-test", "--random", "--json");
        JsonNode report = ManifestCodec.mapper().readTree(r.ok().out());
        assertEquals(pointId, report.get("pointId").asText());
        assertTrue(report.get("ok").asBoolean());
        List<String> names = new ArrayList<>();
        report.get("checks").forEach(c -> names.add(c.get("name").asText() + " = " + c.get("detail").asText()));
        String all = String.join("\n", names);
        for (String expected : List.of("integrity", "shop: tables", "shop: row counts", "shop: constraints",
                "shop: freshness of public.orders.placed_at", "analytics: constraints", ": keys", "volume:" + demo.name()
                + "_uploads: files", "config")) {
            assertTrue(all.contains(expected), expected + " in\n" + all);
        }
        assertTrue(all.contains("foreign keys and check constraints hold"), all);
        assertTrue(all.contains("SHA-256 match"), all);

        assertEquals("run-of-another-home", Rig.docker("inspect", "-f", "{{index .Config.Labels \"lifeboat.sandbox\"}}",
                "lifeboat-test-foreign").trim(), "another Lifeboat's sandbox is left alone");
        Rig.docker("rm", "-f", "lifeboat-test-foreign");
        assertEquals(List.of(), Rig.sandboxObjects(demo.home()), "no sandbox container or volume is left, the dead run's included");
        assertEquals(liveBefore, StackFingerprint.postgres(demo.pgPort(), DATABASES), "the live stack is untouched");
        assertEquals(idsBefore, Rig.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + demo.name()));
        assertTrue(demo.run("history").ok().out().contains("restore-test"));
    }

    @Test
    @Order(2)
    void countsThatDifferFromTheDumpFailWithTheFiguresUnlessWithinTolerance() throws Exception {
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        Path manifest = demo.pointDir(pointId).resolve("manifest.json");
        ObjectNode node = (ObjectNode) ManifestCodec.mapper().readTree(Files.readAllBytes(manifest));
        long recorded = 0;
        for (JsonNode asset : node.get("assets")) {
            if (asset.get("kind").asText().equals("postgres")) {
                recorded = asset.get("rowCounts").get("shop.public.orders").asLong();
                // as if the counts had been taken while the table was changing: 10% more rows than the dump holds
                ((ObjectNode) asset.get("rowCounts")).put("shop.public.orders", recorded + recorded / 10);
            }
        }
        byte[] json = ManifestCodec.mapper().writeValueAsBytes(node);
        Files.write(manifest, json);
        Files.writeString(demo.pointDir(pointId).resolve("manifest.sig"),
                RepositoryKey.load(tmp.resolve("repo.key")).sign(json) + "\n", StandardCharsets.US_ASCII);
        // as the backup itself would have recorded it: the history knows each manifest's SHA-256
        try (dev.lifeboat.core.history.HistoryStore h = dev.lifeboat.core.history.HistoryStore.open(demo.home())) {
            h.points().record(h.points().withId(pointId).get(0), dev.lifeboat.core.storage.Repository.sha256(json));
        }

        Rig.Result failed = demo.run("verify", pointId, "--restore-test");
        assertEquals(4, failed.code(), failed.out());
        String expected = "shop.public.orders has " + recorded + " rows, the backup recorded " + (recorded + recorded / 10);
        assertTrue(failed.err().contains(expected) && failed.err().contains("tolerance 0%"), failed.err());
        assertEquals(List.of(), Rig.sandboxObjects(demo.home()), "removed after a failure too");

        demo.run("stack", "set", demo.stack(), "--table-tolerance", "shop.public.orders=15").ok();
        demo.run("verify", pointId, "--restore-test").ok();

        // the same edit without the key: the signature no longer matches, and nothing is restored
        for (JsonNode asset : node.get("assets")) {
            if (asset.get("kind").asText().equals("postgres")) {
                ((ObjectNode) asset.get("rowCounts")).put("shop.public.orders", recorded + 1);
            }
        }
        Files.write(manifest, ManifestCodec.mapper().writeValueAsBytes(node));
        Rig.Result tampered = demo.run("verify", pointId, "--restore-test");
        assertEquals(4, tampered.code());
        assertTrue(tampered.err().contains("signature"), tampered.err());
        assertEquals(List.of(), Rig.sandboxObjects(demo.home()));
    }
}
