package dev.lifeboat.core.history;

import java.time.Instant;

/** A backup, verify or restore run as the history keeps it. */
public record RunRecord(String id, String kind, String host, String stack, String pointId, String destination,
                        String actor, Instant startedAt, Instant finishedAt, String status, String message) {
}
