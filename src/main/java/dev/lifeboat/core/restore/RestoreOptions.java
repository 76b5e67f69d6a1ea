package dev.lifeboat.core.restore;

import dev.lifeboat.core.asset.RestoreScope;

/**
 * How to restore: the typed confirmation (checked against the target host's production flag), whether
 * to take a safety backup of whatever exists before overwriting it (on by default), what to bring back,
 * onto which host (null: the point's own; another: a staging clone), and whether what can be is restored
 * beside the live data and swapped in (ADR 25; on by default) or everything in place after a safety backup.
 */
public record RestoreOptions(String confirmation, boolean safetyBackup, RestoreScope scope, String targetHost, boolean beside) {
    public RestoreOptions {
        scope = scope == null ? RestoreScope.ALL : scope;
    }

    public RestoreOptions(String confirmation, boolean safetyBackup, RestoreScope scope, String targetHost) {
        this(confirmation, safetyBackup, scope, targetHost, true);
    }

    /** These options, restoring everything in place (a safety backup first, unless it was turned off). */
    public RestoreOptions inPlace() {
        return new RestoreOptions(confirmation, safetyBackup, scope, targetHost, false);
    }

    public RestoreOptions(String confirmation, boolean safetyBackup, RestoreScope scope) {
        this(confirmation, safetyBackup, scope, null);
    }

    public RestoreOptions(String confirmation, boolean safetyBackup) {
        this(confirmation, safetyBackup, RestoreScope.ALL, null);
    }

    public static RestoreOptions defaults() {
        return new RestoreOptions(null, true, RestoreScope.ALL, null);
    }
}
