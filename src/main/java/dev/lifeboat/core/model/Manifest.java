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
        Map<String, String> toolVersions,
        String repositoryId,
        String previousManifestSha256) {

    /**
     * Format 2 binds a manifest to where it belongs: {@code repositoryId} (the destination's signed id),
     * with {@code pointId}, {@code host} and {@code stack}, all inside the signed bytes; and chains it to
     * the stack's previous manifest at that destination ({@code previousManifestSha256}, null for the
     * first). Format 1 points have neither and are still read.
     */
    public static final int FORMAT = 2;

    public Manifest(int format, String pointId, String host, String stack, Instant startedAt, Instant completedAt,
                    String keyId, String lifeboatVersion, List<ContainerSpec> containers, List<VolumeSpec> volumes,
                    List<AssetRecord> assets, Map<String, String> toolVersions) {
        this(format, pointId, host, stack, startedAt, completedAt, keyId, lifeboatVersion, containers, volumes, assets,
                toolVersions, null, null);
    }

    /** This manifest as written to a repository with id {@code repositoryId}, after the manifest hashed {@code previous}. */
    public Manifest boundTo(String repositoryId, String previous) {
        return new Manifest(FORMAT, pointId, host, stack, startedAt, completedAt, keyId, lifeboatVersion, containers, volumes,
                assets, toolVersions, repositoryId, previous);
    }

    public long storedBytes() {
        return assets.stream().flatMap(a -> a.artifacts().stream()).mapToLong(Artifact::storedBytes).sum();
    }

    public List<Artifact> artifacts() {
        return assets.stream().flatMap(a -> a.artifacts().stream()).toList();
    }
}
