package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Done-means 1: back up the demo stack, remove every container, volume and the config directory,
 * restore, and compare everything with tools independent of Lifeboat. Subclasses choose how the
 * host is reached (local socket here, SSH in {@link SshRoundTripIT}).
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoundTripIT {
    private static final List<String> DATABASES = List.of("postgres", "shop", "analytics");
    @TempDir
    static Path tmp;
    protected Rig.DemoHome demo;

    @BeforeAll
    void demoStack() throws Exception {
        demo = Rig.demoHome(tmp, Rig.uniqueName("rt"), false);
    }

    @AfterAll
    void removeDemoStack() throws Exception {
        Rig.removeByLabel(demo.name());
        Rig.removeByLabel(StackFingerprint.LABEL);
    }

    @Test
    void backupWipeRestoreBringsTheStackBackByteForByte() throws Exception {
        Map<String, String> pgBefore = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        long fingerprintedAt = System.currentTimeMillis();
        Map<String, StackFingerprint.RedisKey> redisBefore = StackFingerprint.redis(demo.redisPort());
        String uploadsBefore = StackFingerprint.volume(demo.name() + "_uploads");
        Map<String, String> configBefore = StackFingerprint.config(demo.config());
        assertTrue(pgBefore.get("shop.public.orders").startsWith("6000 rows"), pgBefore.toString());
        assertTrue(uploadsBefore.contains("Résumé final été.pdf") && uploadsBefore.contains("./latest-report l 777 0:0 23 docs/2026/q1/report.txt"),
                uploadsBefore);

        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        assertTrue(Files.exists(demo.pointDir(pointId).resolve("manifest.json")));
        String secret = Files.readAllLines(demo.config().resolve(".env")).get(0).substring("POSTGRES_PASSWORD=".length());
        assertNoFileContains(demo.pointDir(pointId), secret);

        // the disaster: every container, every volume and the config directory are gone
        Rig.removeByLabel(demo.name());
        try (Stream<Path> walk = Files.walk(demo.config())) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertEquals("", Rig.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + demo.name()).trim());
        assertFalse(Files.exists(demo.config()));

        String report = demo.run("restore", pointId, "-q").ok().out();
        assertTrue(report.contains("Restored " + pointId), report);
        long elapsed = System.currentTimeMillis() - fingerprintedAt;

        assertEquals(pgBefore, StackFingerprint.postgres(demo.pgPort(), DATABASES));
        Map<String, StackFingerprint.RedisKey> redisAfter = StackFingerprint.redis(demo.redisPort());
        assertEquals(redisBefore.keySet(), redisAfter.keySet());
        for (var e : redisBefore.entrySet()) {
            StackFingerprint.RedisKey before = e.getValue();
            StackFingerprint.RedisKey after = redisAfter.get(e.getKey());
            assertEquals(before.dump(), after.dump(), "value of " + e.getKey());
            if (before.pttl() < 0) {
                assertEquals(before.pttl(), after.pttl(), "no TTL on " + e.getKey());
            } else {
                assertTrue(after.pttl() <= before.pttl() && after.pttl() >= before.pttl() - elapsed - 5_000,
                        "TTL of " + e.getKey() + ": " + before.pttl() + " then " + after.pttl());
            }
        }
        assertEquals(uploadsBefore, StackFingerprint.volume(demo.name() + "_uploads"));
        assertEquals(configBefore, StackFingerprint.config(demo.config()));
        assertTrue(Rig.docker("inspect", "--format", "{{json .Config.Env}}", demo.name() + "-db")
                .contains("POSTGRES_PASSWORD=" + secret), "the container's environment is restored in full");
        String running = Rig.docker("ps", "--filter", "label=com.docker.compose.project=" + demo.name(),
                "--format", "{{.Names}} {{.Status}}");
        assertEquals(3, running.lines().count(), running);
    }

    /** Secrets (.env values, container environment) never rest in plain text in a recovery point. */
    private static void assertNoFileContains(Path pointDir, String secret) throws java.io.IOException {
        byte[] needle = secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.list(pointDir)) {
            for (Path f : files.toList()) {
                byte[] data = Files.readAllBytes(f);
                for (int i = 0; i + needle.length <= data.length; i++) {
                    if (java.util.Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                        throw new AssertionError(f + " contains a secret in plain text");
                    }
                }
            }
        }
    }
}
