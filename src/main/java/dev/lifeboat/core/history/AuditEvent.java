package dev.lifeboat.core.history;

import java.time.Instant;

/** One audit entry: who did what to which target ("host/stack", a destination, a plan...), with details. */
public record AuditEvent(Instant at, String actor, String action, String target, String detail) {
}
