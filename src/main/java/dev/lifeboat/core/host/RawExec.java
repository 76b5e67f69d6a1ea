package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts an Engine API exec on a hijacked connection of our own, because docker-java's transports
 * cannot half-close stdin (docker-java issues 1448 and 1684): {@code pg_restore} and {@code psql}
 * would wait forever for the end of their input. Only {@code POST /exec/{id}/start} goes through
 * here; creating and inspecting the exec stays with docker-java. See docs/decisions/0003-docker-access.md.
 */
final class RawExec {
    private static final int STDERR_KEEP = 64 * 1024;
    private final Path socket;
    private final String apiVersion;

    RawExec(Path socket, String apiVersion) {
        this.socket = socket;
        this.apiVersion = apiVersion;
    }

    /** Runs the exec to its end: stdin (may be null) is fed and half-closed, stdout goes to {@code stdout}. */
    String start(String execId, InputStream stdin, OutputStream stdout) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            byte[] body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);
            String request = "POST /v" + apiVersion + "/exec/" + execId + "/start HTTP/1.1\r\n"
                    + "Host: docker\r\nContent-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            writeFully(ch, request.getBytes(StandardCharsets.US_ASCII));
            writeFully(ch, body);
            InputStream in = new ChannelInput(ch);
            String status = readHeaders(in);
            if (!status.contains(" 101 ") && !status.contains(" 200 ")) {
                throw new HostException("Docker refused to start exec: " + status.trim());
            }
            AtomicReference<Exception> stdinFailure = new AtomicReference<>();
            Thread feeder = null;
            if (stdin != null) {
                feeder = new Thread(() -> {
                    boolean sinkOpen = true;
                    try (stdin) {
                        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                        byte[] arr = buf.array();
                        int n;
                        while ((n = stdin.read(arr)) >= 0) {
                            buf.clear().limit(n);
                            try {
                                while (sinkOpen && buf.hasRemaining()) {
                                    ch.write(buf);
                                }
                            } catch (IOException closedByProcess) {
                                // The command stopped reading (pg_restore --list needs only the TOC).
                                // Keep draining the source so its checksums are still verified; the
                                // exit code tells whether the command was content.
                                sinkOpen = false;
                            }
                        }
                        if (sinkOpen) {
                            try {
                                ch.shutdownOutput();
                            } catch (IOException alreadyClosed) {
                                // the command ended first; its exit code decides
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        stdinFailure.set(e);
                        closeQuietly(ch); // never let a broken input look like a clean end of input
                    }
                }, "lifeboat-exec-stdin");
                feeder.setDaemon(true);
                feeder.start();
            }
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            byte[] header = new byte[8];
            byte[] frame = new byte[64 * 1024];
            try {
                while (true) {
                    int h = in.readNBytes(header, 0, 8);
                    if (h == 0) {
                        break;
                    }
                    if (h < 8) {
                        throw new EOFException("exec stream ended inside a frame header");
                    }
                    int type = header[0];
                    long size = ByteBuffer.wrap(header, 4, 4).getInt() & 0xffffffffL;
                    while (size > 0) {
                        int n = in.read(frame, 0, (int) Math.min(frame.length, size));
                        if (n < 0) {
                            throw new EOFException("exec stream ended inside a frame");
                        }
                        size -= n;
                        if (type == 1) {
                            stdout.write(frame, 0, n);
                        } else if (type == 2 && stderr.size() < STDERR_KEEP) {
                            stderr.write(frame, 0, Math.min(n, STDERR_KEEP - stderr.size()));
                        }
                    }
                }
            } catch (IOException e) {
                rethrowInputFailure(stdinFailure.get());
                throw e;
            }
            if (feeder != null) {
                if (feeder.isAlive()) {
                    // The command has ended and Docker stopped reading its input; unblock the writer,
                    // which then only drains the source (so its checksums are still checked).
                    try {
                        ch.shutdownOutput();
                    } catch (IOException alreadyClosed) {
                        // nothing more to unblock
                    }
                }
                try {
                    feeder.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while feeding exec input", e);
                }
                rethrowInputFailure(stdinFailure.get());
            }
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** A failure reading the input (a bad checksum, say) is the real cause: report it, not the broken pipe. */
    private static void rethrowInputFailure(Exception e) throws IOException {
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 4 || !sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Docker closed the connection before answering exec start");
            }
            sb.append((char) b);
            if (sb.length() > 16384) {
                throw new IOException("exec start answer headers too long");
            }
        }
        return sb.substring(0, sb.indexOf("\r\n"));
    }

    private static void writeFully(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the failure that made us close is what gets reported
        }
    }

    /** Reads a channel directly: Channels.newInputStream would hold the channel's lock and block the stdin writer. */
    private static final class ChannelInput extends InputStream {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);

        ChannelInput(SocketChannel ch) {
            this.ch = ch;
            buf.limit(0);
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return buf.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        private boolean fill() throws IOException {
            if (buf.hasRemaining()) {
                return true;
            }
            buf.clear();
            int n = ch.read(buf);
            buf.flip();
            return n > 0;
        }
    }
}
