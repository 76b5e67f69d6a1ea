package dev.lifeboat.core.model;

import java.time.Instant;

/**
 * A complete backup of one stack at one moment, held by a destination. {@code kind}: "backup" (by
 * hand), "scheduled" (a plan's), "copy" (a replica) or {@value #SAFETY} (taken before a restore).
 */
public record RecoveryPoint(String id, String host, String stack, String destination, Instant createdAt,
                            String location, long storedBytes, String kind) {
    /** The kind of the points taken before a restore replaces a stack's data. */
    public static final String SAFETY = "safety";

    /**
     * A safety point: the stack as it was just before a restore. It does not count as the stack's
     * backup (RPO, last backup, retention slots, restore tests and drills pick others).
     */
    public boolean isSafety() {
        return SAFETY.equals(kind);
    }

    /** Whether a point of this kind is a safety point ({@link #isSafety}), for kinds read without their point. */
    public static boolean isSafety(String kind) {
        return SAFETY.equals(kind);
    }
}
