package dev.lifeboat.core.history;

import dev.lifeboat.core.model.Alert;
import dev.lifeboat.core.model.AlertChannel;
import dev.lifeboat.core.model.Finding;
import dev.lifeboat.core.model.StackSettings;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Alerts with their states, the channels they go to, and each delivery's outcome. */
public final class AlertRepository {
    private static final String COLUMNS = "id, akey, kind, host, stack, title, message, state, created_at, resolved_at";
    private final Sql sql;
    private final PointRepository points;

    AlertRepository(Sql sql, PointRepository points) {
        this.sql = sql;
        this.points = points;
    }

    /** Alerts not resolved (open or acknowledged). */
    public List<Alert> active() {
        return sql.query("SELECT " + COLUMNS + " FROM alert WHERE state <> 'resolved' ORDER BY created_at", AlertRepository::row);
    }

    /** The newest alerts first, in any state. */
    public List<Alert> recent(int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM alert ORDER BY created_at DESC LIMIT ?", AlertRepository::row, limit);
    }

    /** Whether an alert with this key was ever raised (one-off findings such as a failed run are raised once). */
    public boolean keyKnown(String key) {
        return !sql.query("SELECT id FROM alert WHERE akey = ?", rs -> rs.getLong(1), key).isEmpty();
    }

    /** Raises the finding unless an alert with its key is still open; returns whether it raised one. */
    public boolean raiseUnlessOpen(Finding f) {
        return sql.inTransaction(() -> {
            if (!sql.query("SELECT id FROM alert WHERE akey = ? AND state <> 'resolved'", rs -> rs.getLong(1), f.key()).isEmpty()) {
                return false;
            }
            raise(f);
            return true;
        });
    }

    /** Raises an alert; a finding that names a suspect point holds it (and the point before it) against prune. */
    public long raise(Finding f) {
        return sql.inTransaction(() -> {
            // the id of this insert, not the newest alert with the key: other processes raise alerts too
            long id = sql.insertReturningId("INSERT INTO alert(akey, kind, host, stack, title, message, state, created_at) "
                    + "VALUES (?,?,?,?,?,?,?,?)", f.key(), f.kind(), f.host(), f.stack(), Sql.truncate(f.title()),
                    Sql.truncate(f.message()), "open", sql.now());
            if (f.suspect() != null) {
                points.holdSuspect(f.suspect(), "alert " + id + ": " + f.title());
            }
            return id;
        });
    }

    /** Sets an alert's state; false when there is no alert with this id. */
    public boolean setState(long id, String state) {
        return sql.update("UPDATE alert SET state = ?, resolved_at = CASE WHEN ? = 'resolved' THEN ? ELSE resolved_at END "
                + "WHERE id = ?", state, state, sql.now(), id) > 0;
    }

    public void saveChannel(AlertChannel c) {
        sql.upsert("alert_channel", 1, List.of("name", "kind", "target", "options"), c.name(), c.kind(), c.target(),
                c.options().isEmpty() ? null : c.options().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",")));
    }

    public List<AlertChannel> channels() {
        return sql.query("SELECT name, kind, target, options FROM alert_channel ORDER BY name",
                rs -> new AlertChannel(rs.getString(1), rs.getString(2), rs.getString(3), StackSettings.pairs(rs.getString(4))));
    }

    /** An alert's deliveries by channel name. */
    public Map<String, Delivery> deliveries(long alertId) {
        Map<String, Delivery> m = new LinkedHashMap<>();
        sql.query("SELECT channel, status, attempts, last_error FROM alert_delivery WHERE alert_id = ? ORDER BY channel",
                rs -> new Delivery(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)), alertId)
                .forEach(d -> m.put(d.channel(), d));
        return m;
    }

    public void recordDelivery(long alertId, String channel, String status, int attempts, String error) {
        sql.upsert("alert_delivery", 2, List.of("alert_id", "channel", "status", "attempts", "last_error", "updated_at"),
                alertId, channel, status, attempts, Sql.truncate(error), sql.now());
    }

    private static Alert row(ResultSet rs) throws SQLException {
        return new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), Sql.instant(rs, 9), Sql.instant(rs, 10));
    }
}
