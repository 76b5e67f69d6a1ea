package dev.lifeboat.core.pipeline;

import dev.lifeboat.core.IntegrityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * AES-256-GCM in authenticated chunks (see docs/decisions/0004-encryption-format.md).
 *
 * <pre>
 * header : "LBE1" | version(1) | chunkSize(int32) | salt(32)
 * chunk  : AES-GCM(subkey, nonce = 0x00000000 | index(int64), aad = header | index(int64) | final(1))
 * </pre>
 * Every artifact ends with exactly one chunk marked final (1 to chunkSize bytes; zero only for an empty artifact), so
 * truncation, reordering and appending are all detected. Memory is two chunk buffers per stream.
 */
public final class ChunkedAead {
    static final byte[] MAGIC = "LBE1".getBytes(StandardCharsets.US_ASCII);
    static final int DEFAULT_CHUNK = 1 << 20;
    private static final int TAG_BYTES = 16;
    private static final int SLICE = 4096;
    private static final int HEADER_BYTES = 4 + 1 + 4 + 32;

    private ChunkedAead() {
    }

    /**
     * AES-GCM runs at ~50 MB/s until HotSpot has compiled its intrinsics, and at over 1 GB/s after. A
     * short-lived CLI would spend its first few hundred megabytes in the slow mode, so the first stream of
     * each direction starts a background thread that runs that direction's path on a little throwaway data:
     * a backup never pays for the decrypting path's warm-up, nor a restore for the encrypting one's.
     */
    private static Thread startWarmUp(String name, WarmUpLoop loop) {
        Thread t = new Thread(() -> {
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                loop.run(c, new SecretKeySpec(new byte[32], "AES"));
            } catch (GeneralSecurityException e) {
                // only a warm-up: the real work reports its own errors
            }
        }, name);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    @FunctionalInterface
    private interface WarmUpLoop {
        void run(Cipher c, SecretKeySpec k) throws GeneralSecurityException;
    }

    /** Encrypting feeds the cipher in slices of heap arrays (see Encrypting.seal). */
    private static final class EncryptWarmUp {
        static final Thread THREAD = startWarmUp("lifeboat-aes-warmup-encrypt", (c, k) -> {
            byte[] in = new byte[64 * 1024];
            byte[] out = new byte[in.length + TAG_BYTES];
            for (long i = 0; i < 300; i++) {
                c.init(Cipher.ENCRYPT_MODE, k, nonce(i));
                int n = 0;
                for (int pos = 0; pos < in.length; pos += SLICE) {
                    n += pos + SLICE < in.length ? c.update(in, pos, SLICE, out, n) : c.doFinal(in, pos, SLICE, out, n);
                }
            }
        });

        static boolean started() {
            return THREAD.isAlive() || THREAD.getState() == Thread.State.TERMINATED;
        }
    }

    /** Decrypting runs between direct buffers (see Decrypting); many small chunks compile that path. */
    private static final class DecryptWarmUp {
        static final Thread THREAD = startWarmUp("lifeboat-aes-warmup-decrypt", (c, k) -> {
            ByteBuffer plain = ByteBuffer.allocateDirect(SLICE);
            ByteBuffer sealed = ByteBuffer.allocateDirect(SLICE + TAG_BYTES);
            ByteBuffer opened = ByteBuffer.allocateDirect(SLICE + TAG_BYTES);
            c.init(Cipher.ENCRYPT_MODE, k, nonce(0));
            c.doFinal(plain, sealed);
            sealed.flip();
            for (long i = 0; i < 4000; i++) {
                c.init(Cipher.DECRYPT_MODE, k, nonce(0)); // the same sealed chunk each time: only the path matters
                sealed.rewind();
                opened.clear();
                c.doFinal(sealed, opened);
            }
        });

        static boolean started() {
            return THREAD.isAlive() || THREAD.getState() == Thread.State.TERMINATED;
        }
    }

    public static OutputStream encrypt(OutputStream out, RepositoryKey key) throws IOException {
        return new Encrypting(out, key, DEFAULT_CHUNK);
    }

    static OutputStream encrypt(OutputStream out, RepositoryKey key, int chunkSize) throws IOException {
        return new Encrypting(out, key, chunkSize);
    }

    public static InputStream decrypt(InputStream in, RepositoryKey key, String artifactName) throws IOException {
        return new Decrypting(in, key, artifactName);
    }

