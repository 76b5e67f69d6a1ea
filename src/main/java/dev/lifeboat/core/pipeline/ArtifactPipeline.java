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
        InputStream plain = new ZstdInputStream(decrypted);
        HashingInputStream plainHash = new HashingInputStream(plain);
        return new java.io.FilterInputStream(plainHash) {
            private boolean checked;
            /** The first failure, thrown again by every later read: a consumer that swallowed it cannot hide it. */
            private RuntimeException failedWith;
            private IOException failedReading;

            @Override
            public int read() throws IOException {
                return guarded(super::read);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return guarded(() -> super.read(b, off, len));
            }

            /** One read: the end checks both hashes; the first failure is remembered and thrown by every later read. */
            private int guarded(IoRead read) throws IOException {
                if (failedWith != null) {
                    throw failedWith;
                }
                if (failedReading != null) {
                    throw failedReading;
                }
                try {
                    int n = read.run();
                    if (n < 0) {
                        check();
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

            private void check() throws IOException {
                if (checked) {
                    return;
                }
                checked = true;
                // authenticate every chunk up to the final one, and hash every stored byte
                decrypted.transferTo(OutputStream.nullOutputStream());
                storedHash.transferTo(OutputStream.nullOutputStream());
                String storedSha = storedHash.hex();
                if (expectedStoredSha256 != null && !expectedStoredSha256.equals(storedSha)) {
                    throw new IntegrityException(name + ": SHA-256 mismatch (manifest " + expectedStoredSha256
                            + ", stored data " + storedSha + ")");
                }
                String plainSha = plainHash.hex();
                if (expectedPlainSha256 != null && !expectedPlainSha256.equals(plainSha)) {
                    throw new IntegrityException(name + ": content SHA-256 mismatch after decryption (manifest "
                            + expectedPlainSha256 + ", restored " + plainSha + ")");
                }
            }
        };
    }

    /** A read of the underlying stream: a byte, or a count, or -1 at the end. */
    @FunctionalInterface
    private interface IoRead {
        int run() throws IOException;
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
