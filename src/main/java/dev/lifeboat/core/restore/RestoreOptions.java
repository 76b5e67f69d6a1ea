package dev.lifeboat.core.restore;

/**
 * How to restore: the typed confirmation (checked against production hosts), whether to take a
 * safety backup of whatever exists before overwriting it (on by default), and what to bring back.
 */
public record RestoreOptions(String confirmation, boolean safetyBackup, RestoreScope scope) {
    public RestoreOptions {
        scope = scope == null ? RestoreScope.ALL : scope;
    }

    public RestoreOptions(String confirmation, boolean safetyBackup) {
        this(confirmation, safetyBackup, RestoreScope.ALL);
    }

    public static RestoreOptions defaults() {
        return new RestoreOptions(null, true, RestoreScope.ALL);
    }
}
