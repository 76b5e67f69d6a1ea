package dev.lifeboat.core.pipeline;

/**
 * What one pass of the pipeline measured: the plaintext (before compression) and the stored bytes
 * (after encryption), each with its size and SHA-256 in lower-case hex.
 */
public record ArtifactDigest(long plainBytes, String plainSha256, long storedBytes, String storedSha256) {
}
