package dev.lifeboat.core.history;

import java.time.Instant;

/** A point held against prune until released: why, since when, by whom. */
public record PointHold(String pointId, String host, String stack, String reason, Instant heldAt, String heldBy) {
}
