package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.model.RetentionPolicy;
import dev.lifeboat.core.model.StackSettings;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Backup plans, the schedule slots their jobs ran for, and each stack's targets and restore-test settings. */
public final class PlanRepository {
    private final Sql sql;

    PlanRepository(Sql sql) {
        this.sql = sql;
    }

    public void save(BackupPlan p) {
        sql.upsert("plan", 1, List.of("name", "host", "stack", "destination", "copies", "keep_hourly", "keep_daily", "keep_weekly",
                        "keep_monthly", "keep_yearly", "backup_cron", "verify_cron", "restore_test", "prune_cron", "zone", "assets",
                        "created_at"), p.name(), p.host(), p.stack(), p.destination(),
                p.copies().isEmpty() ? null : String.join(",", p.copies()), p.retention().hourly(), p.retention().daily(),
                p.retention().weekly(), p.retention().monthly(), p.retention().yearly(), p.backupCron(), p.verifyCron(),
                p.restoreTest(), p.pruneCron(), p.zone(), p.assets().isEmpty() ? null : String.join(",", p.assets()), sql.now());
    }

    public List<BackupPlan> all() {
        return sql.query("SELECT name, host, stack, destination, copies, keep_hourly, keep_daily, keep_weekly, keep_monthly, "
                + "keep_yearly, backup_cron, verify_cron, restore_test, prune_cron, zone, assets FROM plan ORDER BY name", rs ->
                new BackupPlan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5) == null ? List.of() : List.of(rs.getString(5).split(",")),
                        new RetentionPolicy(rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10)),
                        rs.getString(11), rs.getString(12), rs.getBoolean(13), rs.getString(14),
                        rs.getString(15), rs.getString(16) == null ? List.of() : List.of(rs.getString(16).split(","))));
    }

    /** Removes a plan and its schedule state; false when there was no such plan. */
    public boolean remove(String name) {
        return sql.inTransaction(() -> {
            sql.update("DELETE FROM schedule_state WHERE plan = ?", name);
            return sql.update("DELETE FROM plan WHERE name = ?", name) > 0;
        });
    }

    /** The schedule slot a plan's job last ran for. */
    public Optional<Instant> lastSlot(String plan, String job) {
        return sql.query("SELECT last_slot FROM schedule_state WHERE plan = ? AND job = ?",
                rs -> Sql.instant(rs, 1), plan, job).stream().findFirst();
    }

    /**
     * Claims a plan job's slot for this process: moves the job's last slot from {@code ranFor} (null: it
     * never ran) to {@code slot} in one statement, so of several agents sharing the history exactly one
     * wins it and runs the job; the others get false and skip it.
     */
    public boolean claimSlot(String plan, String job, Instant ranFor, Instant slot) {
        OffsetDateTime to = Sql.ts(slot);
        if (ranFor != null) {
            return sql.update("UPDATE schedule_state SET last_slot = ? WHERE plan = ? AND job = ? AND last_slot = ?", to, plan,
                    job, Sql.ts(ranFor)) == 1;
        }
        try {
            return sql.update("INSERT INTO schedule_state(plan, job, last_slot) VALUES (?,?,?)", plan, job, to) == 1;
        } catch (LifeboatException e) {
            if (Sql.isDuplicateKey(e)) {
                return false; // another agent claimed the first slot a moment ago
            }
            throw e;
        }
    }

    public void setLastSlot(String plan, String job, Instant slot) {
        sql.upsert("schedule_state", 2, List.of("plan", "job", "last_slot"), plan, job, Sql.ts(slot));
    }

    /** A stack's targets and restore-test settings; the defaults (RTO 1 h, RPO 24 h) when none were set. */
    public StackSettings settings(String host, String stack) {
        return sql.query("SELECT rto_seconds, rpo_seconds, row_tolerance_pct, table_tolerances, freshness, probe, "
                + "drill_interval_days, safety_retention_seconds, kept_retention_seconds FROM stack_settings WHERE host = ? AND stack = ?",
                rs -> {
                    Map<String, Double> tol = new LinkedHashMap<>();
                    StackSettings.pairs(rs.getString(4)).forEach((k, v) -> tol.put(k, Double.parseDouble(v)));
                    Map<String, Duration> fresh = new LinkedHashMap<>();
                    StackSettings.pairs(rs.getString(5)).forEach((k, v) -> fresh.put(k, Duration.ofSeconds(Long.parseLong(v))));
                    return new StackSettings(host, stack, Duration.ofSeconds(rs.getLong(1)), Duration.ofSeconds(rs.getLong(2)),
                            rs.getDouble(3), tol, fresh, rs.getString(6), rs.getInt(7),
                            rs.getObject(8) == null ? StackSettings.DEFAULT_SAFETY_RETENTION : Duration.ofSeconds(rs.getLong(8)),
                            rs.getObject(9) == null ? StackSettings.DEFAULT_KEPT_RETENTION : Duration.ofSeconds(rs.getLong(9)));
                }, host, stack).stream().findFirst().orElse(StackSettings.defaults(host, stack));
    }

    public void saveSettings(StackSettings s) {
        sql.upsert("stack_settings", 2, List.of("host", "stack", "rto_seconds", "rpo_seconds", "row_tolerance_pct",
                        "table_tolerances", "freshness", "probe", "drill_interval_days", "safety_retention_seconds",
                        "kept_retention_seconds"),
                s.host(), s.stack(), s.rto().getSeconds(), s.rpo().getSeconds(), s.rowTolerancePct(),
                join(s.tableTolerances(), Object::toString), join(s.freshness(), d -> Long.toString(d.getSeconds())),
                s.probe(), s.drillIntervalDays(), s.safetyRetention().getSeconds(), s.keptRetention().getSeconds());
    }

    private static <V> String join(Map<String, V> m, Function<V, String> f) {
        return m.isEmpty() ? null : m.entrySet().stream().map(e -> e.getKey() + "=" + f.apply(e.getValue()))
                .collect(Collectors.joining(","));
    }
}
