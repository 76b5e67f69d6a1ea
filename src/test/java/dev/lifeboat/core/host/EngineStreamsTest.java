package dev.lifeboat.core.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hijacked exec stream of {@link EngineStreams}, against an engine of the test's own on a Unix socket. */
class EngineStreamsTest {
    @TempDir
    Path tmp;

    /** A source that never ends (a large artifact, as far as this test is concerned); says when it is closed. */
    private static final class Endless extends InputStream {
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicLong read = new AtomicLong();

        @Override
        public int read() {
            read.incrementAndGet();
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            read.addAndGet(len);
            return len;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void anExecWhoseStreamBreaksStopsReadingItsInputInsteadOfDrainingItToTheEnd() throws Exception {
        Path socket = tmp.resolve("engine.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread engine = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteArrayOutputStream request = new ByteArrayOutputStream();
                    ByteBuffer one = ByteBuffer.allocate(1);
                    while (!request.toString(StandardCharsets.US_ASCII).endsWith("}")) { // the head, then the JSON body
                        one.clear();
                        if (c.read(one) < 0) {
                            return;
                        }
                        request.write(one.array()[0]);
                    }
                    c.write(ByteBuffer.wrap(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer input = ByteBuffer.allocate(64 * 1024);
                    while (input.hasRemaining() && c.read(input) >= 0) {
                        // the command's first input arrives: the exec is under way
                    }
                    c.write(ByteBuffer.wrap(new byte[] {1, 0, 0})); // a frame header cut short: the connection breaks
                } catch (IOException e) {
                    // the test's assertions say what went wrong
                }
            }, "test-engine");
            engine.setDaemon(true);
            engine.start();

            Endless source = new Endless();
            EngineStreams streams = new EngineStreams(socket, "1.41");
            assertThrows(IOException.class, () -> streams.start("exec1", source, java.io.OutputStream.nullOutputStream()));
            assertTrue(source.closed.await(20, TimeUnit.SECONDS), "the input was still being read after the exec failed ("
                    + source.read.get() + " bytes)");
            engine.join(20_000);
        }
    }
}
