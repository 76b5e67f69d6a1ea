package dev.lifeboat.core.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The data restores replaced and kept on the host (ADR 25), with their retention. */
public final class SafetyCopyRepository {
    private static final String COLUMNS = "id, host, stack, run_id, point_id, kind, asset, location, item, image, description, kept_at, expires_at, "
            + "released_at, released_by";
    private final Sql sql;

    SafetyCopyRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * One kept copy: {@code location} (a volume, a container) and {@code item} (a directory at the volume's root,
     * a database) say where it is, {@code description} in words.
     */
    public record Kept(String id, String host, String stack, String runId, String pointId, String kind, String asset,
                       String location, String item, String image, String description, Instant keptAt, Instant expiresAt,
                       Instant releasedAt, String releasedBy) {
        public boolean released() {
            return releasedAt != null;
        }
    }

    public void record(Kept k) {
        sql.update("INSERT INTO safety_copy (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", k.id(), k.host(),
                k.stack(), k.runId(), k.pointId(), k.kind(), k.asset(), k.location(), k.item(), k.image(), k.description(),
                Sql.ts(k.keptAt()),
                Sql.ts(k.expiresAt()), k.releasedAt() == null ? null : Sql.ts(k.releasedAt()), k.releasedBy());
    }

    /** A stack's copies still on the host, newest first. */
    public List<Kept> held(String host, String stack) {
        return sql.query("SELECT " + COLUMNS + " FROM safety_copy WHERE host = ? AND stack = ? AND released_at IS NULL"
                + " ORDER BY kept_at DESC, id", SafetyCopyRepository::kept, host, stack);
    }

    /** Every copy still on a host whose retention ended at {@code now}. */
    public List<Kept> due(Instant now) {
        return sql.query("SELECT " + COLUMNS + " FROM safety_copy WHERE released_at IS NULL AND expires_at <= ? ORDER BY expires_at, id",
                SafetyCopyRepository::kept, Sql.ts(now));
    }

    public Optional<Kept> find(String id) {
        return sql.query("SELECT " + COLUMNS + " FROM safety_copy WHERE id = ?", SafetyCopyRepository::kept, id).stream().findFirst();
    }

    /** Marks a copy removed from its host; false when it was released already (by another process, say). */
    public boolean released(String id, Instant at, String by) {
        return sql.update("UPDATE safety_copy SET released_at = ?, released_by = ? WHERE id = ? AND released_at IS NULL",
                Sql.ts(at), by, id) > 0;
    }

    private static Kept kept(ResultSet rs) throws SQLException {
        return new Kept(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), Sql.instant(rs, 12),
                Sql.instant(rs, 13), Sql.instant(rs, 14), rs.getString(15));
    }
}
