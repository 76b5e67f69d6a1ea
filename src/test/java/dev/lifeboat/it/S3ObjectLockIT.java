package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 Object Lock on S3Mock, a server that keeps per-object retention: a bucket without Object Lock is
 * refused; every object of a point is written with the lock headers (seen on the wire, through a
 * recording proxy) and ends up retained on the server; prune extends a kept point's retention to its
 * tiers, leaves a point whose retention holds (never even asks to delete it), and deletes every version
 * of it once the retention has lapsed.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ObjectLockIT {
    @TempDir
    static Path tmp;
    private S3MockServer mock;
    private FaultyHttpProxy proxy;
    private Rig.DemoHome demo;

    @BeforeAll
    void serverAndStack() throws Exception {
        mock = S3MockServer.start(tmp.resolve("s3mock"));
        try (S3Client client = mock.client()) {
            client.createBucket(r -> r.bucket("locked").objectLockEnabledForBucket(true));
            client.createBucket(r -> r.bucket("plain"));
        }
        System.setProperty("aws.accessKeyId", "lifeboat-test");
        System.setProperty("aws.secretAccessKey", "lifeboat-test-secret");
        proxy = new FaultyHttpProxy(mock.port());
        demo = Rig.demoHome(tmp, Rig.uniqueName("objlock"), false);
    }

    @AfterAll
    void stop() throws Exception {
        Rig.removeByLabel(demo.name());
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        proxy.close();
        mock.close();
    }

    @Test
    void aBucketWithoutObjectLockOrAnUnknownModeIsRefusedInOneActionableLine() {
        Rig.Result r = demo.run("dest", "add", "nolock", "--s3", "s3://plain/x", "--endpoint", mock.endpoint(), "--path-style",
                "--object-lock", "governance", "--key-file", tmp.resolve("repo.key").toString());
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains("Bucket plain") && r.err().contains("has no Object Lock")
                && r.err().contains("create a bucket with it"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one actionable line: " + r.err());

        Rig.Result mode = demo.run("dest", "add", "odd", "--s3", "s3://locked/odd", "--endpoint", mock.endpoint(),
                "--path-style", "--object-lock", "forever", "--key-file", tmp.resolve("repo.key").toString());
        assertTrue(mode.code() != 0 && mode.err().contains("must be governance or compliance"), mode.err());
    }

    @Test
    void everyObjectIsRetainedAndPruneExtendsKeptPointsAndDeletesOthersOnlyOnceTheirRetentionLapsed() throws Exception {
        demo.run("dest", "add", "vault", "--s3", "s3://locked/lb", "--endpoint", proxy.endpoint(), "--path-style",
                "--object-lock", "governance", "--lock-days", "1", "--key-file", tmp.resolve("repo.key").toString()).ok();
        String first = demo.run("backup", demo.stack(), "--to", "vault", "-q").ok().out().trim();
        String second = demo.run("backup", demo.stack(), "--to", "vault", "-q").ok().out().trim();

        // on the wire: every object of a point is written with its lock mode and retain-until date
        int locked = 0;
        for (String head : proxy.requestHeads()) {
            String line = head.substring(0, head.indexOf("\r\n"));
            boolean pointObject = (line.startsWith("PUT ") && !line.contains("partNumber=") && !line.contains("retention"))
                    || (line.startsWith("POST ") && line.contains("uploads"));
            if (pointObject && (line.contains(first) || line.contains(second))) {
                String h = head.toLowerCase(Locale.ROOT);
                assertTrue(h.contains("x-amz-object-lock-mode: governance") && h.contains("x-amz-object-lock-retain-until-date: "),
                        "written without its lock: " + head);
                locked++;
            }
        }
        assertTrue(locked >= 8, "objects of both points seen on the wire: " + locked);

        // on the server: each object of the point is retained, in governance mode, for the day asked
        String prefix = "lb/" + demo.stack() + "/";
        try (S3Client client = mock.client()) {
            List<String> keys = keys(client, prefix + first + "/");
            assertTrue(keys.size() >= 4, keys.toString());
            for (String key : keys) {
                var retention = client.getObjectRetention(r -> r.bucket("locked").key(key)).retention();
                assertEquals(ObjectLockRetentionMode.GOVERNANCE, retention.mode(), key);
                Duration left = Duration.between(Instant.now(), retention.retainUntilDate());
                assertTrue(left.compareTo(Duration.ofHours(23)) > 0 && left.compareTo(Duration.ofHours(25)) < 0, key + ": " + left);
            }
        }

        // prune: the first point lost its daily slot to the second the same day, but Object Lock holds it
        Instant secondBefore = retainedUntil(prefix + second + "/manifest.json");
        String after;
        int seen = proxy.requestHeads().size();
        String report = demo.run("prune", demo.stack(), "--to", "vault").ok().out();
        assertTrue(report.lines().anyMatch(l -> l.contains(first) && l.contains("retained by Object Lock until")), report);
        assertTrue(proxy.requestHeads().subList(seen, proxy.requestHeads().size()).stream()
                .noneMatch(h -> h.startsWith("DELETE ") && h.contains(first)), "no delete is even asked for while it holds");
        assertTrue(demo.run("points", demo.stack()).ok().out().contains(first));
        // the kept point is now immutable as long as its tiers hold it (to the end of this month and a day at least)
        try (S3Client client = mock.client()) {
            Instant extended = retainedUntil(prefix + second + "/manifest.json");
            assertTrue(extended.isAfter(secondBefore), extended + " after " + secondBefore);
            for (String key : keys(client, prefix + second + "/")) {
                assertFalse(retainedUntil(key).isBefore(extended), key);
            }
            assertTrue(report.lines().anyMatch(l -> l.contains(second) && l.contains("immutable until")), report);

            // the first point's retention lapses (the test shortens it on the server, as an admin with governance bypass could)
            Instant soon = Instant.now().plusSeconds(2);
            for (String key : keys(client, prefix + first + "/")) {
                client.putObjectRetention(r -> r.bucket("locked").key(key).bypassGovernanceRetention(true)
                        .retention(x -> x.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(soon)));
            }
            while (!Instant.now().isAfter(soon.plusMillis(200))) { // wall-clock time has to pass for a retention to lapse
                Thread.sleep(Duration.between(Instant.now(), soon.plusMillis(250)).toMillis());
            }
            after = demo.run("prune", demo.stack(), "--to", "vault").ok().out();
            assertTrue(after.lines().anyMatch(l -> l.startsWith("deleted") && l.contains(first)), after);
            assertTrue(client.listObjectVersions(r -> r.bucket("locked").prefix(prefix + first + "/")).versions().isEmpty(),
                    "every version of the lapsed point is gone");
        }
        demo.run("verify", second).ok();
        Rig.Result chain = demo.run("verify", "--chain", demo.stack());
        assertEquals(0, chain.code(), "a pruned point is in the deletion log: " + chain.out() + chain.err());
    }

    private Instant retainedUntil(String key) {
        try (S3Client client = mock.client()) {
            return client.getObjectRetention(r -> r.bucket("locked").key(key)).retention().retainUntilDate();
        }
    }

    private static List<String> keys(S3Client client, String prefix) {
        return client.listObjectsV2Paginator(r -> r.bucket("locked").prefix(prefix)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
    }
}
