package dev.lifeboat.core.pipeline;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.lifeboat.core.IntegrityException;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The one-pass streaming pipeline: plaintext → SHA-256 → zstd → AES-256-GCM chunks → SHA-256 → sink,
 * and its mirror image for reading. Nothing is buffered beyond one compression window and two
 * encryption chunks, whatever the artifact's size.
 */
public final class ArtifactPipeline {
    public static final String COMPRESSION = "zstd";
    public static final String ENCRYPTION = "aes-256-gcm-chunked-v1";
    private final RepositoryKey key;
    private final int compressionLevel;
    private final int compressionWorkers;

    public ArtifactPipeline(RepositoryKey key) {
        this(key, 3, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public ArtifactPipeline(RepositoryKey key, int compressionLevel, int compressionWorkers) {
        this.key = key;
        this.compressionLevel = compressionLevel;
        this.compressionWorkers = compressionWorkers;
    }

    public RepositoryKey key() {
        return key;
    }

    /** Opens a plaintext stream whose bytes end up compressed and encrypted in {@code sink}. */
    public Writer writer(OutputStream sink) throws IOException {
        return new Writer(sink);
    }

    /**
     * Opens the plaintext of a stored artifact. The stream throws {@link IntegrityException} when a
     * chunk fails authentication, and at its end when either checksum differs from the expected one.
     */
    public InputStream reader(InputStream stored, String name, String expectedStoredSha256, String expectedPlainSha256)
            throws IOException {
        HashingInputStream storedHash = new HashingInputStream(stored);
        InputStream decrypted = ChunkedAead.decrypt(storedHash, key, name);
        HashingInputStream plainHash = new HashingInputStream(new ZstdInputStream(decrypted));
        return new CheckedAtEnd(plainHash, () -> {
            // authenticate every chunk up to the final one, and hash every stored byte
            decrypted.transferTo(OutputStream.nullOutputStream());
            checkStored(storedHash, name, expectedStoredSha256);
            String plainSha = plainHash.hex();
            if (expectedPlainSha256 != null && !expectedPlainSha256.equals(plainSha)) {
                throw new IntegrityException(name + ": content SHA-256 mismatch after decryption (manifest "
                        + expectedPlainSha256 + ", restored " + plainSha + ")");
            }
        });
    }

    /**
     * The decrypted but still compressed bytes of a stored artifact (its zstd frames, as written), for a consumer
     * that decompresses them itself, on the far side of a costly link (ADR 28). Every chunk is authenticated as it
     * is read; the stream ends (-1) only after the stored SHA-256 matched. The content SHA-256 cannot be checked
     * here: what proves the content is the authenticated ciphertext, and the frames' own checksums where the
     * backup wrote them.
     */
    public InputStream compressedReader(InputStream stored, String name, String expectedStoredSha256) throws IOException {
        HashingInputStream storedHash = new HashingInputStream(stored);
        InputStream decrypted = ChunkedAead.decrypt(storedHash, key, name);
        return new CheckedAtEnd(decrypted, () -> checkStored(storedHash, name, expectedStoredSha256));
    }

    /** Hashes what is left of the stored bytes and compares the stored SHA-256 with the manifest's. */
    private static void checkStored(HashingInputStream storedHash, String name, String expected) throws IOException {
        storedHash.transferTo(OutputStream.nullOutputStream());
        String storedSha = storedHash.hex();
        if (expected != null && !expected.equals(storedSha)) {
            throw new IntegrityException(name + ": SHA-256 mismatch (manifest " + expected + ", stored data " + storedSha + ")");
        }
    }

    /** A check run once, at the end of a stream. */
    @FunctionalInterface
    private interface EndCheck {
        void run() throws IOException;
    }

    /** A read of the underlying stream: a byte, or a count, or -1 at the end. */
    @FunctionalInterface
    private interface IoRead {
        int run() throws IOException;
    }

    /**
     * A stream whose end (-1) is returned only after its check passed. The first failure is remembered and thrown
     * by every later read: a consumer that swallowed it cannot hide it.
     */
    private static final class CheckedAtEnd extends java.io.FilterInputStream {
        private final EndCheck check;
        private boolean checked;
        private RuntimeException failedWith;
        private IOException failedReading;

        CheckedAtEnd(InputStream in, EndCheck check) {
            super(in);
            this.check = check;
        }

        @Override
        public int read() throws IOException {
            return guarded(super::read);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return guarded(() -> super.read(b, off, len));
        }

        private int guarded(IoRead read) throws IOException {
            if (failedWith != null) {
                throw failedWith;
            }
            if (failedReading != null) {
                throw failedReading;
            }
            try {
                int n = read.run();
                if (n < 0 && !checked) {
                    checked = true;
                    check.run();
                }
                return n;
            } catch (IOException e) {
                failedReading = e;
                throw e;
            } catch (RuntimeException e) {
                failedWith = e;
                throw e;
            }
        }
    }

    /** The plaintext side of one artifact being written. {@link #digest()} is valid after close. */
    public final class Writer extends FilterOutputStream {
        private final HashingOutputStream storedHash;
        private final HashingOutputStream plainHash;
        private ArtifactDigest digest;

        private Writer(OutputStream sink) throws IOException {
            super(null);
            storedHash = new HashingOutputStream(sink);
            ZstdOutputStream zstd = new ZstdOutputStream(ChunkedAead.encrypt(storedHash, key), compressionLevel);
            // each frame carries a checksum of its content: a decompressor that never sees the manifest (zstd in a
            // container, ADR 28) still proves what it wrote
            zstd.setChecksum(true);
            if (compressionWorkers > 1) {
                zstd.setWorkers(compressionWorkers);
            }
            plainHash = new HashingOutputStream(zstd);
            this.out = plainHash;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (digest != null) {
                return;
            }
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                // zstd does not close what is below it when its own last write fails: close the sink here, or
                // the destination file stays open (a full disk stays busy, a temp file is never released)
                try {
                    storedHash.close();
                } catch (IOException | RuntimeException alsoBroken) {
                    e.addSuppressed(alsoBroken);
                }
                throw e;
            }
            digest = new ArtifactDigest(plainHash.count(), plainHash.hex(), storedHash.count(), storedHash.hex());
        }

        public ArtifactDigest digest() {
            if (digest == null) {
                throw new IllegalStateException("artifact is still open");
            }
            return digest;
        }
    }
}
