package dev.lifeboat.core.model;

/**
 * One stored file of a recovery point. {@code storedSha256} covers the bytes at rest (encrypted);
 * {@code plainSha256} covers the content before compression and encryption.
 */
public record Artifact(
        String file,
        String role,
        String database,
        long plainBytes,
        String plainSha256,
        long storedBytes,
        String storedSha256,
        String compression,
        String encryption) {
}
