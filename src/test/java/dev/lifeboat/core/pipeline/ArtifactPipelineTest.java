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

    /** What the pipeline stores of {@code plain}, and its digest. */
    private record Stored(byte[] bytes, ArtifactDigest digest) {
    }

    private static Stored store(ArtifactPipeline p, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArtifactPipeline.Writer w = p.writer(out);
        try (w) {
            w.write(plain);
        }
        return new Stored(out.toByteArray(), w.digest());
    }

    @Test
    void theCompressedReaderGivesTheZstdFramesWithTheirChecksumsAndChecksTheStoredBytes() throws Exception {
        ArtifactPipeline p = new ArtifactPipeline(RepositoryKey.generate(dir.resolve("k")));
        byte[] plain = textLikeData();
        Stored stored = store(p, plain);
        byte[] frames;
        try (InputStream in = p.compressedReader(new ByteArrayInputStream(stored.bytes()), "a", stored.digest().storedSha256())) {
            frames = in.readAllBytes();
        }
        assertTrue(frames.length < plain.length / 2, "still compressed: " + frames.length);
        // a zstd frame: magic number, then a descriptor whose bit 2 says the frame ends with a content checksum
        assertEquals(0xFD2FB528, java.nio.ByteBuffer.wrap(frames, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
        assertEquals(4, frames[4] & 4, "the frame carries a checksum of its content");
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(frames))) {
            assertArrayEquals(plain, in.readAllBytes(), "what a decompressor elsewhere makes of them is the content");
        }
        // a frame whose content is altered no longer matches its checksum
        byte[] damaged = frames.clone();
        damaged[damaged.length - 1] ^= 1;
        assertThrows(IOException.class, () -> {
            try (InputStream in = new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(damaged))) {
                in.readAllBytes();
            }
        });
    }

    @Test
    void theCompressedReaderFailsOnAFlippedStoredBitAndOnAStoredChecksumThatDoesNotMatch() throws Exception {
        ArtifactPipeline p = new ArtifactPipeline(RepositoryKey.generate(dir.resolve("k")));
        byte[] stored = store(p, textLikeData()).bytes();
        byte[] flipped = stored.clone();
        flipped[flipped.length / 2] ^= 1;
        assertThrows(IntegrityException.class, () -> {
            try (InputStream in = p.compressedReader(new ByteArrayInputStream(flipped), "f.lbe", null)) {
                in.readAllBytes();
            }
        }, "a chunk that fails authentication");
        IntegrityException e = assertThrows(IntegrityException.class, () -> {
            try (InputStream in = p.compressedReader(new ByteArrayInputStream(stored), "x.lbe", "0".repeat(64))) {
                in.readAllBytes();
            }
        });
        assertTrue(e.getMessage().contains("x.lbe: SHA-256 mismatch"), e.getMessage());
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
