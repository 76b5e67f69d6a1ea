package dev.lifeboat.core.proof;

import dev.lifeboat.core.model.Check;

import dev.lifeboat.core.history.RunStep;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A DR drill's evidence: each phase's time, the checks, and the measured RTO (first step to healthy
 * and verified), the downtime within it (the phases that stop the stack) and RPO (drill start minus the
 * time of the newest point that actually restored),
 * against the stack's targets. A drill passes when its checks pass and both targets are met.
 */
public record DrillReport(String id, String host, String stack, String scenario, String mode, Instant startedAt,
                          String pointId, Instant pointTakenAt, Duration rto, Duration rpo, Duration rtoTarget,
                          Duration rpoTarget, List<RunStep> phases, List<Check> checks, String notes, LocalDate nextDue) {
    /** How long the stack was (or, in a sandbox, would be) down: the recovery's phases that stop it (null: no recovery). */
    public java.time.Duration downtime() {
        return rto == null ? null : java.time.Duration.ofMillis(RunStep.downtimeMs(phases));
    }

    public boolean checksPassed() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
    }

    public boolean rtoMet() {
        return rto != null && rto.compareTo(rtoTarget) <= 0;
    }

    public boolean rpoMet() {
        return rpo != null && rpo.compareTo(rpoTarget) <= 0;
    }

    public boolean ok() {
        return checksPassed() && rtoMet() && rpoMet();
    }
}
