package dev.lifeboat.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The last file written to a recovery point; a point without one is incomplete and never used.
 */
public record Manifest(
        int format,
        String pointId,
        String host,
        String stack,
        Instant startedAt,
        Instant completedAt,
        String keyId,
        String lifeboatVersion,
        List<ContainerSpec> containers,
        List<VolumeSpec> volumes,
        List<AssetRecord> assets,
        Map<String, String> toolVersions) {

    public static final int FORMAT = 1;

    public long storedBytes() {
        return assets.stream().flatMap(a -> a.artifacts().stream()).mapToLong(Artifact::storedBytes).sum();
    }

    public List<Artifact> artifacts() {
        return assets.stream().flatMap(a -> a.artifacts().stream()).toList();
    }
}
