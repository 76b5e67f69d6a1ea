package dev.lifeboat.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.AppContext;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.proof.Sandbox;
import dev.lifeboat.core.restore.PhaseTimer;
import dev.lifeboat.core.restore.RestoreRun;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.asset.RestoreTarget;
import dev.lifeboat.core.storage.PointLocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stack made by real {@code docker-compose} survives a disaster: backed up, destroyed with
 * {@code down -v} and its project directory deleted, then brought back by {@code lifeboat restore} alone,
 * equal on every setting compose decides, and on its data. Afterwards compose itself sees nothing to change.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT {
    @TempDir
    static Path tmp;
    private ComposeStack stack;
    private Path home;
    private String pointId;

    @BeforeAll
    void composeUp() throws Exception {
        stack = new ComposeStack(tmp.resolve("projects"), Rig.uniqueName("shop"));
        stack.up();
        stack.seed();
        home = tmp.resolve("home");
        Rig.lifeboat(home, "host", "add", "local", "--docker", "unix:///var/run/docker.sock").ok();
        Rig.lifeboat(home, "key", "generate", tmp.resolve("repo.key").toString()).ok();
        Rig.lifeboat(home, "dest", "add", "disk", "--dir", tmp.resolve("backups").toString(), "--key-file",
                tmp.resolve("repo.key").toString()).ok();
    }

    @AfterAll
    void composeDown() {
        stack.remove();
    }

    @Test
    @Order(1)
    void downVolumesAndDeletedProjectComeBackAsComposeRanThem() throws Exception {
        Map<String, JsonNode> configBefore = stack.configuration();
        Map<String, String> networksBefore = stack.networks();
        Map<String, String> volumesBefore = stack.volumes();
        assertTrue(volumesBefore.get("media").contains("\"device\":\"" + stack.mediaStore()), volumesBefore.toString());
        Map<String, String> dataBefore = stack.data();
        assertTrue(dataBefore.get("orders").startsWith("500 "), dataBefore.toString());
        assertTrue(configBefore.get(stack.app()).get("PortBindings").toString().contains(Integer.toString(stack.webPort)));

        pointId = Rig.lifeboat(home, "backup", "local/" + stack.project, "--to", "disk", "-q").ok().out().trim();
        Path pointDir = tmp.resolve("backups/local").resolve(stack.project).resolve(pointId);
        String manifest = Files.readString(pointDir.resolve("manifest.json"));
        assertFalse(manifest.contains("compose-secret-4711"), "the plain manifest holds no environment");
        assertFalse(manifest.contains("trap 'exit 0'"), "the plain manifest holds no command");

        // the disaster: compose down -v, and the project directory is gone too
        stack.compose("down", "-v");
        deleteTree(stack.dir);
        deleteTree(stack.mediaStore()); // the bind-type volume's files are gone too; its device directory is empty again
        Files.createDirectories(stack.mediaStore());
        assertEquals("", Rig.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + stack.project).trim());
        assertEquals("", Rig.docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + stack.project).trim());

        String out = Rig.lifeboat(home, "restore", pointId, "-q").ok().out();
        assertTrue(out.contains("Restored " + pointId), out);

        assertEquals(configBefore, stack.configuration(), "docker inspect after the restore");
        assertEquals(networksBefore, stack.networks(), "the project's networks");
        assertEquals(volumesBefore, stack.volumes(), "the project's volumes, driver options included");
        assertEquals(dataBefore, stack.data(), "the data");
        assertEquals("listen 8080\nworkers 4\n", Files.readString(stack.dir.resolve("conf/app.conf")));

        String ps = stack.compose("ps");
        for (String c : stack.containers()) {
            assertTrue(ps.lines().anyMatch(l -> l.startsWith(c) && l.contains("Up")), c + " is up in:\n" + ps);
        }
        Map<String, String> ids = new java.util.TreeMap<>();
        stack.containers().forEach(c -> ids.put(c, stack.containerId(c)));
        String up = stack.compose("up", "-d");
        Map<String, String> idsAfter = new java.util.TreeMap<>();
        stack.containers().forEach(c -> idsAfter.put(c, stack.containerId(c)));
        assertEquals(ids, idsAfter, "docker-compose up -d recreated nothing:\n" + up);
        assertFalse(up.contains("Recreating"), up);
    }

    @Test
    @Order(2)
    void theSandboxSitsOnItsOwnInternalNetworkWithTheRecordedAliasesAndNoPorts() throws Exception {
        try (AppContext app = new AppContext(home);
             PointLocator.Located point = new PointLocator(app.repositories()).locate(pointId);
             DockerEngine docker = app.connector().apply(app.history().hosts().require("local"))) {
            String id = "it" + Rig.uniqueName("").replace("-", "");
            RestoreTarget.Sandbox target = new RestoreTarget.Sandbox(id, tmp.resolve("sandbox-" + id).toString(),
                    stack.dir.toString());
            try {
                new RestoreRun(docker, app.kinds(), point, point.containerSpecs(), new PhaseTimer(new ArrayList<>(), Progress.NONE, "t"),
                        id, target, RestoreScope.ALL).execute(List.of());
                JsonNode net = ComposeStack.JSON.readTree(Rig.docker("network", "inspect", target.network())).get(0);
                assertTrue(net.get("Internal").asBoolean(), "the sandbox network is internal");
                for (String c : stack.containers()) {
                    JsonNode i = ComposeStack.JSON.readTree(Rig.docker("inspect", target.container(c))).get(0);
                    assertEquals(List.of(target.network()), names(i.path("NetworkSettings").path("Networks")), c);
                    assertEquals(0, i.path("HostConfig").path("PortBindings").size(), c + " publishes no port");
                    assertEquals("no", i.path("HostConfig").path("RestartPolicy").path("Name").asText(), c);
                    for (JsonNode m : i.path("Mounts")) {
                        if (m.path("Type").asText().equals("volume")) {
                            JsonNode v = ComposeStack.JSON.readTree(Rig.docker("volume", "inspect", m.path("Name").asText())).get(0);
                            assertTrue(v.path("Options").isNull() || v.path("Options").isEmpty(),
                                    "sandbox volumes are plain local storage, never the live device: " + v);
                        }
                    }
                    JsonNode aliases = i.path("NetworkSettings").path("Networks").path(target.network()).path("Aliases");
                    if (c.equals(stack.db())) {
                        assertTrue(aliases.toString().contains("\"database\"") && aliases.toString().contains("\"pg\""),
                                aliases.toString());
                    }
                    if (c.equals(stack.app())) {
                        assertTrue(aliases.toString().contains("\"web\"") && aliases.toString().contains("\"app\""),
                                aliases.toString());
                    }
                }
                // the app resolves its database by the name it uses in production (Docker's DNS, inside the sandbox)
                String resolved = Rig.docker("exec", target.container(stack.app()), "getent", "hosts", "database");
                assertFalse(resolved.isBlank());
            } finally {
                Sandbox.remove(docker, app.history(), id);
            }
            assertEquals("", Rig.docker("network", "ls", "-q", "--filter", "label=lifeboat.sandbox=" + id).trim());
        }
    }

    @Test
    @Order(3)
    void restoreTestAndDrillOfTheComposeStackPassWithItsAppReachingTheDatabaseByName() {
        Rig.lifeboat(home, "stack", "set", "local/" + stack.project, "--probe", stack.app() + ":getent hosts database").ok();
        String test = Rig.lifeboat(home, "verify", pointId, "--restore-test").ok().out();
        assertTrue(test.contains("probe"), test);
        Rig.lifeboat(home, "drill", "local/" + stack.project, "--scenario", "complete-failure").ok();
        assertEquals(List.of(), Rig.sandboxObjects(home));
    }

    @Test
    @Order(4)
    void afterComposeDownWithVolumesKeptRestoringAnOlderPointLeavesASafetyPointWithTheNewerData() throws Exception {
        stack.psql("shop", "INSERT INTO orders SELECT g, 'late order ' || g, g FROM generate_series(501, 620) g");
        stack.redis("SET", "cart:2", "a newer pear");
        Map<String, String> newer = stack.data();
        stack.compose("down"); // containers and networks gone, volumes kept

        String out = Rig.lifeboat(home, "restore", pointId, "-q").ok().out();
        String safety = out.replaceAll("(?s).*\\(safety point ([^)]+)\\).*", "$1");
        assertTrue(out.contains("(safety point "), "a safety point was taken although no container existed: " + out);
        assertTrue(stack.data().get("orders").startsWith("500 "), "the older point is back");

        Rig.lifeboat(home, "restore", safety, "-q").ok();
        assertEquals(newer, stack.data(), "the safety point restores the newer data exactly");
    }

    @Test
    @Order(5)
    void aScopeThatMatchesNothingIsRefusedWithWhatThePointHolds() {
        long before = Rig.lifeboat(home, "points", "local/" + stack.project).ok().out().lines().count();
        Rig.Result r = Rig.lifeboat(home, "restore", pointId, "--only", "postgres:shpo");
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains("postgres:shpo") && r.err().contains("postgres:shop") && r.err().contains("redis"), r.err());
        Rig.Result v = Rig.lifeboat(home, "restore", pointId, "--only", "volume:uplods");
        assertTrue(v.code() != 0 && v.err().contains("volume:" + stack.project + "_uploads"), v.err());
        assertEquals(before, Rig.lifeboat(home, "points", "local/" + stack.project).ok().out().lines().count(),
                "no safety point was taken");
    }

    @Test
    @Order(6)
    void aRestoreOverTheRunningStackSwapsRedisDataFileInAndSwapsItBackWhenACheckFails() throws Exception {
        String redisVolume = stack.project + "_redisdata";
        List<String> earlier = StackFingerprint.keptAside(redisVolume); // what the restore of the safety point (Order 4) kept
        stack.redis("SET", "cart:2", "a pear after the point");
        stack.redis("SAVE");
        JsonNode r = ComposeStack.JSON.readTree(Rig.lifeboat(home, "restore", pointId, "--json").ok().out());
        assertEquals("a pear", stack.redis("GET", "cart:2").trim(), "the point's Redis data");
        for (JsonNode phase : r.path("phases")) {
            if (phase.path("name").asText().equals("health")) {
                // the app and Redis were started anew; Docker's first look at their health comes 30 s after that
                assertTrue(phase.path("durationMs").asLong() < 20_000, "healthy by their own checks, not Docker's schedule: " + phase);
            }
        }
        assertTrue(r.toString().contains("\"health\""), r.toString());
        List<String> kinds = new java.util.ArrayList<>();
        r.path("keptAside").forEach(k -> kinds.add(k.path("kind").asText()));
        assertTrue(kinds.contains("redis") && kinds.contains("postgres") && kinds.contains("volume"), r.toString());
        String redisKept = null;
        for (JsonNode k : r.path("keptAside")) {
            if (k.path("kind").asText().equals("redis")) {
                redisKept = k.path("item").asText();
            }
        }
        assertTrue(StackFingerprint.keptAside(redisVolume).contains(redisKept), StackFingerprint.keptAside(redisVolume).toString());
        assertTrue(Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + StackFingerprint.LABEL, "-v",
                redisVolume + ":/v:ro", Rig.IMAGE, "ls", "/v/" + redisKept).contains("dump.rdb"), "the replaced data file is kept");
        for (JsonNode k : r.path("keptAside")) {
            Rig.lifeboat(home, "safety", "release", k.path("id").asText()).ok();
        }
        assertEquals(earlier, StackFingerprint.keptAside(redisVolume), "released: gone from the volume");

        // a failing check after the swap: the data file set aside comes back
        stack.redis("SET", "cart:2", "a pear before the failed restore");
        stack.redis("SAVE");
        Rig.lifeboat(home, "stack", "set", "local/" + stack.project, "--probe", stack.app() + ":false").ok();
        try {
            Rig.Result failed = Rig.lifeboat(home, "restore", pointId);
            assertEquals(1, failed.code(), failed.out());
            assertTrue(failed.err().contains("Rolled back"), failed.err());
        } finally {
            Rig.lifeboat(home, "stack", "set", "local/" + stack.project, "--probe", "").ok();
        }
        assertEquals("a pear before the failed restore", stack.redis("GET", "cart:2").trim());
        assertEquals(earlier, StackFingerprint.keptAside(redisVolume), "nothing of the failed restore is left in the volume");
    }

    @Test
    @Order(7)
    void aPreviewNamesTheConfigFilesThatDifferWithoutShowingThem() throws Exception {
        Files.writeString(stack.dir.resolve("old.txt"), "kept by the point\n");
        String point = Rig.lifeboat(home, "backup", "local/" + stack.project, "--to", "disk", "-q").ok().out().trim();
        Path appEnv = stack.dir.resolve("app.env");
        Path appConf = stack.dir.resolve("conf/app.conf");
        String envBefore = Files.readString(appEnv);
        String confBefore = Files.readString(appConf);
        try {
            Files.writeString(appEnv, envBefore.replace("REDIS_HOST=sessions", "REDIS_HOST=preview-secret-cache"));
            Files.writeString(appConf, confBefore.replace("workers 4", "workers 8")); // the same size: told apart by its hash
            Files.writeString(stack.dir.resolve("notes.txt"), "written after the point\n");
            Files.delete(stack.dir.resolve("old.txt"));

            String json = Rig.lifeboat(home, "restore", point, "--preview", "--json").ok().out();
            Map<String, String> files = new java.util.TreeMap<>();
            String summary = null;
            JsonNode p = ComposeStack.JSON.readTree(json);
            for (JsonNode section : p.path("sections")) {
                if (section.path("kind").asText().equals("config")) {
                    section.path("rows").forEach(row -> files.put(row.get(0).asText(), row.get(1).asText()));
                    summary = section.path("summary").asText();
                }
            }
            assertEquals(Map.of("app.env", "changed", "conf/app.conf", "changed", "notes.txt", "removed", "old.txt", "brought back"),
                    files, json);
            assertEquals("4 files change: 2 changed, 1 brought back, 1 removed", summary);
            assertTrue(p.path("summary").asText().contains("1 config directory"), p.path("summary").asText());
            assertFalse(json.contains("preview-secret-cache") || json.contains("compose-secret-4711"), "names, never contents");
            String text = Rig.lifeboat(home, "restore", point, "--preview").ok().out();
            assertTrue(text.contains("app.env") && !text.contains("preview-secret-cache"), text);
            assertEquals("written after the point\n", Files.readString(stack.dir.resolve("notes.txt")), "a preview changes nothing");
        } finally {
            Files.writeString(appEnv, envBefore);
            Files.writeString(appConf, confBefore);
            Files.deleteIfExists(stack.dir.resolve("notes.txt"));
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
