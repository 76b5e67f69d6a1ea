package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.asset.Drained;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.pipeline.ArtifactPipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a point's dump to a command in the server's container. Every byte sent to a process in a container passes
 * through dockerd and containerd-shim, which cost about as much CPU per byte as PostgreSQL's own restore; so where
 * the container has {@code zstd} (the official images do) the dump crosses as the zstd frames it is stored as,
 * about a third of its size, and is decompressed there (ADR 28). Lifeboat then checks what it can see (every
 * chunk's authentication and the stored SHA-256) and zstd the frames' checksums; elsewhere it crosses
 * decompressed and Lifeboat checks both SHA-256 as before. Either way the dump is read to its end, where its
 * checks are, before a restore counts as done.
 */
final class DumpFeed {
    /** The status of zstd killed by SIGPIPE: the command stopped reading, content (its own exit code decides). */
    private static final String STOPPED_READING = "141";
    private final PostgresClient pg;
    private volatile Boolean zstd;

    DumpFeed(PostgresClient pg) {
        this.pg = pg;
    }

    /** Whether {@code art} crosses compressed: stored as zstd, and the container has zstd. */
    boolean crossesCompressed(Artifact art) {
        if (!ArtifactPipeline.COMPRESSION.equals(art.compression())) {
            return false;
        }
        Boolean has = zstd;
        if (has == null) {
            has = pg.run(List.of("zstd", "-V"), null, OutputStream.nullOutputStream()).ok();
            zstd = has;
        }
        return has;
    }

    /** Whether the container has zstd, where that is known already (no probe then). */
    void knowZstd(boolean has) {
        zstd = has;
    }

    /** How the dumps crossed, for the run's report; empty before the first. */
    String how() {
        Boolean has = zstd;
        return has == null ? "" : has ? "dumps sent compressed, decompressed by zstd in the container"
                : "dumps sent decompressed (no zstd in the container)";
    }

    /**
     * Runs {@code command} (its arguments passed as they are, never through a shell's parsing) with the dump on its
     * standard input; its standard output is discarded. When the command succeeds, the dump is read to its end
     * (where a damaged artifact fails, as an integrity failure) before this returns.
     */
    ExecResult run(RestoreContext ctx, Artifact art, List<String> command) throws IOException {
        boolean compressed = crossesCompressed(art);
        try (InputStream dump = compressed ? ctx.openCompressed(art) : ctx.open(art)) {
            Drained fed = new Drained(dump);
            ExecResult r;
            if (compressed) {
                // zstd's exit status goes to the exec's stdout (fd 3), the command's output to stderr; the exec's
                // exit status is the command's
                List<String> cmd = new ArrayList<>(List.of("sh", "-c",
                        "( { zstd -q -d -c; echo \"$?\" >&3; } | \"$@\" >&2 ) 3>&1", "sh"));
                cmd.addAll(command);
                ByteArrayOutputStream status = new ByteArrayOutputStream();
                r = pg.run(cmd, fed, status);
                String z = status.toString(StandardCharsets.US_ASCII).trim();
                if (r.ok() && !z.equals("0") && !z.equals(STOPPED_READING)) {
                    r = new ExecResult(1, "zstd in the container could not decompress " + art.file() + " (exit status "
                            + (z.isEmpty() ? "unknown" : z) + ")\n" + r.stderr());
                }
            } else {
                r = pg.run(command, fed, OutputStream.nullOutputStream());
            }
            if (r.ok()) {
                fed.drain(); // to its end: the checks are there
            }
            return r;
        }
    }

    /**
     * Writes the dump, decompressed, to a new file {@code path} in the container, created exclusively (nothing
     * there already, a link included, is written through) and readable by its owner only; read to its end when
     * written.
     */
    ExecResult spool(RestoreContext ctx, Artifact art, String path) throws IOException {
        boolean compressed = crossesCompressed(art);
        try (InputStream dump = compressed ? ctx.openCompressed(art) : ctx.open(art)) {
            Drained fed = new Drained(dump);
            ExecResult r = pg.run(List.of("sh", "-c", compressed
                    ? "umask 077 && set -C && zstd -q -d -c > \"$1\""
                    : "umask 077 && set -C && cat > \"$1\"", "sh", path), fed, OutputStream.nullOutputStream());
            if (r.ok()) {
                fed.drain();
            }
            return r;
        }
    }
}
