package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The history's one connection and the statements the repositories share: queries, updates, upserts
 * that run the same on H2 and PostgreSQL, and transactions. Every statement and every transaction holds
 * this object's monitor, so the repositories of one history can be used from several threads.
 */
final class Sql {
    private final Connection db;
    private final Clock clock;
    /** Whether the history is the embedded H2 database (else a PostgreSQL server, shared by a team). */
    private final boolean h2;
    /** The machine this process runs on, recorded with its runs and locks (team mode: several share the history). */
    private final String machine = dev.lifeboat.core.Machine.name();
    private volatile Consumer<String> beforeStatement = sql -> { };

    Sql(Connection db, Clock clock) {
        this.db = db;
        this.clock = clock;
        try {
            this.h2 = db.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2");
        } catch (SQLException e) {
            throw new LifeboatException("Cannot read the history database's kind: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    void beforeEachStatement(Consumer<String> hook) {
        beforeStatement = hook == null ? sql -> { } : hook;
    }

    boolean h2() {
        return h2;
    }

    String machine() {
        return machine;
    }

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The milliseconds between the first two columns (timestamps), computed here: the SQL for it differs by database. */
    static long millisBetween(ResultSet rs) throws SQLException {
        return java.time.Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)).toMillis();
    }

    static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    static boolean isDuplicateKey(LifeboatException e) {
        return e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }

    synchronized <T> List<T> query(String sql, Row<T> row, Object... args) {
        beforeStatement.accept(sql);
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new LifeboatException("History query failed: " + e.getMessage(), e);
        }
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it touched. */
    synchronized int update(String sql, Object... args) {
        beforeStatement.accept(sql);
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new LifeboatException("History update failed: " + e.getMessage(), e);
        }
    }

    synchronized long insertReturningId(String sql, Object... args) {
        beforeStatement.accept(sql);
        try (PreparedStatement ps = db.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, args);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new LifeboatException("History insert returned no id");
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new LifeboatException("History update failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} as one transaction (or inside the one already open on this connection), holding
     * this object's monitor: no other thread's statement runs in between.
     */
    synchronized <T> T inTransaction(Supplier<T> work) {
        try {
            if (!db.getAutoCommit()) {
                return work.get();
            }
            db.setAutoCommit(false);
            try {
                T result = work.get();
                db.commit();
                return result;
            } catch (RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new LifeboatException("History transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts a row, or updates the row with the same key: the first {@code keys} of {@code columns} are the
     * key. Plain UPDATE then INSERT, the same SQL on H2 and PostgreSQL; when another process inserts the
     * same key in between, the insert's conflict is rolled back to a savepoint and the row updated.
     */
    void upsert(String table, int keys, List<String> columns, Object... values) {
        List<String> keyCols = columns.subList(0, keys);
        List<String> rest = columns.subList(keys, columns.size());
        Object[] updateArgs = new Object[values.length];
        System.arraycopy(values, keys, updateArgs, 0, values.length - keys);
        System.arraycopy(values, 0, updateArgs, values.length - keys, keys);
        String updateSql = "UPDATE " + table + " SET " + String.join(", ", rest.stream().map(c -> c + " = ?").toList())
                + " WHERE " + String.join(" AND ", keyCols.stream().map(c -> c + " = ?").toList());
        String insertSql = "INSERT INTO " + table + "(" + String.join(", ", columns) + ") VALUES ("
                + String.join(",", Collections.nCopies(columns.size(), "?")) + ")";
        inTransaction(() -> {
            if (update(updateSql, updateArgs) > 0) {
                return null;
            }
            java.sql.Savepoint before;
            try {
                before = db.setSavepoint();
            } catch (SQLException e) {
                throw new LifeboatException("History update failed: " + e.getMessage(), e);
            }
            try {
                update(insertSql, values);
            } catch (LifeboatException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
                try {
                    db.rollback(before);
                } catch (SQLException r) {
                    throw new LifeboatException("History update failed: " + r.getMessage(), r);
                }
                update(updateSql, updateArgs); // inserted meanwhile by another process
            }
            return null;
        });
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new LifeboatException("Closing the history database failed: " + e.getMessage(), e);
        }
    }
}
