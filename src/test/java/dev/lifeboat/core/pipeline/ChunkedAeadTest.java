package dev.lifeboat.core.pipeline;

import dev.lifeboat.core.IntegrityException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkedAeadTest {
    private static final int CHUNK = 1024;
    @TempDir
    static Path dir;
    static RepositoryKey key;
    static RepositoryKey otherKey;

    @BeforeAll
    static void keys() {
        key = RepositoryKey.generate(dir.resolve("k1"));
        otherKey = RepositoryKey.generate(dir.resolve("k2"));
    }

    static byte[] seal(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = ChunkedAead.encrypt(out, key, CHUNK)) {
            enc.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] open(byte[] sealed, RepositoryKey k) throws IOException {
        try (InputStream in = ChunkedAead.decrypt(new ByteArrayInputStream(sealed), k, "test")) {
            return in.readAllBytes();
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17})
    void roundTripsEverySizeAroundChunkBoundaries(int size) throws IOException {
        byte[] plain = random(size);
        assertArrayEquals(plain, open(seal(plain), key));
    }

    @Test
    void sameContentEncryptsDifferentlyEachTime() throws IOException {
        byte[] plain = random(100);
        assertNotEquals(Arrays.toString(seal(plain)), Arrays.toString(seal(plain)));
    }

    @Test
    void aFlippedBitAnywhereFailsAuthentication() throws IOException {
        byte[] sealed = seal(random(3 * CHUNK + 5));
        for (int pos : new int[] {45, CHUNK + 100, sealed.length - 1}) {
            byte[] bad = sealed.clone();
            bad[pos] ^= 0x10;
            assertThrows(IntegrityException.class, () -> open(bad, key), "flip at " + pos);
        }
    }

    @Test
    void truncationAtAChunkBoundaryIsDetected() throws IOException {
        byte[] sealed = seal(random(3 * CHUNK + 5));
        int header = 41;
        byte[] cut = Arrays.copyOf(sealed, header + 2 * (CHUNK + 16));
        IntegrityException e = assertThrows(IntegrityException.class, () -> open(cut, key));
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
    }

    @Test
    void reorderedChunksAreDetected() throws IOException {
        byte[] sealed = seal(random(3 * CHUNK));
        int header = 41;
        int c = CHUNK + 16;
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, header, swapped, header + c, c);
        System.arraycopy(sealed, header + c, swapped, header, c);
        assertThrows(IntegrityException.class, () -> open(swapped, key));
    }

    @Test
    void appendedDataIsDetected() throws IOException {
        byte[] sealed = seal(random(2 * CHUNK));
        byte[] longer = Arrays.copyOf(sealed, sealed.length + 16);
        assertThrows(IntegrityException.class, () -> open(longer, key));
    }

    @Test
    void theWrongKeyIsRefusedWithAClearMessage() throws IOException {
        byte[] sealed = seal(random(10));
        IntegrityException e = assertThrows(IntegrityException.class, () -> open(sealed, otherKey));
        assertTrue(e.getMessage().contains("wrong key"), e.getMessage());
    }

    @Test
    void garbageIsNotMistakenForAnArtifact() {
        IntegrityException e = assertThrows(IntegrityException.class, () -> open("hello world".getBytes(), key));
        assertTrue(e.getMessage().contains("bad header"), e.getMessage());
    }

    @Test
    void ciphertextGrowsOnlyByHeaderAndTags() throws IOException {
        assertEquals(41 + 4 * CHUNK + 4 * 16, seal(random(4 * CHUNK)).length);
        assertEquals(41 + 16, seal(new byte[0]).length);
    }

    /** A sink that takes {@code okWrites} writes, then fails every write; it counts what was tried after. */
    private static final class FailingSink extends java.io.OutputStream {
        int okWrites;
        int triedAfterFailure;
        boolean failed;
        final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();

        FailingSink(int okWrites) {
            this.okWrites = okWrites;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failed) {
                triedAfterFailure++;
            }
            if (okWrites-- <= 0) {
                failed = true;
                throw new IOException("channel closed");
            }
            kept.write(b, off, len);
        }
    }

    @Test
    void afterASinkFailureTheStreamIsPoisonedAndNeverSealsAgain() throws IOException {
        FailingSink sink = new FailingSink(2); // the header and the first chunk, then the channel breaks
        java.io.OutputStream enc = ChunkedAead.encrypt(sink, key, CHUNK);
        byte[] data = new byte[CHUNK * 4];
        new java.util.Random(7).nextBytes(data);
        IOException first = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> enc.write(data));
        org.junit.jupiter.api.Assertions.assertEquals("channel closed", first.getMessage());

        IOException again = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> enc.write(data, 0, 10));
        org.junit.jupiter.api.Assertions.assertTrue(again.getMessage().contains("cannot be used again"), again.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, enc::flush);
        IOException closing = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, enc::close);
        org.junit.jupiter.api.Assertions.assertTrue(closing.getMessage().contains("failed earlier"), closing.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(0, sink.triedAfterFailure, "nothing was written after the failure");

        // what reached the sink is a truncated artifact, never one that passes as complete
        org.junit.jupiter.api.Assertions.assertThrows(IntegrityException.class, () -> {
            try (java.io.InputStream in = ChunkedAead.decrypt(new java.io.ByteArrayInputStream(sink.kept.toByteArray()), key, "a")) {
                in.readAllBytes();
            }
        });
    }
}
