package dev.lifeboat.core.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Point-in-time recovery: the assets that ship their WAL, and every WAL file shipped (ADR 24). */
public final class PitrRepository {
    private static final String CONFIG = "host, stack, asset, destination, slot, switch_seconds, alert_lag_seconds, enabled_at, enabled_by";
    private static final String FILE = "host, stack, asset, destination, name, plain_bytes, stored_bytes, plain_sha256, "
            + "stored_sha256, shipped_at";
    private final Sql sql;

    PitrRepository(Sql sql) {
        this.sql = sql;
    }

    public void enable(PitrConfig c) {
        sql.upsert("pitr", 3, List.of("host", "stack", "asset", "destination", "slot", "switch_seconds", "alert_lag_seconds",
                        "enabled_at", "enabled_by"), c.host(), c.stack(), c.asset(), c.destination(), c.slot(), c.switchSeconds(),
                c.alertLagSeconds(), Sql.ts(c.enabledAt()), c.enabledBy());
    }

    /** Stops recording an asset as shipping; its shipped files stay listed. False when it was not enabled. */
    public boolean disable(String host, String stack, String asset) {
        return sql.update("DELETE FROM pitr WHERE host = ? AND stack = ? AND asset = ?", host, stack, asset) > 0;
    }

    /** Every asset that ships its WAL. */
    public List<PitrConfig> all() {
        return sql.query("SELECT " + CONFIG + " FROM pitr ORDER BY host, stack, asset", PitrRepository::config);
    }

    /** The assets of a stack that ship their WAL. */
    public List<PitrConfig> of(String host, String stack) {
        return sql.query("SELECT " + CONFIG + " FROM pitr WHERE host = ? AND stack = ? ORDER BY asset", PitrRepository::config,
                host, stack);
    }

    /** How shipping stands after a pass: since when WAL waits unshipped (null: nothing waits), and when it looked. */
    public record Progress(PitrConfig config, Instant pendingSince, Instant checkedAt, Instant newestShippedAt) {
        /** The age of the oldest WAL not yet shipped at the last pass; zero when all was shipped. */
        public java.time.Duration lag(Instant now) {
            if (pendingSince == null) {
                return java.time.Duration.ZERO;
            }
            Instant since = newestShippedAt != null && newestShippedAt.isAfter(pendingSince) ? newestShippedAt : pendingSince;
            return java.time.Duration.between(since, now).isNegative() ? java.time.Duration.ZERO
                    : java.time.Duration.between(since, now);
        }
    }

    /** Records a pass: WAL waiting unshipped or not, keeping the first moment it was seen waiting. */
    public void checked(PitrConfig c, boolean pending, Instant at) {
        sql.update("UPDATE pitr SET checked_at = ?, pending_since = CASE WHEN ? THEN COALESCE(pending_since, ?) ELSE NULL END"
                + " WHERE host = ? AND stack = ? AND asset = ?", Sql.ts(at), pending, Sql.ts(at), c.host(), c.stack(), c.asset());
    }

    /** How shipping stands for every asset that ships its WAL. */
    public List<Progress> progress() {
        return sql.query("SELECT " + CONFIG + ", pending_since, checked_at, (SELECT MAX(f.shipped_at) FROM wal_file f WHERE f.host = p.host AND f.stack = p.stack"
                + " AND f.asset = p.asset) FROM pitr p ORDER BY p.host, p.stack, p.asset",
                rs -> new Progress(config(rs), Sql.instant(rs, 10), Sql.instant(rs, 11), Sql.instant(rs, 12)));
    }

    /** Records a WAL file once it is durable at the destination (again, if it was shipped twice). */
    public void shipped(WalFile f) {
        sql.upsert("wal_file", 5, List.of("host", "stack", "asset", "destination", "name", "plain_bytes", "stored_bytes",
                        "plain_sha256", "stored_sha256", "shipped_at"), f.host(), f.stack(), f.asset(), f.destination(), f.name(),
                f.plainBytes(), f.storedBytes(), f.plainSha256(), f.storedSha256(), Sql.ts(f.shippedAt()));
    }

    /** Forgets a WAL file that prune removed from its destination. */
    public void forget(WalFile f) {
        sql.update("DELETE FROM wal_file WHERE host = ? AND stack = ? AND asset = ? AND destination = ? AND name = ?",
                f.host(), f.stack(), f.asset(), f.destination(), f.name());
    }

    /** The WAL files of an asset at a destination, by name (which is WAL order within a timeline). */
    public List<WalFile> files(String host, String stack, String asset, String destination) {
        return sql.query("SELECT " + FILE + " FROM wal_file WHERE host = ? AND stack = ? AND asset = ? AND destination = ? "
                + "ORDER BY name", PitrRepository::file, host, stack, asset, destination);
    }

    /** The asset's newest WAL segment at a destination (by WAL order, timeline histories aside), if any. */
    public Optional<WalFile> newestSegment(String host, String stack, String asset, String destination) {
        return sql.query("SELECT " + FILE + " FROM wal_file WHERE host = ? AND stack = ? AND asset = ? AND destination = ? "
                + "AND name NOT LIKE '%.history' ORDER BY name DESC LIMIT 1", PitrRepository::file, host, stack, asset, destination)
                .stream().findFirst();
    }

    /** The WAL file shipped last for an asset, if any. */
    public Optional<WalFile> newest(String host, String stack, String asset) {
        return sql.query("SELECT " + FILE + " FROM wal_file WHERE host = ? AND stack = ? AND asset = ? "
                + "ORDER BY shipped_at DESC, name DESC LIMIT 1", PitrRepository::file, host, stack, asset).stream().findFirst();
    }

    /** Plain bytes of WAL shipped for an asset since {@code since}. */
    public long bytesSince(String host, String stack, String asset, Instant since) {
        return sql.query("SELECT COALESCE(SUM(plain_bytes), 0) FROM wal_file WHERE host = ? AND stack = ? AND asset = ? "
                + "AND shipped_at >= ?", rs -> rs.getLong(1), host, stack, asset, Sql.ts(since)).get(0);
    }

    /** A base backup of an asset: the point holding it, the segment its WAL starts at, and when it ended. */
    public record Base(String pointId, String asset, String startWal, Instant endedAt) {
    }

    /** Records a base backup taken with a point (again, when the point is copied). */
    public void recordBase(String host, String stack, Base b) {
        sql.upsert("pitr_base", 2, List.of("point_id", "asset", "host", "stack", "start_wal", "ended_at"), b.pointId(), b.asset(),
                host, stack, b.startWal(), Sql.ts(b.endedAt()));
    }

    /** The base backups of an asset whose points some destination still holds, oldest first. */
    public List<Base> bases(String host, String stack, String asset) {
        return sql.query("SELECT point_id, asset, start_wal, ended_at FROM pitr_base b WHERE host = ? AND stack = ? AND asset = ?"
                        + " AND EXISTS (SELECT 1 FROM recovery_point p WHERE p.id = b.point_id) ORDER BY ended_at, point_id",
                rs -> new Base(rs.getString(1), rs.getString(2), rs.getString(3), Sql.instant(rs, 4)), host, stack, asset);
    }

    private static PitrConfig config(ResultSet rs) throws SQLException {
        return new PitrConfig(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getInt(6), rs.getInt(7), Sql.instant(rs, 8), rs.getString(9));
    }

    private static WalFile file(ResultSet rs) throws SQLException {
        return new WalFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                rs.getLong(7), rs.getString(8), rs.getString(9), Sql.instant(rs, 10));
    }
}
