package dev.lifeboat.core.model;

import java.util.List;
import java.util.Map;

/**
 * What a recovery point holds for one asset: its artifacts and the figures measured at backup time
 * (row counts per table, Redis keys per database, files in a volume), for later verification.
 */
public record AssetRecord(
        String kind,
        String name,
        String container,
        long durationMs,
        List<Artifact> artifacts,
        Map<String, Long> rowCounts,
        Map<String, Long> keyCounts,
        Long fileCount,
        Map<String, String> details) {

    /**
     * The databases a PostgreSQL asset holds, exactly as named: from its dump artifacts, never from a
     * joined string (a name may contain any character but NUL).
     */
    public java.util.List<String> databases() {
        return artifacts == null ? java.util.List.of() : artifacts.stream().filter(a -> "pg-dump".equals(a.role()))
                .map(Artifact::database).toList();
    }
}
