package dev.lifeboat.core.restore;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.history.SafetyCopyRepository;

import java.util.List;

/**
 * What a restore did: each timed phase, the safety point taken before overwriting (or null), and the data it
 * replaced and kept aside on the host (ADR 25).
 */
public record RestoreReport(String pointId, String host, String stack, String safetyPointId, List<RunStep> phases,
                            long totalMs, List<SafetyCopyRepository.Kept> keptAside) {
    /** How long the stack was down: from stopping it to healthy again (see {@link RunStep#downtimeMs}). */
    @JsonProperty("downtimeMs")
    public long downtimeMs() {
        return RunStep.downtimeMs(phases);
    }
}
