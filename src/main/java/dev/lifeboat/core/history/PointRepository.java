package dev.lifeboat.core.history;

import dev.lifeboat.core.model.RecoveryPoint;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The recovery points each destination holds, with their manifests' hashes, and the holds against prune. */
public final class PointRepository {
    private static final String COLUMNS = "id, host, stack, destination, created_at, location, stored_bytes, kind";
    private final Sql sql;

    PointRepository(Sql sql) {
        this.sql = sql;
    }

    public void record(RecoveryPoint p, String manifestSha256) {
        sql.upsert("recovery_point", 2, List.of("id", "destination", "host", "stack", "kind", "created_at", "location",
                        "stored_bytes", "manifest_sha256"),
                p.id(), p.destination(), p.host(), p.stack(), p.kind(), Sql.ts(p.createdAt()), p.location(),
                p.storedBytes(), manifestSha256);
    }

    /** Points, oldest first; {@code host} and {@code stack} may be null for all. */
    public List<RecoveryPoint> of(String host, String stack) {
        return sql.query("SELECT " + COLUMNS + " FROM recovery_point WHERE (CAST(? AS VARCHAR(128)) IS NULL OR host = ?) "
                        + "AND (CAST(? AS VARCHAR(128)) IS NULL OR stack = ?) ORDER BY created_at, id",
                PointRepository::row, host, host, stack, stack);
    }

    /** The point with this id at every destination that holds it (the primary and its copies). */
    public List<RecoveryPoint> withId(String id) {
        return sql.query("SELECT " + COLUMNS + " FROM recovery_point WHERE id = ? ORDER BY destination", PointRepository::row, id);
    }

    public Optional<String> manifestSha256(String id, String destination) {
        return sql.query("SELECT manifest_sha256 FROM recovery_point WHERE id = ? AND destination = ?",
                rs -> rs.getString(1), id, destination).stream().findFirst();
    }

    public void forget(String id, String destination) {
        sql.update("DELETE FROM recovery_point WHERE id = ? AND destination = ?", id, destination);
    }

    /** Points that a verify, restore or drill still running is reading; prune never deletes them. */
    public Set<String> inUse() {
        return new HashSet<>(sql.query("SELECT DISTINCT point_id FROM run WHERE status = 'running' "
                + "AND kind IN ('verify', 'restore', 'drill') AND point_id IS NOT NULL", rs -> rs.getString(1)));
    }

    /** Holds a point against prune (no change if it is held already). */
    public void hold(String pointId, String host, String stack, String reason, String by) {
        sql.inTransaction(() -> {
            if (sql.query("SELECT 1 FROM point_hold WHERE point_id = ? AND released_at IS NULL", rs -> 1, pointId).isEmpty()) {
                sql.upsert("point_hold", 1, List.of("point_id", "host", "stack", "reason", "held_at", "held_by", "released_at",
                        "released_by"), pointId, host, stack, Sql.truncate(reason), sql.now(), by, null, null);
            }
            return null;
        });
    }

    /**
     * Holds a point an alert made suspicious, and the newest point of its stack taken before it (the last
     * one known before whatever happened), unless they are held already.
     */
    void holdSuspect(String pointId, String why) {
        record Found(String host, String stack, Instant first) {
        }
        List<Found> found = sql.query("SELECT host, stack, MIN(created_at) FROM recovery_point WHERE id = ? GROUP BY host, stack",
                rs -> new Found(rs.getString(1), rs.getString(2), Sql.instant(rs, 3)), pointId);
        if (found.isEmpty()) {
            return; // not a point this history knows
        }
        Found f = found.get(0);
        hold(pointId, f.host(), f.stack(), "suspicious: " + why, "alert");
        sql.query("SELECT id FROM recovery_point WHERE host = ? AND stack = ? AND kind <> 'safety' AND created_at < ? "
                        + "ORDER BY created_at DESC LIMIT 1", rs -> rs.getString(1), f.host(), f.stack(), Sql.ts(f.first()))
                .forEach(before -> hold(before, f.host(), f.stack(), "the last point before suspicious point " + pointId, "alert"));
    }

    /** Releases a held point; false when it was not held. */
    public boolean release(String pointId, String by) {
        return sql.update("UPDATE point_hold SET released_at = ?, released_by = ? WHERE point_id = ? AND released_at IS NULL",
                sql.now(), by, pointId) > 0;
    }

    /** The points held now, newest hold first. */
    public List<PointHold> holds() {
        return sql.query("SELECT point_id, host, stack, reason, held_at, held_by FROM point_hold WHERE released_at IS NULL "
                + "ORDER BY held_at DESC", rs -> new PointHold(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), Sql.instant(rs, 5), rs.getString(6)));
    }

    private static RecoveryPoint row(ResultSet rs) throws SQLException {
        return new RecoveryPoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Sql.instant(rs, 5),
                rs.getString(6), rs.getLong(7), rs.getString(8));
    }
}
