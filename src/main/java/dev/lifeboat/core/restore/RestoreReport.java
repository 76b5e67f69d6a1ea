package dev.lifeboat.core.restore;

import dev.lifeboat.core.history.RunStep;

import java.util.List;

/** What a restore did: each timed phase, and the safety point taken before overwriting (or null). */
public record RestoreReport(String pointId, String host, String stack, String safetyPointId, List<RunStep> phases,
                            long totalMs) {
}
