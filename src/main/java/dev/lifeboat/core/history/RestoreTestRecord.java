package dev.lifeboat.core.history;

import java.time.OffsetDateTime;

/** One recorded restore test. {@code checksJson}: the checks as JSON. */
public record RestoreTestRecord(String runId, String pointId, String host, String stack, String sandboxHost,
                                OffsetDateTime at, long durationMs, boolean ok, String checksJson) {
}
