package dev.lifeboat.it;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * S3Mock (Adobe), a real S3 protocol server that keeps Object Lock configuration and per-object
 * retention (PutObjectRetention, GetObjectRetention) and object versions. It does not refuse deletes
 * of retained objects, and ignores lock headers on PUT (ADR 19 says what that leaves unproven). The
 * executable jar comes from Maven Central (the pom copies it to target/s3mock); it runs as its own
 * process, on 127.0.0.1, stopped through that process handle.
 */
final class S3MockServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private S3MockServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static S3MockServer start(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("root"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String jar = System.getProperty("lifeboat.s3mock.jar", "target/s3mock/s3mock.jar");
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx384m",
                "-Dhttp.port=" + port, "-jar", jar, "--server.port=0", "--server.address=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3mock.log").toFile());
        pb.environment().put("COM_ADOBE_TESTING_S3MOCK_STORE_ROOT", dir.resolve("root").toString());
        Process p = pb.start();
        Rig.awaitListening(p, port, dir.resolve("s3mock.log"), "S3Mock", 90_000);
        return new S3MockServer(p, port);
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any"))).build();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
