package dev.lifeboat.it;

import com.fasterxml.jackson.databind.JsonNode;
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
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Off-site: back up to a real S3 protocol server (S3Proxy on loopback) by multipart upload, then, on a
 * fresh workstation with the local destination gone, restore the wiped stack from S3 alone.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3IT {
    private static final List<String> DATABASES = List.of("postgres", "shop", "analytics");
    @TempDir
    static Path tmp;
    private S3Server s3;
    private Rig.DemoHome demo;

    @BeforeAll
    void s3AndDemoStack() throws Exception {
        s3 = S3Server.start(tmp.resolve("s3"));
        demo = stackWithOffsite(tmp, s3);
    }

    /**
     * A demo stack whose uploads volume holds a 16 MiB video (a multipart upload of four parts: the destinations
     * take 5 MiB parts, S3's smallest, so a few MiB exercise what 16 MiB parts do to gigabytes), and the
     * S3 destination "offsite" on {@code s3}'s bucket "lifeboat", with the AWS credentials set for the CLI.
     */
    static Rig.DemoHome stackWithOffsite(Path tmp, S3Server s3) {
        try (S3Client client = s3.client()) {
            client.createBucket(r -> r.bucket("lifeboat"));
        }
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
        Rig.DemoHome demo = Rig.demoHome(tmp, Rig.uniqueName("s3"), false);
        Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                demo.name() + "_uploads:/v", Rig.IMAGE, "sh", "-c", "head -c 16777216 /dev/urandom > /v/video.bin");
        demo.run("dest", "add", "offsite", "--s3", "s3://lifeboat/backups", "--endpoint", s3.endpoint(),
                "--path-style", "--key-file", tmp.resolve("repo.key").toString(), "--part-size", "5").ok();
        return demo;
    }

    @AfterAll
    void stop() throws Exception {
        Rig.removeByLabel(demo.name());
        Rig.removeByLabel(StackFingerprint.LABEL);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.close();
    }

    private String[] offsite(Path keyFile) {
        return new String[] {"dest", "add", "offsite", "--s3", "s3://lifeboat/backups", "--endpoint", s3.endpoint(),
                "--path-style", "--key-file", keyFile.toString(), "--part-size", "5"};
    }

    @Test
    @Order(2) // wipes the stack and the local destination
    void aPointGoesUpByMultipartAndIsRestoredFromS3Alone() throws Exception {
        Path key = tmp.resolve("repo.key");
        Map<String, String> pgBefore = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String uploadsBefore = StackFingerprint.volume(demo.name() + "_uploads");

        String json = demo.run("backup", demo.stack(), "--to", "offsite", "--json").ok().out();
        String pointId = ManifestCodec.mapper().readTree(json).get("pointId").asText();
        demo.run("verify", pointId).ok();
        try (S3Client client = s3.client()) {
            long biggest = client.listObjectsV2Paginator(r -> r.bucket("lifeboat").prefix("backups/")).contents().stream()
                    .mapToLong(o -> o.size()).max().orElse(0);
            assertTrue(biggest > 16L << 20, "the volume artifact went up whole: " + biggest);
        }

        // the disaster: the stack, its config, the local destination and the workstation's history are gone
        Rig.removeByLabel(demo.name());
        deleteTree(demo.config());
        deleteTree(demo.dest());
        Path freshHome = tmp.resolve("fresh-workstation");
        Rig.lifeboat(freshHome, "host", "add", "local", "--docker", "unix:///var/run/docker.sock").ok();
        Rig.lifeboat(freshHome, offsite(key)).ok();
        JsonNode points = ManifestCodec.mapper().readTree(Rig.lifeboat(freshHome, "points", "--json").ok().out());
        assertEquals(0, points.size(), "the fresh history knows no points; restore finds it in the bucket");

        Rig.lifeboat(freshHome, "restore", pointId, "-q").ok();

        assertEquals(pgBefore, StackFingerprint.postgres(demo.pgPort(), DATABASES));
        assertEquals(uploadsBefore, StackFingerprint.volume(demo.name() + "_uploads"));
        assertTrue(Files.exists(demo.config().resolve(".env")));
    }

    @Test
    @Order(1)
    void aLocalPointReplicatedToS3IsRestoredFromTheCopyWhenTheLocalOneIsLost() throws Exception {
        Map<String, String> pgBefore = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "--copy-to", "offsite", "-q").ok().out().trim();
        String points = demo.run("points", demo.stack()).ok().out();
        assertTrue(points.contains(pointId + " ") && points.contains(" copy "), points);

        deleteTree(demo.pointDir(pointId)); // the local copy is lost
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute("DELETE FROM documents");
        }
        demo.run("restore", pointId, "-q").ok();
        assertEquals(pgBefore, StackFingerprint.postgres(demo.pgPort(), DATABASES));
    }

    @Test
    @Order(5)
    void aDumpCutOffMidStreamOnAnS3GetFailsVerifyEvenWithTheStackStopped() throws Exception {
        try (FaultyHttpProxy proxy = new FaultyHttpProxy(s3.port())) {
            demo.run("dest", "add", "cutting", "--s3", "s3://lifeboat/cutting", "--endpoint", proxy.endpoint(), "--path-style",
                    "--key-file", tmp.resolve("repo.key").toString()).ok();
            String point = demo.run("backup", demo.stack(), "--to", "cutting", "-q").ok().out().trim();
            demo.run("verify", point).ok();
            Rig.docker("stop", demo.name() + "-db"); // pg_restore --list runs locally then, and stops after the TOC
            try {
                long size;
                try (S3Client client = s3.client()) {
                    size = client.listObjectsV2Paginator(x -> x.bucket("lifeboat").prefix("cutting/")).contents().stream()
                            .filter(o -> o.key().contains(point) && o.key().contains("shop.pgdump")).findFirst().orElseThrow().size();
                }
                // the last 100 bytes never arrive: long after the table of contents a tool like pg_restore --list needs
                proxy.cutResponsesOf("shop.pgdump", size - 100);
                Rig.Result r = demo.run("verify", point);
                assertTrue(proxy.cut() > 0, "the proxy cut a response");
                assertEquals(4, r.code(), "a dump cut off mid-stream is a failure: " + r.out() + r.err());
                assertTrue(r.out().contains("FAIL") && r.out().contains("shop.pgdump"), r.out());
            } finally {
                proxy.heal();
                Rig.docker("start", demo.name() + "-db");
            }
        }
    }

    @Test
    @Order(6)
    void aSkewedClockAndABucketInAnotherRegionEachSayWhatToDoInOneLine() throws Exception {
        String location = "s3://lifeboat/skewed?region=us-east-1&endpoint="
                + java.net.URLEncoder.encode(s3.endpoint(), java.nio.charset.StandardCharsets.UTF_8) + "&pathStyle=true";
        // this machine's clock 40 minutes ahead of the server's: S3Proxy refuses signatures older or newer than 15 minutes
        java.time.Clock ahead = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(40));
        try (dev.lifeboat.core.storage.S3Bucket skewed = new dev.lifeboat.core.storage.S3Bucket("skewed", location, null, ahead)) {
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, skewed::probe);
            assertTrue(e.getMessage().contains("clock differs from the S3 server's") && e.getMessage().contains("timedatectl"),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        try (dev.lifeboat.core.storage.S3Bucket right = new dev.lifeboat.core.storage.S3Bucket("right", location, null,
                java.time.Clock.systemUTC())) {
            assertTrue(right.probe().etagIsMd5(), "the same server and credentials with a right clock");
        }

        try (FaultyHttpProxy proxy = new FaultyHttpProxy(s3.port())) {
            proxy.bucketLivesIn("eu-west-1");
            Rig.Result r = demo.run("dest", "add", "west", "--s3", "s3://lifeboat/west", "--endpoint", proxy.endpoint(),
                    "--path-style", "--key-file", tmp.resolve("repo.key").toString());
            assertTrue(r.code() != 0, r.out());
            assertTrue(r.err().contains("in another region than the one configured (it is in eu-west-1)")
                    && r.err().contains("--region eu-west-1"), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one actionable line: " + r.err());
        }
    }

    private long manifests(String prefix) {
        return manifests(s3, prefix);
    }

    /** The points (their manifests) under {@code prefix} in the bucket. */
    static long manifests(S3Server s3, String prefix) {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2Paginator(r -> r.bucket("lifeboat").prefix(prefix)).contents().stream()
                    .filter(o -> o.key().endsWith("/manifest.json")).count();
        }
    }

    private long manifests() {
        return manifests(s3, "backups/");
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
