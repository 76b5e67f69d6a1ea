package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.ExecResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a tool on this machine with streamed stdin and stdout (used when no container can run it). */
final class LocalTool {
    private LocalTool() {
    }

    static ExecResult run(List<String> cmd, InputStream stdin, OutputStream stdout) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new LifeboatException(cmd.get(0) + " is not available on this machine and no running container can "
                    + "run it; install the PostgreSQL client tools", e);
        }
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readNBytes(64 * 1024);
            } catch (IOException e) {
                return new byte[0];
            }
        });
        CompletableFuture<Void> out = CompletableFuture.runAsync(() -> {
            try {
                p.getInputStream().transferTo(stdout);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (OutputStream in = p.getOutputStream()) {
            byte[] buf = new byte[64 * 1024];
            boolean open = true;
            int n;
            while ((n = stdin.read(buf)) >= 0) {
                if (open) {
                    try {
                        in.write(buf, 0, n);
                    } catch (IOException closedByTool) {
                        open = false; // keep draining so the source's checksums are verified
                    }
                }
            }
        } catch (IOException closing) {
            // the tool closed its input early; its exit code decides
        }
        try {
            int code = p.waitFor();
            out.join();
            return new ExecResult(code, new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new LifeboatException("interrupted while running " + cmd.get(0));
        }
    }
}
