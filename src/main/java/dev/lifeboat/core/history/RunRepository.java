package dev.lifeboat.core.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Runs (backups, verifies, restores, tests, drills...) with their steps, and the audit log beside them. */
public final class RunRepository {
    private static final String COLUMNS = "id, kind, host, stack, point_id, destination, actor, started_at, finished_at, "
            + "status, message";
    private final Sql sql;

    RunRepository(Sql sql) {
        this.sql = sql;
    }

    /** Records a run as running, in this process on this machine; returns its id. */
    public String start(String kind, String host, String stack, String pointId, String destination, String actor) {
        String id = UUID.randomUUID().toString();
        sql.update("INSERT INTO run(id, kind, host, stack, point_id, destination, actor, started_at, status, pid, machine) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?)", id, kind, host, stack, pointId, destination, actor, sql.now(), "running",
                ProcessHandle.current().pid(), sql.machine());
        return id;
    }

    /** Ends a run with its steps, all or nothing: a run is never finished without the steps it recorded. */
    public void finish(String runId, String status, String message, String pointId, List<RunStep> steps) {
        sql.inTransaction(() -> {
            sql.update("UPDATE run SET finished_at = ?, status = ?, message = ?, point_id = COALESCE(?, point_id) WHERE id = ?",
                    sql.now(), status, Sql.truncate(message), pointId, runId);
            int seq = 0;
            for (RunStep s : steps) {
                sql.update("INSERT INTO run_step(run_id, seq, name, duration_ms, bytes, status, detail) VALUES (?,?,?,?,?,?,?)",
                        runId, seq++, s.name(), s.durationMs(), s.bytes(), s.status(), Sql.truncate(s.detail()));
            }
            return null;
        });
    }

    /** Records a run that failed before it could record itself (a job that threw inside the agent). */
    public void recordFailed(String kind, String host, String stack, String actor, String why) {
        recordEnded(kind, host, stack, actor, "failed", why);
    }

    /** Records a run that did not happen, and why ("skipped: already running"). */
    public void recordSkipped(String kind, String host, String stack, String actor, String why) {
        recordEnded(kind, host, stack, actor, "skipped", why);
    }

    private void recordEnded(String kind, String host, String stack, String actor, String status, String why) {
        sql.inTransaction(() -> {
            String id = start(kind, host, stack, null, null, actor);
            sql.update("UPDATE run SET finished_at = ?, status = ?, message = ? WHERE id = ?", sql.now(), status,
                    Sql.truncate(why), id);
            return null;
        });
    }

    /** The newest runs first. */
    public List<RunRecord> recent(int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM run ORDER BY started_at DESC LIMIT ?", RunRepository::row, limit);
    }

    /** Every run that made or read a point (backup, verify, restore test, restore, replicate), newest first. */
    public List<RunRecord> ofPoint(String pointId) {
        return sql.query("SELECT " + COLUMNS + " FROM run WHERE point_id = ? ORDER BY started_at DESC", RunRepository::row, pointId);
    }

    /** The newest run of {@code kind} on a stack. */
    public Optional<RunRecord> last(String kind, String host, String stack) {
        return sql.query("SELECT " + COLUMNS + " FROM run WHERE kind = ? AND host = ? AND stack = ? "
                + "ORDER BY started_at DESC LIMIT 1", RunRepository::row, kind, host, stack).stream().findFirst();
    }

    public List<RunStep> steps(String runId) {
        return sql.query("SELECT name, duration_ms, bytes, status, detail FROM run_step WHERE run_id = ? ORDER BY seq",
                rs -> new RunStep(rs.getString(1), rs.getLong(2), (Long) rs.getObject(3), rs.getString(4), rs.getString(5)),
                runId);
    }

    public Optional<String> status(String runId) {
        return sql.query("SELECT status FROM run WHERE id = ?", rs -> rs.getString(1), runId).stream().findFirst();
    }

    /**
     * Whether this history knows the run and it is over (finished, failed, cancelled or interrupted):
     * what such a run left on a host may be removed. An unknown id belongs to another Lifeboat sharing
     * the engine (another home), whose objects are never ours to remove.
     */
    public boolean isFinished(String runId) {
        return runId != null && status(runId).map(s -> !s.equals("running")).orElse(false);
    }