    private static byte[] aad(byte[] header, long index, boolean last) {
        return ByteBuffer.allocate(header.length + 9).put(header).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    private static GCMParameterSpec nonce(long index) {
        return new GCMParameterSpec(TAG_BYTES * 8, ByteBuffer.allocate(12).putInt(0).putLong(index).array());
    }

    private static final class Encrypting extends FilterOutputStream {
        private final Cipher cipher;
        private final SecretKeySpec subkey;
        private final byte[] header;
        private final byte[] plain;
        private final byte[] sealed;
        private int filled;
        private long index;
        private boolean closed;
        private Exception failure;

        Encrypting(OutputStream out, RepositoryKey key, int chunkSize) throws IOException {
            super(out);
            byte[] salt = new byte[32];
            new SecureRandom().nextBytes(salt);
            header = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).put((byte) 1).putInt(chunkSize).put(salt).array();
            EncryptWarmUp.started(); // by the first stream
            subkey = new SecretKeySpec(key.deriveArtifactKey(salt), "AES");
            plain = new byte[chunkSize];
            sealed = new byte[chunkSize + TAG_BYTES];
            try {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM is not available", e);
            }
            out.write(header);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            usable();
            try {
                while (len > 0) {
                    if (filled == plain.length) {
                        seal(false); // more data follows, so this full chunk is not the last
                    }
                    int n = Math.min(len, plain.length - filled);
                    System.arraycopy(b, off, plain, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                }
            } catch (IOException | RuntimeException e) {
                poison(e);
                throw e;
            }
        }

        /**
         * After any failure the stream is dead: a caller that writes, flushes or closes it again (a close
         * in a finally, say) must never seal another chunk, which could reuse a nonce or end the artifact
         * with a "final" chunk that hides the loss of the ones before.
         */
        private void poison(Exception e) {
            if (failure == null) {
                failure = e;
            }
        }

        private void usable() throws IOException {
            if (failure != null) {
                throw new IOException("the encrypting stream failed earlier (" + failure.getMessage()
                        + ") and cannot be used again", failure);
            }
            if (closed) {
                throw new IOException("the encrypting stream is closed");
            }
        }

        private void seal(boolean last) throws IOException {
            int n = 0;
            try {
                cipher.init(Cipher.ENCRYPT_MODE, subkey, nonce(index));
                cipher.updateAAD(aad(header, index, last));
                int pos = 0;
                // Feed the cipher in small slices: the same bytes as one call, but HotSpot only
                // compiles the AES-GCM intrinsics for methods invoked often (see ADR 4).
                for (; filled - pos > SLICE; pos += SLICE) {
                    n += cipher.update(plain, pos, SLICE, sealed, n);
                }
                n += cipher.doFinal(plain, pos, filled - pos, sealed, n);
            } catch (GeneralSecurityException e) {
                throw new IOException("encryption failed", e);
            } finally {
                index++; // this nonce is spent, whatever happens to the sealed bytes
            }
            filled = 0;
            out.write(sealed, 0, n);
        }

        @Override
        public void flush() throws IOException {
            usable();
            try {
                out.flush();
            } catch (IOException | RuntimeException e) {
                poison(e);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (failure != null) {
                try {
                    out.close();
                } catch (IOException | RuntimeException alsoBroken) {
                    failure.addSuppressed(alsoBroken);
                }
                throw new IOException("the encrypting stream failed earlier (" + failure.getMessage()
                        + "); nothing more was written", failure);
            }
            try {
                seal(true);
                out.flush();
            } catch (IOException | RuntimeException e) {
                poison(e);
                throw e;
            } finally {
                out.close();
            }
        }
    }

    private static final class Decrypting extends InputStream {
        private final InputStream in;
        private final String name;
        private final Cipher cipher;
        private final SecretKeySpec subkey;
        private final byte[] header;
        private final byte[] sealed;
        /** Direct buffers: JDK 17 decrypts AES-GCM at ~50 MB/s from heap arrays, at over 1 GB/s between these (ADR 4). */
        private final ByteBuffer sealedDirect;
        private final ByteBuffer plain;
        private long index;
        private boolean done;
        private int peeked = -1;

        Decrypting(InputStream in, RepositoryKey key, String name) throws IOException {
            this.in = in;
            this.name = name;
            header = new byte[HEADER_BYTES];
            if (in.readNBytes(header, 0, HEADER_BYTES) != HEADER_BYTES
                    || !Arrays.equals(Arrays.copyOf(header, 4), MAGIC) || header[4] != 1) {
                throw new IntegrityException(name + ": not a Lifeboat encrypted artifact (bad header)");
            }
            int chunkSize = ByteBuffer.wrap(header, 5, 4).getInt();
            if (chunkSize <= 0 || chunkSize > (64 << 20)) {
                throw new IntegrityException(name + ": damaged header (chunk size " + chunkSize + ")");
            }
            subkey = new SecretKeySpec(key.deriveArtifactKey(Arrays.copyOfRange(header, 9, HEADER_BYTES)), "AES");
            sealed = new byte[chunkSize + TAG_BYTES];
            DecryptWarmUp.started(); // by the first stream
            sealedDirect = ByteBuffer.allocateDirect(chunkSize + TAG_BYTES);
            plain = ByteBuffer.allocateDirect(chunkSize + TAG_BYTES).limit(0);
            try {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM is not available", e);
            }
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            int n = 0;
            if (peeked >= 0) {
                sealed[n++] = (byte) peeked;
                peeked = -1;
            }
            n += in.readNBytes(sealed, n, sealed.length - n);
            boolean last;
            if (n < sealed.length) {
                last = true;
            } else {
                peeked = in.read();
                last = peeked < 0;
            }
            if (n < TAG_BYTES) {
                throw new IntegrityException(name + ": truncated (chunk " + index + " is incomplete)");
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, subkey, nonce(index));
                cipher.updateAAD(aad(header, index, last));
                sealedDirect.clear();
                sealedDirect.put(sealed, 0, n).flip();
                plain.clear();
                cipher.doFinal(sealedDirect, plain);
                plain.flip();
            } catch (AEADBadTagException e) {
                plain.clear().limit(0); // nothing of a chunk that failed its check is ever read
                throw new IntegrityException(name + ": authentication failed at chunk " + index
                        + " (the data was modified or truncated, or this is the wrong key)");
            } catch (GeneralSecurityException e) {
                plain.clear().limit(0);
                throw new IOException("decryption failed", e);
            }
            index++;
            done = last;
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!plain.hasRemaining()) {
                if (!nextChunk()) {
                    return -1;
                }
            }
            int n = Math.min(len, plain.remaining());
            plain.get(b, off, n);
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

}
