package dev.lifeboat.core.status;

import dev.lifeboat.core.model.RecoveryPoint;

import java.time.Duration;

/**
 * A stack's health dot and why. GREEN: the newest backup is within the RPO and proven (verified or
 * restore-tested). AMBER: a backup is late (more than three quarters of the RPO old) or the newest one
 * is unproven. RED: the last backup run failed, or the RPO is breached. NONE: never backed up.
 */
public record StackHealth(String host, String stack, Level level, String reason, RecoveryPoint newest, Duration age,
                          Duration rpo) {
    public enum Level { GREEN, AMBER, RED, NONE }
}
