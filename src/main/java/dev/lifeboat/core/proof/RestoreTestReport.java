package dev.lifeboat.core.proof;

import dev.lifeboat.core.model.Check;

import dev.lifeboat.core.history.RunStep;

import java.util.List;

/** The outcome of a sandbox restore test: every check with its figures, and the timed phases. */
public record RestoreTestReport(String runId, String pointId, String host, String stack, String sandboxHost,
                                List<Check> checks, List<RunStep> phases, long durationMs) {
    public boolean ok() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }
}
