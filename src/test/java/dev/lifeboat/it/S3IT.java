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
        try (S3Client client = s3.client()) {
            client.createBucket(r -> r.bucket("lifeboat"));
        }
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
        demo = Rig.demoHome(tmp, Rig.uniqueName("s3"), false);
        Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                demo.name() + "_uploads:/v", Rig.IMAGE, "sh", "-c", "head -c 209715200 /dev/urandom > /v/video.bin");
        demo.run(offsite(tmp.resolve("repo.key"))).ok();
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
                "--path-style", "--key-file", keyFile.toString()};
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
            assertTrue(biggest > 200L << 20, "the volume artifact went up whole: " + biggest);
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
    @Order(3)
    void anS3ServerThatDiesMidUploadFailsTheRunCleanlyAndARetrySucceeds() throws Exception {
        long manifestsBefore = manifests();
        int pointsBefore = ManifestCodec.mapper().readTree(demo.run("points", "--json").ok().out()).size();
        Path log = tmp.resolve("dying-upload.log");
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                System.getProperty("java.class.path"), "dev.lifeboat.Lifeboat", "--home", demo.home().toString(),
                "backup", demo.stack(), "--to", "offsite").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        Process backup = pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(log).contains("Archiving volume")) {
            assertTrue(backup.isAlive() && System.currentTimeMillis() < deadline, "no volume step: " + Files.readString(log));
            Thread.sleep(20);
        }
        Thread.sleep(700);
        s3.close(); // the S3 server dies in the middle of the 200 MiB volume's upload
        assertTrue(backup.waitFor(5, java.util.concurrent.TimeUnit.MINUTES));
        String out = Files.readString(log);
        assertEquals(1, backup.exitValue(), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("lifeboat: ") && l.contains("S3")), out);

        s3.restart();
        assertEquals(manifestsBefore, manifests(), "no partial point looks like a backup");
        assertEquals(pointsBefore, ManifestCodec.mapper().readTree(demo.run("points", "--json").ok().out()).size());
        assertTrue(demo.run("history").ok().out().contains("backup   failed"));

        String pointId = demo.run("backup", demo.stack(), "--to", "offsite", "-q").ok().out().trim();
        demo.run("verify", pointId).ok();
        assertEquals(manifestsBefore + 1, manifests());

        // what the dead run uploaded has no manifest: prune's sweep removes it once it is old enough
        // (here: everything untouched until a minute from now), and nothing of a complete point
        try (dev.lifeboat.AppContext app = new dev.lifeboat.AppContext(demo.home());
             var repo = app.repositories().open("offsite")) {
            var dry = repo.destination().sweepAbandoned(demo.host(), demo.name(), java.time.Instant.now().plusSeconds(60), true);
            assertTrue(!dry.isEmpty(), "the dead upload left artifacts behind");
            assertTrue(dry.stream().noneMatch(a -> a.name().equals(pointId)));
            var swept = repo.destination().sweepAbandoned(demo.host(), demo.name(), java.time.Instant.now().plusSeconds(60), false);
            assertEquals(dry, swept);
            assertTrue(repo.destination().sweepAbandoned(demo.host(), demo.name(), java.time.Instant.now().plusSeconds(60), true)
                    .isEmpty(), "nothing is left to sweep");
        }
        assertEquals(manifestsBefore + 1, manifests());
        demo.run("verify", pointId).ok();
    }

    @Test
    @Order(4)
    void anS3ServerAnswering503IsRetriedWithBoundedBackoffAndAnOutageFailsTheRunCleanly() throws Exception {
        try (FaultyHttpProxy proxy = new FaultyHttpProxy(s3.port())) {
            demo.run("dest", "add", "flaky", "--s3", "s3://lifeboat/flaky", "--endpoint", proxy.endpoint(), "--path-style",
                    "--key-file", tmp.resolve("repo.key").toString()).ok();

            proxy.failNext(3); // a brief overload: absorbed by the per-request retries
            String first = demo.run("backup", demo.stack(), "--to", "flaky", "-q").ok().out().trim();
            assertEquals(3, proxy.served503());
            demo.run("verify", first).ok();

            long manifestsBefore = manifests("flaky/");
            proxy.outageAfterParts(2); // the server starts failing in the middle of the volume's multipart upload
            long start = System.nanoTime();
            Rig.Result failed = demo.run("backup", demo.stack(), "--to", "flaky");
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            int refusals = proxy.served503();
            proxy.heal();
            assertEquals(1, failed.code(), failed.out());
            assertTrue(failed.err().contains("503"), failed.err());
            assertTrue(refusals > 3 + 1, "the failing request was retried: " + refusals);
            assertTrue(seconds < 120, "bounded backoff gives up in time, took " + seconds + " s");
            assertEquals(manifestsBefore, manifests("flaky/"), "no partial point looks like a backup");
            assertTrue(demo.run("history").ok().out().contains("backup   failed"));
            demo.run("verify", first).ok(); // the earlier point is intact

            String retried = demo.run("backup", demo.stack(), "--to", "flaky", "-q").ok().out().trim();
            demo.run("verify", retried).ok();
            assertEquals(manifestsBefore + 1, manifests("flaky/"));
        }
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

    @Test
    @Order(7)
    void anArtifactSwappedAfterTheVerifyPassFailsThePhaseThatUsesItAndTheRestoreRollsBack() throws Exception {
        try (FaultyHttpProxy proxy = new FaultyHttpProxy(s3.port())) {
            demo.run("dest", "add", "hostile", "--s3", "s3://lifeboat/hostile", "--endpoint", proxy.endpoint(), "--path-style",
                    "--key-file", tmp.resolve("repo.key").toString()).ok();
            String older = demo.run("backup", demo.stack(), "--to", "hostile", "-q").ok().out().trim();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
                c.createStatement().execute("UPDATE customers SET name = 'after the older point'");
            }
            String newer = demo.run("backup", demo.stack(), "--to", "hostile", "-q").ok().out().trim();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
                c.createStatement().execute("UPDATE customers SET name = 'before the restore'");
            }
            Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), DATABASES);
            String file;
            byte[] olderBytes;
            try (S3Client client = s3.client()) {
                String key = client.listObjectsV2Paginator(r -> r.bucket("lifeboat").prefix("hostile/")).contents().stream()
                        .map(software.amazon.awssdk.services.s3.model.S3Object::key)
                        .filter(k -> k.contains(older) && k.endsWith("-shop.pgdump.lbe")).findFirst().orElseThrow();
                file = key.substring(key.lastIndexOf('/') + 1);
                olderBytes = client.getObjectAsBytes(r -> r.bucket("lifeboat").key(key)).asByteArray();
            }
            // the verify pass reads the genuine artifact; the restore phase then gets the older point's, which
            // decrypts under the same key and is a valid dump, only not this point's
            proxy.serveInsteadAfter("/" + newer + "/" + file, 1, olderBytes);
            Rig.Result r = demo.run("restore", newer, "-q");
            assertEquals(1, proxy.swapped(), "the restore phase read the swapped artifact once");
            assertTrue(r.code() != 0, r.out());
            assertTrue(r.err().contains(file) && r.err().contains("SHA-256 mismatch")
                    && r.err().contains("Rolled back to the safety point"), r.err());
            assertEquals(before, StackFingerprint.postgres(demo.pgPort(), DATABASES), "the stack is as it was before");
        }
    }

    private long manifests(String prefix) {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2Paginator(r -> r.bucket("lifeboat").prefix(prefix)).contents().stream()
                    .filter(o -> o.key().endsWith("/manifest.json")).count();
        }
    }

    private long manifests() {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2Paginator(r -> r.bucket("lifeboat").prefix("backups/")).contents().stream()
                    .filter(o -> o.key().endsWith("/manifest.json")).count();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
