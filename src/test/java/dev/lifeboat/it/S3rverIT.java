package dev.lifeboat.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.core.storage.ManifestCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second S3 protocol server: s3rver (from the npm registry, installed by the test command), over plain
 * HTTP on loopback. It does not understand the SDK's streaming (aws-chunked) uploads and stored their
 * framing as the object. Backup, wipe and restore from a fresh home must work on it as on S3Proxy.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3rverIT {
    private static final List<String> DATABASES = List.of("shop", "analytics");
    @TempDir
    static Path tmp;
    private Process s3rver;
    private int port;
    private Rig.DemoHome demo;

    @BeforeAll
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(tmp.resolve("s3rver"));
        s3rver = new ProcessBuilder("s3rver", "-d", tmp.resolve("s3rver").toString(), "-a", "127.0.0.1", "-p",
                Integer.toString(port), "--silent", "--configure-bucket", "lbbucket")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("s3rver.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (!s3rver.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("s3rver did not start: " + Files.readString(tmp.resolve("s3rver.log")));
                }
                Thread.sleep(100);
            }
        }
        demo = Rig.demoHome(tmp, Rig.uniqueName("s3rver"), false);
        Rig.alwaysWith(demo.home(), "--master-password-file",
                Files.writeString(tmp.resolve("master"), "s3rver test master").toString());
        Files.writeString(tmp.resolve("creds"), "S3RVER:S3RVER");
        demo.run("secret", "set", "s3rver", "--from-file", tmp.resolve("creds").toString()).ok();
    }

    @AfterAll
    void stop() throws Exception {
        Rig.removeByLabel(demo.name());
        s3rver.destroy();
        s3rver.waitFor();
    }

    private String[] dest(Path home) {
        return new String[] {"dest", "add", "off", "--s3", "s3://lbbucket/lifeboat", "--endpoint", "http://127.0.0.1:" + port,
                "--path-style", "--credentials-secret", "s3rver", "--key-file", tmp.resolve("repo.key").toString()};
    }

    @Test
    void backupWipeAndRestoreFromAFreshHomeWorkOnS3rver() throws Exception {
        Rig.Result added = demo.run(dest(demo.home()));
        assertEquals(0, added.code(), added.err());
        Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        String uploads = StackFingerprint.volume(demo.name() + "_uploads");
        String pointId = demo.run("backup", demo.stack(), "--to", "off", "-q").ok().out().trim();
        demo.run("verify", pointId).ok();

        Rig.removeByLabel(demo.name());
        try (Stream<Path> walk = Files.walk(demo.config())) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Path fresh = tmp.resolve("fresh");
        Rig.alwaysWith(fresh, "--master-password-file", tmp.resolve("master").toString());
        Rig.lifeboat(fresh, "host", "add", "local", "--docker", "unix:///var/run/docker.sock").ok();
        Rig.lifeboat(fresh, "secret", "set", "s3rver", "--from-file", tmp.resolve("creds").toString()).ok();
        Rig.lifeboat(fresh, dest(fresh)).ok();
        JsonNode points = ManifestCodec.mapper().readTree(Rig.lifeboat(fresh, "points", "--json").ok().out());
        assertEquals(0, points.size());
        Rig.lifeboat(fresh, "restore", pointId, "-q").ok();

        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), DATABASES));
        assertEquals(uploads, StackFingerprint.volume(demo.name() + "_uploads"));
        assertTrue(Files.exists(demo.config().resolve(".env")));
    }

    @Test
    void destAddSaysWhatItDetectedAndWhatToDoWhenTheBucketOrCredentialsAreWrong() throws Exception {
        Rig.Result ok = demo.run("dest", "add", "probed", "--s3", "s3://lbbucket/probed", "--endpoint",
                "http://127.0.0.1:" + port, "--path-style", "--credentials-secret", "s3rver", "--key-file",
                tmp.resolve("repo.key").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("Probed the S3 server: exact bytes read back"), ok.out());

        Rig.Result noBucket = demo.run("dest", "add", "nb", "--s3", "s3://nosuchbucket/x", "--endpoint",
                "http://127.0.0.1:" + port, "--path-style", "--credentials-secret", "s3rver", "--key-file",
                tmp.resolve("repo.key").toString());
        assertTrue(noBucket.code() != 0, noBucket.out());
        assertTrue(noBucket.err().contains("bucket nosuchbucket does not exist") && noBucket.err().contains("create it"),
                noBucket.err());
        assertEquals(1, noBucket.err().strip().lines().count(), "one actionable line: " + noBucket.err());

        Files.writeString(tmp.resolve("bad-creds"), "NOBODY:not-the-secret");
        demo.run("secret", "set", "bad", "--from-file", tmp.resolve("bad-creds").toString()).ok();
        Rig.Result refused = demo.run("dest", "add", "bad", "--s3", "s3://lbbucket/x", "--endpoint",
                "http://127.0.0.1:" + port, "--path-style", "--credentials-secret", "bad", "--key-file",
                tmp.resolve("repo.key").toString());
        assertTrue(refused.code() != 0, refused.out());
        assertTrue(refused.err().contains("refused the credentials"), refused.err());
    }
}
