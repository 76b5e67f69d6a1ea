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
 * S3Proxy, a real S3 protocol server, on 127.0.0.1 and a free port with a filesystem backend. It runs
 * as its own process (from the test class path) and is stopped through that process handle.
 */
final class S3Server implements AutoCloseable {
    static final String ACCESS_KEY = "lifeboat-test";
    static final String SECRET_KEY = "lifeboat-test-secret";
    private Process process;
    private final int port;
    private final Path dir;

    private S3Server(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static S3Server start(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path props = dir.resolve("s3proxy.conf");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + dir.resolve("data"),
                ""));
        return new S3Server(launch(dir, port), port, dir);
    }

    /** Starts the server again on the same port and data, after {@link #close()}. */
    void restart() throws Exception {
        process = launch(dir, port);
    }

    private static Process launch(Path dir, int port) throws Exception {
        Path props = dir.resolve("s3proxy.conf");
        Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), "org.gaul.s3proxy.Main", "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
                .start();
        Rig.awaitListening(p, port, dir.resolve("s3proxy.log"), "S3Proxy", 60_000);
        return p;
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** The server dies at once (SIGKILL), as in a crash: what it was receiving is cut off. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
