package dev.lifeboat.core.status;

import java.time.Instant;
import java.util.Set;

/**
 * One mark on a stack's timeline: a recovery point (status ok, verified or test-restored, with its
 * size and the retention tiers that keep it) or a failed backup run (no point, status failed).
 */
public record TimelineEntry(String id, Instant at, long bytes, Status status, Set<String> tiers, String detail) {
    public enum Status { OK, VERIFIED, TEST_RESTORED, FAILED }
}
