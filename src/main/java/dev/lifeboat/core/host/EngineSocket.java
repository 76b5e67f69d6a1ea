package dev.lifeboat.core.host;

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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection to the Docker Engine's unix socket, on the JDK's own socket channel.
 * Used for the calls that move bulk data (exec streams, archives): docker-java's JNA-based socket
 * reads them at ~20 MB/s, this at the speed of the engine. See docs/decisions/0003-docker-access.md.
 */
final class EngineSocket implements AutoCloseable {
    private final SocketChannel ch;
    private final ChannelInput in;

    private EngineSocket(SocketChannel ch) {
        this.ch = ch;
        this.in = new ChannelInput(ch);
    }

    static EngineSocket open(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new EngineSocket(ch);
    }

    /** Status line and headers of a response. Header names are lower-case. */
    record Head(int status, String statusLine, Map<String, String> headers) {
        boolean ok() {
            return status / 100 == 2 || status == 101;
        }
    }

    void writeHead(String method, String target, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: docker\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        write(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, off, len);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Streams {@code body} as a chunked request body. */
    void writeChunked(InputStream body) throws IOException {
        byte[] buf = new byte[256 * 1024];
        int n;
        while ((n = body.readNBytes(buf, 0, buf.length)) > 0) {
            write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            write(buf, 0, n);
            write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    Head readHead() throws IOException {
        String statusLine = line();
        if (statusLine.isEmpty()) {
            throw new EOFException("Docker closed the connection without answering");
        }
        String[] parts = statusLine.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while (!(l = line()).isEmpty()) {
            int colon = l.indexOf(':');
            if (colon > 0) {
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
        }
        return new Head(Integer.parseInt(parts[1]), statusLine, headers);
    }

    /** The raw stream after the headers (for upgraded connections). */
    InputStream raw() {
        return in;
    }

    /** The response body, decoded per its framing (chunked, content-length, or until close). */
    InputStream body(Head head) {
        if ("chunked".equalsIgnoreCase(head.headers().get("transfer-encoding"))) {
            return new Chunked(in);
        }
        String length = head.headers().get("content-length");
        if (length != null) {
            return new Limited(in, Long.parseLong(length));
        }
        return in;
    }

    /** Reads a small error body as text, for messages. */
    String errorText(Head head) {
        try {
            String text = new String(body(head).readNBytes(8192), StandardCharsets.UTF_8).trim();
            int m = text.indexOf("\"message\":\"");
            if (m >= 0) {
                int end = text.indexOf('"', m + 11);
                return text.substring(m + 11, end > 0 ? end : text.length());
            }
            return text.isEmpty() ? head.statusLine() : text;
        } catch (IOException e) {
            return head.statusLine();
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                sb.append((char) b);
            }
            if (sb.length() > 16384) {
                throw new IOException("Docker answered with an over-long header line");
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    /** Reads the channel directly: Channels.newInputStream would take the channel's lock and block writers. */
    static final class ChannelInput extends InputStream {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(256 * 1024);

        ChannelInput(SocketChannel ch) {
            this.ch = ch;
            buf.limit(0);
        }

        @Override
        public int read() throws IOException {
            return fill() ? buf.get() & 0xff : -1;
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

    /** A body stream whose single-byte read goes through its bulk read. */
    private abstract static class BodyStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    private static final class Limited extends BodyStream {
        private final InputStream in;
        private long left;

        Limited(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("Docker's answer ended early");
            }
            left -= n;
            return n;
        }
    }

    private static final class Chunked extends BodyStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = sizeLine();
                int semi = size.indexOf(';');
                left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (left == 0) {
                    done = true;
                    while (!sizeLine().isEmpty()) {
                        // trailers
                    }
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("Docker's answer ended inside a chunk");
            }
            left -= n;
            if (left == 0) {
                sizeLine(); // the CRLF after the chunk
            }
            return n;
        }

        private String sizeLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            if (c < 0) {
                throw new EOFException("Docker's answer ended inside the chunk framing");
            }
            return sb.toString();
        }
    }
}
