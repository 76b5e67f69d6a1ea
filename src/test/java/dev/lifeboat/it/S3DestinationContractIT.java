package dev.lifeboat.it;

import dev.lifeboat.core.storage.Destination;
import dev.lifeboat.core.storage.DestinationContract;
import dev.lifeboat.core.storage.S3Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The destination contract on S3Proxy, a real S3 protocol server on loopback: each test under a prefix of its own. */
@org.junit.jupiter.api.Tag("integration")
class S3DestinationContractIT extends DestinationContract {
    @TempDir
    static Path tmp;
    private static S3Server s3;
    private static final AtomicInteger N = new AtomicInteger();

    @BeforeAll
    static void server() throws Exception {
        s3 = S3Server.start(tmp.resolve("s3"));
        try (S3Client client = s3.client()) {
            client.createBucket(r -> r.bucket("contract"));
        }
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.close();
    }

    @Override
    protected Destination create() {
        return new S3Bucket("contract", "s3://contract/t" + N.incrementAndGet() + "?region=us-east-1&endpoint="
                + URLEncoder.encode(s3.endpoint(), StandardCharsets.UTF_8) + "&pathStyle=true", null);
    }
}
