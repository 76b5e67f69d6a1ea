package dev.lifeboat.core.pipeline;

import dev.lifeboat.core.IntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactPipelineTest {
    @TempDir
    Path dir;

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static byte[] textLikeData() {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(7);
        String[] words = {"backup", "restore", "volume", "postgres", "redis", "drill", "{\"id\":", "\"ok\"}", "\n"};
        while (sb.length() < 3_000_000) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(100000)).append(' ');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void digestsDescribeBothThePlaintextAndTheStoredBytes() throws Exception {
        ArtifactPipeline p = new ArtifactPipeline(RepositoryKey.generate(dir.resolve("k")));
        byte[] plain = textLikeData();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        ArtifactPipeline.Writer w = p.writer(stored);
        try (w) {
            w.write(plain);
        }
        ArtifactDigest d = w.digest();
        assertEquals(plain.length, d.plainBytes());
        assertEquals(sha(plain), d.plainSha256());
        assertEquals(stored.size(), d.storedBytes());
        assertEquals(sha(stored.toByteArray()), d.storedSha256());
        assertTrue(d.storedBytes() < plain.length / 2, "text should compress: " + d.storedBytes());
        try (InputStream in = p.reader(new ByteArrayInputStream(stored.toByteArray()), "a", d.storedSha256(), d.plainSha256())) {
            assertArrayEquals(plain, in.readAllBytes());
        }
    }

    @Test
    void aStoredChecksumThatDoesNotMatchIsReportedAtTheEnd() throws Exception {
        ArtifactPipeline p = new ArtifactPipeline(RepositoryKey.generate(dir.resolve("k")));
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        ArtifactPipeline.Writer w = p.writer(stored);
        try (w) {
            w.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        String wrong = "0".repeat(64);
        IntegrityException e = assertThrows(IntegrityException.class, () -> {
            try (InputStream in = p.reader(new ByteArrayInputStream(stored.toByteArray()), "x.lbe", wrong, null)) {
                in.readAllBytes();
            }
        });
        assertTrue(e.getMessage().contains("x.lbe: SHA-256 mismatch"), e.getMessage());
    }

    @Test
    void aFailureIsThrownAgainByEveryLaterReadSoAConsumerThatSwallowsItCannotHideIt() throws Exception {
        ArtifactPipeline p = new ArtifactPipeline(RepositoryKey.generate(dir.resolve("k")));
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        ArtifactPipeline.Writer w = p.writer(stored);
        try (w) {
            w.write(textLikeData());
        }
        String wrong = "0".repeat(64);
        try (InputStream in = p.reader(new ByteArrayInputStream(stored.toByteArray()), "x.lbe", wrong, null)) {
            try {
                in.readAllBytes(); // an upload that logs the failure and carries on
            } catch (IntegrityException swallowed) {
                // as such a consumer would
            }
            assertThrows(IntegrityException.class, () -> in.transferTo(java.io.OutputStream.nullOutputStream()),
                    "reading to the end again is not a pass");
            assertThrows(IntegrityException.class, in::read);
        }
    }

    @Test
    void writingALargeStreamKeepsHeapBounded() throws IOException {
        ArtifactPipeline p = new ArtifactPipeline(RepositoryKey.generate(dir.resolve("k")));
        Runtime rt = Runtime.getRuntime();
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long peak = 0;
        ArtifactPipeline.Writer w = p.writer(java.io.OutputStream.nullOutputStream());
        try (w) {
            for (int i = 0; i < 512; i++) { // 512 MiB through the pipeline
                block[i % block.length] ^= 1;
                w.write(block);
                if (i % 64 == 0) {
                    peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                }
            }
        }
        assertEquals(512L << 20, w.digest().plainBytes());
        assertTrue(peak - before < 256L << 20, "heap grew by " + ((peak - before) >> 20) + " MiB");
    }
}
