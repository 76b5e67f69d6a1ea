package dev.lifeboat.core.history;

import java.time.Instant;

/** One WAL file shipped to a destination: its name, sizes and hashes (plain and as stored), and when. */
public record WalFile(String host, String stack, String asset, String destination, String name, long plainBytes,
                      long storedBytes, String plainSha256, String storedSha256, Instant shippedAt) {
    /** A 16 MiB segment's place in the WAL stream, whatever its timeline: its log file and segment. */
    public static long position(String segment) {
        return Long.parseLong(segment.substring(8, 16), 16) * 0x100 + Long.parseLong(segment.substring(16, 24), 16);
    }

    /** The name of the segment at {@code position} on the timeline of {@code sameTimeline} (a segment name). */
    public static String segmentAt(String sameTimeline, long position) {
        return sameTimeline.substring(0, 8) + String.format(java.util.Locale.ROOT, "%08X%08X", position / 0x100, position % 0x100);
    }
}
