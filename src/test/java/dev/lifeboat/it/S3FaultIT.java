package dev.lifeboat.it;

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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An S3 server that fails under Lifeboat: it dies in the middle of an upload, answers 503 for a while
 * or for good, and serves another artifact than the one verified. Each run fails cleanly, leaves no
 * partial point, and the next one succeeds; a restore rolls back. (A class of its own beside S3IT, so
 * the two run in parallel.)
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3FaultIT {
    private static final List<String> DATABASES = List.of("postgres", "shop", "analytics");
    @TempDir
    static Path tmp;
    private S3Server s3;
    private Rig.DemoHome demo;

    @BeforeAll
    void s3AndDemoStack() throws Exception {
        s3 = S3Server.start(tmp.resolve("s3"));
        demo = S3IT.stackWithOffsite(tmp, s3);
    }

    @AfterAll
    void stop() throws Exception {
        Rig.removeByLabel(demo.name());
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.close();
    }

    @Test
    @Order(1)
    void anS3ServerThatDiesMidUploadFailsTheRunCleanlyAndARetrySucceeds() throws Exception {
        long manifestsBefore = manifests();
        int pointsBefore = ManifestCodec.mapper().readTree(demo.run("points", "--json").ok().out()).size();
        Rig.Result died;
        try (FaultyHttpProxy relay = new FaultyHttpProxy(s3.port())) {
            // the same bucket and prefix as "offsite", reached through a relay that sees each request: the server
            // is killed while half of the volume's second part has reached it (two tries per request, so the
            // run does not wait out the default retries against a server that is gone)
            demo.run("dest", "add", "relayed", "--s3", "s3://lifeboat/backups", "--endpoint", relay.endpoint(), "--path-style",
                    "--key-file", tmp.resolve("repo.key").toString(), "--attempts", "2", "--retry-wait", "100ms", "--part-size", "5")
                    .ok();
            relay.midPart(2, () -> {
                try {
                    s3.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            died = demo.run("backup", demo.stack(), "--to", "relayed");
        }
        assertEquals(1, died.code(), died.out());
        assertTrue(died.err().lines().anyMatch(l -> l.startsWith("lifeboat: ") && l.contains("S3")), died.err());

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
    @Order(2)
    void anS3ServerAnswering503IsRetriedWithBoundedBackoffAndAnOutageFailsTheRunCleanly() throws Exception {
        try (FaultyHttpProxy proxy = new FaultyHttpProxy(s3.port())) {
            // a destination on this machine's loopback: 4 tries per request, the first retry within 100 ms (the
            // default, 5 from 0.5 s, is S3RetriesTest's); the outage below fails within seconds, not half a minute
            demo.run("dest", "add", "flaky", "--s3", "s3://lifeboat/flaky", "--endpoint", proxy.endpoint(), "--path-style",
                    "--key-file", tmp.resolve("repo.key").toString(), "--attempts", "4", "--retry-wait", "100ms", "--part-size", "5")
                    .ok();

            proxy.failNext(3); // a brief overload: absorbed by the per-request retries
            String first = demo.run("backup", demo.stack(), "--to", "flaky", "-q").ok().out().trim();
            assertEquals(3, proxy.served503());
            demo.run("verify", first).ok();

            long manifestsBefore = manifests("flaky/");
            proxy.outageAfterParts(2); // the server starts failing in the middle of the volume's multipart upload
            long start = System.nanoTime();
            Rig.Result failed = demo.run("backup", demo.stack(), "--to", "flaky");
            long end = System.nanoTime();
            int refusals = proxy.served503();
            proxy.heal();
            assertEquals(1, failed.code(), failed.out());
            assertTrue(failed.err().contains("503"), failed.err());
            assertTrue(refusals > 3 + 1, "the failing request was retried: " + refusals);
            // timed from the outage's start, not the run's: what came before it (dumps, the parts that passed) takes
            // as long as the machine makes it take. The first asset to give up ends the run, and the others are
            // cancelled (BackupFailsFastTest), where the run used to await each one's own failure (~15 s)
            long since = proxy.outageSince();
            assertTrue(since > start, "the outage began during the run");
            long afterOutageMs = (end - since) / 1_000_000;
            assertTrue(afterOutageMs < 45_000, "bounded backoff gives up in time: the run ended " + afterOutageMs
                    + " ms after the outage began");
            assertEquals(manifestsBefore, manifests("flaky/"), "no partial point looks like a backup");
            assertTrue(demo.run("history").ok().out().contains("backup   failed"));
            demo.run("verify", first).ok(); // the earlier point is intact

            String retried = demo.run("backup", demo.stack(), "--to", "flaky", "-q").ok().out().trim();
            demo.run("verify", retried).ok();
            assertEquals(manifestsBefore + 1, manifests("flaky/"));
        }
    }

    @Test
    @Order(3)
    void anArtifactSwappedAtTheDestinationIsRefusedWhileRestoringBesideAndTheStackIsUntouched() throws Exception {
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
            // the server serves the older point's artifact, which decrypts under the same key and is a valid dump,
            // only not this point's: the restore reads it once, beside the live database, and its SHA-256 refuses it
            // before the swap (ADR 25; there is no separate verify pass for what is restored beside)
            proxy.serveInsteadAfter("/" + newer + "/" + file, 0, olderBytes);
            Rig.Result r = demo.run("restore", newer, "-q");
            assertEquals(1, proxy.swapped(), "the restore read the swapped artifact once");
            assertEquals(4, r.code(), r.out());
            assertTrue(r.err().contains(file) && r.err().contains("SHA-256 mismatch")
                    && r.err().contains("nothing was changed"), r.err());
            assertEquals(before, StackFingerprint.postgres(demo.pgPort(), DATABASES), "the stack is as it was before");
        }
    }

    private long manifests(String prefix) {
        return S3IT.manifests(s3, prefix);
    }

    private long manifests() {
        return S3IT.manifests(s3, "backups/");
    }
}
