package dev.lifeboat.core.host;

import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * Reads a remote file as OpenSSH's own client does: up to {@value #WINDOW} READ requests of
 * {@value #REQUEST} bytes in flight (1 MiB, half of sshj's 2 MiB channel window: with the whole window
 * in flight the server stalls on window adjustments), consumed in order, whatever size the caller
 * reads in. A short answer (allowed by the protocol) is completed by asking for the rest before
 * anything after it is consumed; the first end-of-file answer ends the stream. Measured on loopback
 * with 300 MiB (ADR 16): sshj's read-ahead stream 11 s when read 8 KiB at a time (as transferTo does),
 * 3 to 4 s in 256 KiB reads; this one 3 to 4 s either way.
 */
final class SftpReadAhead extends InputStream {
    static final int REQUEST = 32 * 1024;
    static final int WINDOW = 32;
    private final File file;
    private final int timeoutMs;
    private final ArrayDeque<Pending> inflight = new ArrayDeque<>();
    private final byte[] chunk = new byte[REQUEST];
    private long nextOffset;
    private int pos;
    private int len;
    private boolean eof;
    private boolean closed;

    /** A READ in flight: where, how much, and the promise of its answer. */
    private record Pending(long offset, int length, Promise<Response, SFTPException> answer) {
    }

    /** The protected request methods of sshj's file, for pipelining them here. */
    private static final class File extends RemoteFile {
        File(SFTPEngine engine, String path, byte[] handle) {
            super(engine, path, handle);
        }

        Promise<Response, SFTPException> request(long offset, int length) throws IOException {
            return asyncRead(offset, length);
        }

        int take(Response response, byte[] to) throws IOException {
            try {
                return checkReadResponse(response, to, 0);
            } catch (Buffer.BufferException e) {
                throw new SFTPException("malformed READ answer: " + e.getMessage());
            }
        }
    }

    private SftpReadAhead(File file, int timeoutMs) {
        this.file = file;
        this.timeoutMs = timeoutMs;
    }

    static InputStream open(SFTPClient sftp, String path) throws IOException {
        SFTPEngine engine = sftp.getSFTPEngine();
        byte[] handle = engine.request(engine.newRequest(PacketType.OPEN)
                        .putString(path, engine.getSubsystem().getRemoteCharset())
                        .putUInt32(OpenMode.toMask(EnumSet.of(OpenMode.READ))).putFileAttributes(FileAttributes.EMPTY))
                .retrieve(engine.getTimeoutMs(), TimeUnit.MILLISECONDS)
                .ensurePacketTypeIs(PacketType.HANDLE).readBytes();
        return new SftpReadAhead(new File(engine, path, handle), engine.getTimeoutMs());
    }

    private void fill() throws IOException {
        while (!eof && inflight.size() < WINDOW) {
            inflight.addLast(new Pending(nextOffset, REQUEST, file.request(nextOffset, REQUEST)));
            nextOffset += REQUEST;
        }
    }

    /** Takes the next answer in file order into {@code chunk}; false at the end of the file. */
    private boolean next() throws IOException {
        while (true) {
            fill();
            Pending p = inflight.pollFirst();
            if (p == null) {
                return false;
            }
            int n = file.take(p.answer().retrieve(timeoutMs, TimeUnit.MILLISECONDS), chunk);
            if (n < 0) {
                eof = true; // what is still in flight lies beyond the end: its answers are drained on close
                return false;
            }
            if (n < p.length()) { // a short answer: the rest is asked for first, so that order is kept
                inflight.addFirst(new Pending(p.offset() + n, p.length() - n, file.request(p.offset() + n, p.length() - n)));
            }
            if (n > 0) {
                pos = 0;
                len = n;
                return true;
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (n == 0) {
            return 0;
        }
        if (pos == len && (eof || !next())) {
            return -1;
        }
        int k = Math.min(n, len - pos);
        System.arraycopy(chunk, pos, b, off, k);
        pos += k;
        return k;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (Pending p : inflight) { // every request is answered before the handle goes
                try {
                    p.answer().retrieve(timeoutMs, TimeUnit.MILLISECONDS);
                } catch (SFTPException ignored) {
                    // an error for a read nobody wants any more
                }
            }
            inflight.clear();
        } finally {
            file.close();
        }
    }
}
