package dev.lifeboat.core.history;

import java.time.Instant;

/** One WAL file shipped to a destination: its name, sizes and hashes (plain and as stored), and when. */
public record WalFile(String host, String stack, String asset, String destination, String name, long plainBytes,
                      long storedBytes, String plainSha256, String storedSha256, Instant shippedAt) {
}
