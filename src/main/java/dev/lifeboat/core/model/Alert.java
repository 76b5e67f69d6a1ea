package dev.lifeboat.core.model;

import java.time.Instant;

/** An alert in the history: open until acknowledged or resolved. */
public record Alert(long id, String key, String kind, String host, String stack, String title, String message, String state,
                    Instant createdAt, Instant resolvedAt) {
}
