package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.asset.BackupContext;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A physical base backup of a server that ships its WAL (ADR 24): {@code pg_basebackup} from the
 * database's own image, tar format, written to stdout and streamed through the pipeline like a dump.
 * Its WAL is not inside ({@code -X none}): the WAL archive holds it, from the segment recorded as
 * {@code baseStartWal}. The logical dumps stay beside it: they are what a single-table restore and a
 * move to another major version need.
 */
final class BaseBackup {
    private BaseBackup() {
    }

    static AssetRecord take(BackupContext ctx, Asset.PostgresInstance p, AssetRecord dumps) throws IOException {
        long start = System.nanoTime();
        PostgresClient pg = new PostgresClient(ctx.docker(), ctx.container(p.container()));
        // the base backup starts at a checkpoint at or after this position: its WAL starts in this segment or later
        String startWal = pg.query("postgres", "SELECT pg_walfile_name(pg_current_wal_lsn())").trim();
        String timeline = pg.query("postgres", "SELECT timeline_id FROM pg_control_checkpoint()").trim();
        Artifact base = ctx.out().write("postgres-" + p.container() + "-base.tar", PostgresKind.BASE_ROLE, null, plain -> {
            ExecResult r = pg.run(List.of("pg_basebackup", "-D", "-", "-F", "tar", "-X", "none", "-c", "fast", "--no-manifest"),
                    null, plain);
            if (!r.ok()) {
                throw new HostException("pg_basebackup in container " + p.container() + " exited with " + r.exitCode() + ": "
                        + r.stderr().trim());
            }
        });
        // the WAL up to here makes the base backup consistent: the next segment switch ships it
        String endWal = pg.query("postgres", "SELECT pg_walfile_name(pg_current_wal_lsn())").trim();
        List<Artifact> artifacts = new ArrayList<>(dumps.artifacts());
        artifacts.add(base);
        Map<String, String> details = new LinkedHashMap<>(dumps.details());
        details.put("baseStartWal", startWal);
        details.put("baseEndWal", endWal);
        details.put("baseTimeline", timeline);
        details.put("baseEndedAt", Instant.now().toString());
        return new AssetRecord(dumps.kind(), dumps.name(), dumps.container(),
                dumps.durationMs() + (System.nanoTime() - start) / 1_000_000, artifacts, dumps.rowCounts(), dumps.keyCounts(),
                dumps.fileCount(), details);
    }

    /** A base backup is a tar holding the server's control file and the label that says where its WAL starts. */
    static String verify(java.io.InputStream plain, String file) throws IOException {
        boolean label = false;
        boolean control = false;
        long entries = 0;
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(plain,
                java.nio.charset.StandardCharsets.UTF_8.name());
        org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            entries++;
            label |= e.getName().equals("backup_label");
            control |= e.getName().equals("global/pg_control");
        }
        plain.transferTo(java.io.OutputStream.nullOutputStream());
        if (!label || !control) {
            throw new dev.lifeboat.core.IntegrityException(file + ": not a PostgreSQL base backup (" + (label ? "" : "no backup_label ")
                    + (control ? "" : "no global/pg_control") + ")");
        }
        return "base backup tar, " + entries + " entries, backup_label and pg_control present";
    }
}
