package dev.lifeboat.core.host;

import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes on an SFTP server that stay within what servers accept per request and are durable before
 * they count: the file is flushed to the server's disk
 * with OpenSSH's {@code fsync@openssh.com} when the server offers it, before its handle is closed; and
 * {@code posix-rename@openssh.com} replaces a file atomically (plain SFTP rename refuses to overwrite,
 * and removing the target first leaves a moment with no file at all).
 */
public final class SftpDurable {
    static final String FSYNC = "fsync@openssh.com";
    static final String POSIX_RENAME = "posix-rename@openssh.com";

    private SftpDurable() {
    }

    /**
     * The most data one SFTP WRITE request carries. sshj sends each {@code write(b, off, len)} of its
     * stream as one request, and OpenSSH's sftp-server ends the session on any message over 256 KiB: the
     * pipeline's 1 MiB encrypted chunks closed the channel ("Stream closed") as soon as an artifact
     * passed one chunk. 32 KiB is what OpenSSH's own client sends and what every server accepts.
     */
    public static final int MAX_WRITE = 32 * 1024;

    /** Writes {@code len} bytes as requests of at most {@link #MAX_WRITE} bytes each. */
    public static void writeInRequests(OutputStream sftpStream, byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, MAX_WRITE);
            sftpStream.write(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** The message for an SSH server that would not start the SFTP subsystem. */
    public static String noSftp(String who, IOException e) {
        return HostFiles.noSftp(who, e);
    }

    public static boolean canFsync(SFTPClient sftp) {
        return sftp.getSFTPEngine().supportsServerExtension(FSYNC, "1");
    }

    /**
     * A pipelined write stream to a new remote file ({@code modes}); closing it flushes the pipeline,
     * fsyncs the file on the server (when offered) and closes the handle. {@code alsoClose} (may be
     * null) is closed with it: the SFTP channel the file was opened on.
     */
    public static OutputStream create(SFTPClient sftp, String path, Set<OpenMode> modes, AutoCloseable alsoClose)
            throws IOException {
        SFTPEngine engine = sftp.getSFTPEngine();
        byte[] handle = engine.request(engine.newRequest(PacketType.OPEN)
                        .putString(path, engine.getSubsystem().getRemoteCharset())
                        .putUInt32(OpenMode.toMask(modes)).putFileAttributes(FileAttributes.EMPTY))
                .retrieve(engine.getTimeoutMs(), TimeUnit.MILLISECONDS)
                .ensurePacketTypeIs(PacketType.HANDLE).readBytes();
        RemoteFile f = new RemoteFile(engine, path, handle);
        boolean fsync = canFsync(sftp);
        return new FilterOutputStream(f.new RemoteFileOutputStream(0, 16)) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeInRequests(out, b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    out.close(); // waits for every outstanding write to be acknowledged
                    if (fsync) {
                        engine.request(engine.newExtendedRequest(FSYNC).putString(handle))
                                .retrieve(engine.getTimeoutMs(), TimeUnit.MILLISECONDS).ensureStatusPacketIsOK();
                    }
                } finally {
                    try {
                        f.close();
                    } finally {
                        closeQuietly(alsoClose);
                    }
                }
            }
        };
    }

    /** Renames {@code from} over {@code to} atomically where the server offers posix-rename, else removes first. */
    public static void replace(SFTPClient sftp, String from, String to) throws IOException {
        SFTPEngine engine = sftp.getSFTPEngine();
        if (engine.supportsServerExtension(POSIX_RENAME, "1")) {
            engine.request(engine.newExtendedRequest(POSIX_RENAME)
                            .putString(from, engine.getSubsystem().getRemoteCharset())
                            .putString(to, engine.getSubsystem().getRemoteCharset()))
                    .retrieve(engine.getTimeoutMs(), TimeUnit.MILLISECONDS).ensureStatusPacketIsOK();
            return;
        }
        if (sftp.statExistence(to) != null) {
            sftp.rm(to);
        }
        sftp.rename(from, to);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // the file itself is closed; a channel that fails to close changes nothing written
        }
    }
}
