package dev.lifeboat.core.history;

import dev.lifeboat.core.Machine;

/**
 * A registered destination: where it is and which key file opens it (the path only, never the key).
 * An {@code appendOnly} destination is never pruned or rewritten by this machine unless this machine is
 * its {@code owner} (a machine name, see {@link Machine}; null: no machine prunes it).
 */
public record DestinationRecord(String name, String kind, String location, String keyFile, String keyId,
                                boolean appendOnly, String owner) {
    public DestinationRecord(String name, String kind, String location, String keyFile, String keyId) {
        this(name, kind, location, keyFile, keyId, false, null);
    }

    /** These settings with the append-only policy. */
    public DestinationRecord withAppendOnly(boolean appendOnly, String owner) {
        return new DestinationRecord(name, kind, location, keyFile, keyId, appendOnly, owner);
    }

    /** Whether this machine may delete or rewrite what the destination holds. */
    public boolean removableHere() {
        return !appendOnly || (owner != null && owner.equals(Machine.name()));
    }

    /** Why this machine may not delete or rewrite at the destination (when {@link #removableHere} is false). */
    public String appendOnlyReason() {
        return "destination " + name + " is append-only: " + (owner == null ? "no machine prunes or rewrites it"
                : "only its owner " + owner + " prunes or rewrites it") + " (this machine is " + Machine.name() + ")";
    }
}
