package dev.lifeboat.core.restore;

/**
 * How to restore: the typed confirmation (checked against production hosts), and whether to take a
 * safety backup of whatever exists before overwriting it (on by default).
 */
public record RestoreOptions(String confirmation, boolean safetyBackup) {
    public static RestoreOptions defaults() {
        return new RestoreOptions(null, true);
    }
}
