package dev.lifeboat.core.restore;

import dev.lifeboat.core.asset.RestoreScope;

/**
 * How to restore: the typed confirmation (checked against the target host's production flag), whether
 * to take a safety backup of whatever exists before overwriting it (on by default), what to bring back,
 * and onto which host (null: the point's own; another: a staging clone).
 */
public record RestoreOptions(String confirmation, boolean safetyBackup, RestoreScope scope, String targetHost) {
    public RestoreOptions {
        scope = scope == null ? RestoreScope.ALL : scope;
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
