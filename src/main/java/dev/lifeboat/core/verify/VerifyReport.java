package dev.lifeboat.core.verify;

import java.util.List;

/** The outcome of verifying a recovery point: one line per artifact, plus the manifest itself. */
public record VerifyReport(String pointId, String destination, List<Check> checks) {
    public record Check(String artifact, boolean ok, String detail) {
    }

    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }
}
