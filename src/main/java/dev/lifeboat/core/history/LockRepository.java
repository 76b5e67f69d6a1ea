package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What runs hold on a stack while they work: the stack's lock (one backup, restore or drill at a time,
 * across processes and machines sharing the history) and the containers a run has stopped.
 */
public final class LockRepository {
    private final Sql sql;

    LockRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * Takes the stack's lock for {@code owner} (a run id) unless a live process holds it. A lock left by
     * a process that is gone is taken over. Returns the current holder's description when refused.
     */
    public Optional<String> tryLock(String host, String stack, String owner) {
        record Held(String owner, long pid, Instant since, String machine) {
        }
        // one statement after the other under the history's monitor, but no transaction: on PostgreSQL a
        // failed insert would abort it, and the insert's key conflict is how a race with another process ends
        synchronized (sql) {
            List<Held> held = sql.query("SELECT owner, pid, since, machine FROM stack_lock WHERE host = ? AND stack = ?",
                    rs -> new Held(rs.getString(1), rs.getLong(2), Sql.instant(rs, 3), rs.getString(4)), host, stack);
            if (!held.isEmpty()) {
                Held h = held.get(0);
                boolean here = h.machine() == null || h.machine().equals(sql.machine());
                // a process on another machine cannot be looked at from here: its lock holds until that machine
                // releases it, or its Lifeboat finds the process gone (ADR 22)
                boolean alive = !here || ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false);
                if (alive) {
                    return Optional.of((h.owner().contains(" ") ? h.owner() : "run " + h.owner()) + " of process " + h.pid()
                            + (here ? "" : " on " + h.machine()) + " since " + Sql.ts(h.since()));
                }
                sql.update("DELETE FROM stack_lock WHERE host = ? AND stack = ? AND owner = ?", host, stack, h.owner());
            }
            try {
                sql.update("INSERT INTO stack_lock(host, stack, owner, pid, since, machine) VALUES (?,?,?,?,?,?)",
                        host, stack, owner, ProcessHandle.current().pid(), sql.now(), sql.machine());
                return Optional.empty();
            } catch (LifeboatException e) {
                if (Sql.isDuplicateKey(e)) {
                    return Optional.of("another run that took it a moment ago");
                }
                throw e;
            }
        }
    }

    /** The stack's lock, if a run holds one (alive or not). */
    public Optional<StackLock> of(String host, String stack) {
        return sql.query("SELECT owner, pid, machine, since FROM stack_lock WHERE host = ? AND stack = ?",
                rs -> new StackLock(rs.getString(1), rs.getLong(2), rs.getString(3) == null ? sql.machine() : rs.getString(3),
                        Sql.instant(rs, 4)), host, stack).stream().findFirst();
    }

    public void unlock(String host, String stack, String owner) {
        sql.update("DELETE FROM stack_lock WHERE host = ? AND stack = ? AND owner = ?", host, stack, owner);
    }

    /**
     * Runs {@code work} holding the stack's lock, as {@code what} ("backup", "restore", ...): one of them at a
     * time per stack, across processes. When another holds it, {@code busy} makes the exception to throw
     * from a description of the holder ("restore 1f2e… of process 4242 since …").
     */
    public <T> T withStackLock(String host, String stack, String what, Function<String, ? extends RuntimeException> busy,
                               Supplier<T> work) {
        String owner = what + " " + UUID.randomUUID();
        Optional<String> holder = tryLock(host, stack, owner);
        if (holder.isPresent()) {
            throw busy.apply(holder.get());
        }
        try {
            return work.get();
        } finally {
            // a cancel interrupts the worker; the history's file I/O must not see the flag
            boolean interrupted = Thread.interrupted();
            unlock(host, stack, owner);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Records that a run is about to stop {@code container}, durably: H2 writes committed rows to disk a
     * moment later, and a process killed in that moment (kill -9 right after the stop) would leave a
     * stopped container nobody knows to start again. So the record is synced to disk before it returns.
     */
    public void holdContainer(String host, String container, String runId) {
        synchronized (sql) {
            sql.upsert("held_container", 2, List.of("host", "container", "run_id", "held_at"), host, container, runId, sql.now());
            if (sql.h2()) {
                sql.update("CHECKPOINT SYNC"); // on disk before the container is stopped; a server's commit already is
            }
        }
    }

    public void releaseContainer(String host, String container) {
        sql.update("DELETE FROM held_container WHERE host = ? AND container = ?", host, container);
    }

    /** The status of the run holding a stopped container. */
    public Optional<String> holdingRunStatus(String host, String container) {
        return sql.query("SELECT r.status FROM held_container h JOIN run r ON r.id = h.run_id WHERE h.host = ? AND h.container = ?",
                rs -> rs.getString(1), host, container).stream().findFirst();
    }

    /** The containers runs have stopped on a host and not yet started again, oldest first. */
    public List<String> heldContainers(String host) {
        return sql.query("SELECT container FROM held_container WHERE host = ? ORDER BY held_at", rs -> rs.getString(1), host);
    }
}
