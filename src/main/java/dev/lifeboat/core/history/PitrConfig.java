package dev.lifeboat.core.history;

import java.time.Instant;

/**
 * A PostgreSQL asset that ships its WAL (ADR 24): to which destination, through which replication slot,
 * and how long a segment may stay open before the server is asked to switch to the next one (the lag a
 * quiet database would otherwise reach), and the lag above which an alert fires.
 */
public record PitrConfig(String host, String stack, String asset, String destination, String slot, int switchSeconds,
                         int alertLagSeconds, Instant enabledAt, String enabledBy) {
    /** The database's container: the asset is {@code postgres:CONTAINER}. */
    public String container() {
        return asset.substring(asset.indexOf(':') + 1);
    }
}
