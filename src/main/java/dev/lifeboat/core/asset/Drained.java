package dev.lifeboat.core.asset;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An artifact's plaintext handed to a consumer (the Engine's archive upload, an exec's stdin) that may stop
 * reading early and close what it was given: its close does nothing, and {@link #drain()} then reads the
 * rest, to the end where the reader compares both SHA-256. A failure there is the restore's failure, never
 * one swallowed by the consumer.
 */
public final class Drained extends FilterInputStream {
    public Drained(InputStream in) {
        super(in);
    }

    /** Reads what the consumer left, so that the hashes are checked. */
    public void drain() throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    @Override
    public void close() {
        // the owner of the underlying stream drains and closes it
    }
}
