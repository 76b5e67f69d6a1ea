package dev.lifeboat.core.model;

import java.time.Instant;

/** A complete backup of one stack at one moment, held by a destination. */
public record RecoveryPoint(String id, String host, String stack, String destination, Instant createdAt,
                            String location, long storedBytes, String kind) {
}
