package dev.lifeboat.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault injector in front of a real HTTP server (S3Proxy), like toxiproxy: it relays requests and,
 * when told to, answers them itself with {@code 503 Slow Down} as an overloaded S3 would. It parses
 * only request heads (bodies by Content-Length, {@code Expect: 100-continue} honoured); responses are
 * relayed as bytes.
 */
final class FaultyHttpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger partsBeforeOutage = new AtomicInteger(-1);
    private final AtomicInteger served503 = new AtomicInteger();
    private final AtomicInteger relayed = new AtomicInteger();
    private volatile boolean outage;
    /** When the outage began ({@link System#nanoTime}), 0 before. */
    private volatile long outageSince;

    FaultyHttpProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "faulty-proxy");
        t.setDaemon(true);
        t.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The next {@code n} requests get a 503; then requests pass again. */
    void failNext(int n) {
        failNext.set(n);
    }

    private volatile int dieOnPart = -1;
    private volatile Runnable onDie;

    /**
     * The next UploadPart request for part {@code part} of an object has half of its body relayed, then
     * {@code action} runs (the server behind dies in the middle of receiving it), then the rest is relayed, to
     * wherever the action left the upstream connection.
     */
    void midPart(int part, Runnable action) {
        onDie = action;
        dieOnPart = part;
    }

    /** After {@code parts} more UploadPart requests pass, every request gets a 503 until {@link #heal()}. */
    void outageAfterParts(int parts) {
        partsBeforeOutage.set(parts);
    }

    private volatile String cutPath;
    private volatile long cutAfter;
    private final AtomicInteger cut = new AtomicInteger();

    /** GET responses for paths containing {@code pathPart} end after {@code bytes} bytes: the connection drops mid-body. */
    void cutResponsesOf(String pathPart, long bytes) {
        cutAfter = bytes;
        cutPath = pathPart;
    }

    int cut() {
        return cut.get();
    }

    void heal() {
        cutPath = null;
        bucketRegion = null;
        swapPath = null;
        outage = false;
        partsBeforeOutage.set(-1);
        failNext.set(0);
    }

    private volatile String bucketRegion;
    private volatile String swapPath;
    private volatile byte[] swapBody;
    private final AtomicInteger swapPasses = new AtomicInteger();
    private final AtomicInteger swapped = new AtomicInteger();

    /**
     * A hostile destination: after {@code passes} GETs of a path containing {@code pathPart} went through
     * unchanged, later GETs of it are answered with {@code body} instead (another object's bytes).
     */
    void serveInsteadAfter(String pathPart, int passes, byte[] body) {
        swapBody = body;
        swapPasses.set(passes);
        swapPath = pathPart;
    }

    int swapped() {
        return swapped.get();
    }
    private final java.util.Queue<String> heads = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Every request head relayed or answered so far (request line and headers), in arrival order. */
    java.util.List<String> requestHeads() {
        return java.util.List.copyOf(heads);
    }

    /**
     * Every request is answered as AWS S3 answers a request signed for the wrong region: 400
     * {@code AuthorizationHeaderMalformed} naming the region the bucket is in, with the
     * {@code x-amz-bucket-region} header. S3Proxy and s3rver accept any signing region, so this is
     * the rig's way to provoke it.
     */
    void bucketLivesIn(String region) {
        bucketRegion = region;
    }

    /** When the outage {@link #outageAfterParts} set up began ({@link System#nanoTime}); 0 if it has not. */
    long outageSince() {
        return outageSince;
    }

    int served503() {
        return served503.get();
    }

    int relayed() {
        return relayed.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "faulty-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private boolean shouldFail(String requestLine) {
        if (outage) {
            return true;
        }
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return true;
        }
        if (requestLine.contains("partNumber=") && partsBeforeOutage.get() >= 0
                && partsBeforeOutage.getAndDecrement() == 0) {
            outageSince = System.nanoTime();
            outage = true;
            return true;
        }
        return false;
    }

    private void serve(Socket client) {
        Socket upstream = null;
        java.util.concurrent.atomic.AtomicLong budget = new java.util.concurrent.atomic.AtomicLong(-1);
        try (client) {
            InputStream in = new java.io.BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                heads.add(text);
                String requestLine = text.substring(0, text.indexOf("\r\n"));
                long length = 0;
                boolean expectContinue = false;
                for (String line : text.split("\r\n")) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    } else if (lower.startsWith("expect:") && lower.contains("100-continue")) {
                        expectContinue = true;
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        throw new IOException("chunked request bodies are not supported by this proxy");
                    }
                }
                if (shouldFail(requestLine)) {
                    if (!expectContinue) {
                        in.skipNBytes(length);
                    }
                    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                            + "<Message>Please reduce your request rate.</Message></Error>").getBytes(StandardCharsets.UTF_8);
                    toClient.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
                            + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    toClient.write(body);
                    toClient.flush();
                    served503.incrementAndGet();
                    return; // Connection: close
                }
                String swapping = swapPath;
                if (swapping != null && requestLine.startsWith("GET ") && requestLine.contains(swapping)
                        && swapPasses.getAndDecrement() <= 0) {
                    byte[] body = swapBody;
                    toClient.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    toClient.write(body);
                    toClient.flush();
                    swapped.incrementAndGet();
                    continue; // the connection stays open for the next request
                }
                String region = bucketRegion;
                if (region != null) {
                    if (!expectContinue) {
                        in.skipNBytes(length);
                    }
                    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AuthorizationHeaderMalformed</Code>"
                            + "<Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting '"
                            + region + "'</Message><Region>" + region + "</Region></Error>").getBytes(StandardCharsets.UTF_8);
                    toClient.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: application/xml\r\nx-amz-bucket-region: " + region
                            + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    toClient.write(body);
                    toClient.flush();
                    return;
                }
                String cutting = cutPath;
                if (cutting != null && requestLine.startsWith("GET ") && requestLine.contains(cutting)) {
                    budget.set(cutAfter);
                }
                if (upstream == null) {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    open.add(upstream);
                    Socket up = upstream;
                    Thread back = new Thread(() -> pump(up, client, budget, cut), "faulty-proxy-back");
                    back.setDaemon(true);
                    back.start();
                }
                OutputStream toUpstream = upstream.getOutputStream();
                toUpstream.write(head);
                int die = dieOnPart;
                if (die > 0 && java.util.regex.Pattern.compile("[?&]partNumber=" + die + "[& ]").matcher(requestLine).find()) {
                    dieOnPart = -1;
                    copy(in, toUpstream, length / 2);
                    toUpstream.flush();
                    onDie.run();
                    length -= length / 2;
                }
                copy(in, toUpstream, length);
                toUpstream.flush();
                relayed.incrementAndGet();
            }
        } catch (IOException e) {
            // a connection ended; the client sees it as a reset, as with a real server
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                open.remove(upstream);
            }
            open.remove(client);
        }
    }

    /** Relays responses; while {@code budget} is set (not -1), at most that many more bytes, then the connection drops. */
    private static void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicLong budget, AtomicInteger cuts) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                long left = budget.get();
                if (left >= 0 && n >= left) {
                    out.write(buf, 0, (int) left);
                    out.flush();
                    cuts.incrementAndGet();
                    to.close(); // the response ends mid-body, as when a connection to S3 drops
                    from.close();
                    return;
                }
                if (left >= 0) {
                    budget.set(left - n);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException ignored) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("client closed mid-body");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    /** The request head up to and including the blank line, or null at a clean end of the connection. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a request head");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
            if (head.size() > 64 * 1024) {
                throw new IOException("request head too large");
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
