package dev.lifeboat.core.history;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** The proof that points restore: restore tests in a sandbox and DR drills with their measured RTO and RPO. */
public final class ProofRepository {
    private static final String BY_STACK = "WHERE (CAST(? AS VARCHAR(128)) IS NULL OR host = ?) "
            + "AND (CAST(? AS VARCHAR(128)) IS NULL OR stack = ?)";
    private final Sql sql;

    ProofRepository(Sql sql) {
        this.sql = sql;
    }

    public void recordRestoreTest(RestoreTestRecord r) {
        sql.update("INSERT INTO restore_test(run_id, point_id, host, stack, sandbox_host, at, duration_ms, ok, checks) "
                        + "VALUES (?,?,?,?,?,?,?,?,?)", r.runId(), r.pointId(), r.host(), r.stack(), r.sandboxHost(), r.at(),
                r.durationMs(), r.ok(), r.checksJson());
    }

    /** Restore tests, newest first; host and stack may be null for all. */
    public List<RestoreTestRecord> restoreTests(String host, String stack) {
        return sql.query("SELECT run_id, point_id, host, stack, sandbox_host, at, duration_ms, ok, checks FROM restore_test "
                        + BY_STACK + " ORDER BY at DESC",
                rs -> new RestoreTestRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, OffsetDateTime.class), rs.getLong(7), rs.getBoolean(8),
                        rs.getString(9)), host, host, stack, stack);
    }

    public void recordDrill(DrillRecord d) {
        sql.update("INSERT INTO drill(id, host, stack, scenario, mode, actor, started_at, point_id, point_taken_at, rto_ms, "
                        + "rpo_ms, rto_target_ms, rpo_target_ms, ok, phases, checks, notes, next_due) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", d.id(), d.host(), d.stack(), d.scenario(), d.mode(),
                d.actor(), d.startedAt(), d.pointId(), d.pointTakenAt(), d.rtoMs(), d.rpoMs(), d.rtoTargetMs(),
                d.rpoTargetMs(), d.ok(), d.phasesJson(), d.checksJson(), d.notes(), d.nextDue());
    }

    /** Notes and issues found, and the next due date, added after a drill. */
    public void annotateDrill(String id, String notes, LocalDate nextDue) {
        sql.update("UPDATE drill SET notes = ?, next_due = ? WHERE id = ?", Sql.truncate(notes), nextDue, id);
    }

    /** Drills, newest first; host and stack may be null for all. */
    public List<DrillRecord> drills(String host, String stack) {
        return sql.query("SELECT id, host, stack, scenario, mode, actor, started_at, point_id, point_taken_at, rto_ms, rpo_ms, "
                        + "rto_target_ms, rpo_target_ms, ok, phases, checks, notes, next_due FROM drill " + BY_STACK
                        + " ORDER BY started_at DESC",
                rs -> new DrillRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getObject(7, OffsetDateTime.class), rs.getString(8),
                        rs.getObject(9, OffsetDateTime.class), (Long) rs.getObject(10), (Long) rs.getObject(11),
                        rs.getLong(12), rs.getLong(13), rs.getBoolean(14), rs.getString(15), rs.getString(16),
                        rs.getString(17), rs.getObject(18, LocalDate.class)), host, host, stack, stack);
    }
}
