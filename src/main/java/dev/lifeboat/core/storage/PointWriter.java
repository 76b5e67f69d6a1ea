package dev.lifeboat.core.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one recovery point. Artifacts go to a staging area; {@link #commit} makes the point
 * visible atomically, with the manifest written last. {@link #close} without commit discards it.
 */
public interface PointWriter extends AutoCloseable {
    /** A new artifact; the stream is durably flushed when closed. Safe to call from several threads. */
    OutputStream create(String file) throws IOException;

    /** Writes the signature, then the manifest, durably, and publishes the point. */
    Destination.StoredPoint commit(byte[] manifest, String signature) throws IOException;

    @Override
    void close() throws IOException;

    /** An artifact's file name: plain, not hidden, and not one of the names the commit writes. */
    static String checkArtifactName(String file) {
        if (file.contains("/") || file.startsWith(".") || file.equals(StagedDirectory.MANIFEST)
                || file.equals(StagedDirectory.SIGNATURE)) {
            throw new IllegalArgumentException("bad artifact name " + file);
        }
        return file;
    }
}