    /**
     * How long a run of {@code kind} usually takes on this stack: the median of its last five
     * successful runs, for the jobs panel's estimate. Empty before the first one.
     */
    public Optional<Duration> typicalDuration(String kind, String host, String stack) {
        List<Long> ms = sql.query("SELECT started_at, finished_at FROM run WHERE kind = ? AND host = ? "
                + "AND stack = ? AND status = 'ok' AND finished_at IS NOT NULL ORDER BY started_at DESC LIMIT 5",
                Sql::millisBetween, kind, host, stack);
        if (ms.isEmpty()) {
            return Optional.empty();
        }
        List<Long> sorted = ms.stream().sorted().toList();
        return Optional.of(Duration.ofMillis(sorted.get(sorted.size() / 2)));
    }

    /** Successful restores with the stored size of what they restored, newest first. */
    public List<PastRestore> pastRestores(int limit) {
        return sql.query("SELECT r.started_at, r.finished_at, MAX(p.stored_bytes) FROM run r "
                + "JOIN recovery_point p ON p.id = r.point_id WHERE r.kind = 'restore' AND r.status = 'ok' "
                + "GROUP BY r.id, r.started_at, r.finished_at ORDER BY r.started_at DESC LIMIT ?",
                rs -> new PastRestore(rs.getLong(3), Duration.ofMillis(Sql.millisBetween(rs))), limit);
    }

    /** Ids of points that a successful run of one of {@code kinds} (e.g. verify, restore-test) has proven. */
    public Set<String> provenPoints(String... kinds) {
        Set<String> ids = new HashSet<>();
        for (String kind : kinds) {
            ids.addAll(sql.query("SELECT DISTINCT point_id FROM run WHERE kind = ? AND status = 'ok' AND point_id IS NOT NULL",
                    rs -> rs.getString(1), kind));
        }
        return ids;
    }

    /**
     * Marks runs whose process has ended (killed, crashed) as interrupted; runs of live processes stay
     * running. Only this machine's runs: only it can tell whether its processes live.
     */
    public int markInterrupted() {
        record Running(String id, Long pid) {
        }
        return sql.inTransaction(() -> {
            List<Running> running = sql.query("SELECT id, pid FROM run WHERE status = 'running' AND (machine = ? OR machine IS NULL)",
                    rs -> new Running(rs.getString(1), (Long) rs.getObject(2)), sql.machine());
            int n = 0;
            for (Running r : running) {
                boolean alive = r.pid() != null && ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    sql.update("UPDATE run SET status = 'interrupted', finished_at = ?, message = 'the process ended before "
                            + "the run finished' WHERE id = ? AND status = 'running'", sql.now(), r.id());
                    n++;
                }
            }
            return n;
        });
    }

    public void audit(String actor, String action, String target, String detail) {
        sql.update("INSERT INTO audit_event(at, actor, action, target, detail) VALUES (?,?,?,?,?)",
                sql.now(), actor, action, target, Sql.truncate(detail));
    }

    /** Audit events, newest first. */
    public List<AuditEvent> auditEvents(int limit) {
        return sql.query("SELECT at, actor, action, target, detail FROM audit_event ORDER BY id DESC LIMIT ?",
                rs -> new AuditEvent(Sql.instant(rs, 1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                limit);
    }

    /**
     * The activity log: runs and audit events (hosts added, plans saved, restores refused, alerts
     * acknowledged...) together, newest first. An audit event is a row of status {@code audit} whose
     * kind is its action, by its actor; a {@code host/stack} target fills host and stack.
     */
    public List<RunRecord> activity(int limit) {
        List<RunRecord> all = new ArrayList<>(recent(limit));
        all.addAll(sql.query("SELECT id, at, actor, action, target, detail FROM audit_event ORDER BY id DESC LIMIT ?", rs -> {
            String target = rs.getString(5);
            String detail = rs.getString(6);
            boolean stack = target != null && target.matches("[^/\\s]+/[^/\\s]+");
            Instant at = Sql.instant(rs, 2);
            return new RunRecord("audit-" + rs.getLong(1), rs.getString(4), stack ? target.split("/")[0] : null,
                    stack ? target.split("/")[1] : null, null, null, rs.getString(3), at, at, "audit",
                    stack || target == null ? detail : target + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        }, limit));
        all.sort(Comparator.comparing(RunRecord::startedAt).reversed());
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    private static RunRecord row(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), Sql.instant(rs, 8), Sql.instant(rs, 9), rs.getString(10), rs.getString(11));
    }
}
