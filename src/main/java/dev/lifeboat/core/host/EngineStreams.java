package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Engine API calls that move bulk data, on connections of our own ({@link EngineSocket}):
 * <ul>
 *   <li>exec start, hijacked, because docker-java's transports cannot half-close stdin (docker-java
 *       issues 1448 and 1684): {@code pg_restore} and {@code psql} would wait forever for the end of
 *       their input;</li>
 *   <li>archive GET and PUT, because docker-java's JNA socket reads them at about 20 MB/s.</li>
 * </ul>
 * Everything else (create, inspect, list) stays with docker-java. See docs/decisions/0003-docker-access.md.
 */
final class EngineStreams {
    private static final int STDERR_KEEP = 64 * 1024;
    private final Path socket;
    private final String apiVersion;

    EngineStreams(Path socket, String apiVersion) {
        this.socket = socket;
        this.apiVersion = apiVersion;
    }

    /** A tar stream of {@code path} in a container; closing it closes the connection. */
    InputStream readArchive(String container, String path) throws IOException {
        EngineSocket s = EngineSocket.open(socket);
        try {
            s.writeHead("GET", "/v" + apiVersion + "/containers/" + container + "/archive?path=" + query(path), Map.of());
            EngineSocket.Head head = s.readHead();
            if (!head.ok()) {
                throw new HostException(head.status() == 404 ? path + " not found in container " + container
                        : "reading " + path + " from container " + container + " failed: " + s.errorText(head));
            }
            InputStream body = s.body(head);
            return new java.io.FilterInputStream(body) {
                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Extracts a tar stream into {@code dir} of a container (running or not). */
    void writeArchive(String container, String dir, InputStream tar) throws IOException {
        try (EngineSocket s = EngineSocket.open(socket)) {
            s.writeHead("PUT", "/v" + apiVersion + "/containers/" + container + "/archive?path=" + query(dir),
                    Map.of("Content-Type", "application/x-tar", "Transfer-Encoding", "chunked"));
            s.writeChunked(tar);
            EngineSocket.Head head = s.readHead();
            if (!head.ok()) {
                throw new HostException("writing into " + dir + " of container " + container + " failed: " + s.errorText(head));
            }
        }
    }

    /** The status and parsed JSON body (null when empty) of a small API call. */
    record Answer(int status, com.fasterxml.jackson.databind.JsonNode body, String error) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * A small Engine API call with an optional JSON body, on its own connection. Used where docker-java's
     * models would lose fields: container inspect and create, network inspect and create.
     */
    Answer call(String method, String target, com.fasterxml.jackson.databind.JsonNode body) throws IOException {
        try (EngineSocket s = EngineSocket.open(socket)) {
            byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            if (body != null) {
                headers.put("Content-Type", "application/json");
            }
            headers.put("Content-Length", Integer.toString(bytes.length));
            headers.put("Connection", "close");
            s.writeHead(method, "/v" + apiVersion + target, headers);
            s.write(bytes);
            EngineSocket.Head head = s.readHead();
            if (!head.ok()) {
                return new Answer(head.status(), null, s.errorText(head));
            }
            byte[] answer = s.body(head).readAllBytes();
            return new Answer(head.status(), answer.length == 0 ? null : JSON.readTree(answer), null);
        }
    }

    static String path(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Runs the exec to its end: stdin (may be null) is fed and half-closed, stdout goes to {@code stdout}. */
    String start(String execId, InputStream stdin, OutputStream stdout) throws IOException {
        try (EngineSocket s = EngineSocket.open(socket)) {
            byte[] body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);
            s.writeHead("POST", "/v" + apiVersion + "/exec/" + execId + "/start", Map.of(
                    "Content-Type", "application/json", "Connection", "Upgrade", "Upgrade", "tcp",
                    "Content-Length", Integer.toString(body.length)));
            s.write(body);
            EngineSocket.Head head = s.readHead();
            if (!head.ok()) {
                throw new HostException("Docker refused to start exec: " + s.errorText(head));
            }
            InputStream in = s.raw();
            AtomicReference<Exception> stdinFailure = new AtomicReference<>();
            // set when this call fails (a cancel, a sibling's failure, a broken connection): the feeder then stops
            // reading its source instead of draining the rest of it to check hashes nobody will hear of
            java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
            Thread feeder = null;
            if (stdin != null) {
                feeder = new Thread(() -> {
                    boolean sinkOpen = true;
                    try (stdin) {
                        byte[] arr = new byte[64 * 1024];
                        int n;
                        while (!abandoned.get() && (n = stdin.read(arr)) >= 0) {
                            try {
                                if (sinkOpen) {
                                    s.write(arr, 0, n);
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
                                s.shutdownOutput();
                            } catch (IOException alreadyClosed) {
                                // the command ended first; its exit code decides
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        stdinFailure.set(e);
                        closeQuietly(s); // never let a broken input look like a clean end of input
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
            } catch (IOException | RuntimeException e) {
                abandoned.set(true);
                rethrowInputFailure(stdinFailure.get());
                throw e;
            }
            if (feeder != null) {
                if (feeder.isAlive()) {
                    // The command has ended and Docker stopped reading its input; unblock the writer,
                    // which then only drains the source (so its checksums are still checked).
                    try {
                        s.shutdownOutput();
                    } catch (IOException alreadyClosed) {
                        // nothing more to unblock
                    }
                }
                try {
                    feeder.join();
                } catch (InterruptedException e) {
                    abandoned.set(true);
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

    private static void closeQuietly(EngineSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the failure that made us close is what gets reported
        }
    }
}
