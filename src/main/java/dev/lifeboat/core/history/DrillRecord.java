package dev.lifeboat.core.history;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** One DR drill. Times in ms; {@code phasesJson}/{@code checksJson} as JSON. */
public record DrillRecord(String id, String host, String stack, String scenario, String mode, String actor,
                          OffsetDateTime startedAt, String pointId, OffsetDateTime pointTakenAt, Long rtoMs, Long rpoMs,
                          long rtoTargetMs, long rpoTargetMs, boolean ok, String phasesJson, String checksJson,
                          String notes, LocalDate nextDue) {
}
