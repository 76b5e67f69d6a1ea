package dev.lifeboat.core.status;

import java.time.Instant;
import java.util.Set;

/**
 * One mark on a stack's timeline: a recovery point (status ok, verified or test-restored, with its
 * size, the retention tiers that keep it, the destination it was written to ({@code detail}) and the
 * destinations that hold copies of it) or a failed backup run (no point, status failed, the failure in
 * {@code detail}).
 */
public record TimelineEntry(String id, Instant at, long bytes, Status status, Set<String> tiers, String detail,
                            java.util.List<String> copies) {
    public enum Status { OK, VERIFIED, TEST_RESTORED, FAILED }

    public TimelineEntry {
        copies = copies == null ? java.util.List.of() : java.util.List.copyOf(copies);
    }

    public TimelineEntry(String id, Instant at, long bytes, Status status, Set<String> tiers, String detail) {
        this(id, at, bytes, status, tiers, detail, java.util.List.of());
    }
}
