package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.model.Check;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.StackSettings;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Content checks of a restored PostgreSQL instance against what its recovery point recorded: every
 * table exists, row counts match (within a tolerance for live-write tables), foreign keys and check
 * constraints hold (real queries, not catalog flags), and configured timestamp columns are fresh.
 */
public final class PostgresChecks {
    /**
     * One query per foreign key and check constraint, each counting the rows that violate it: for a
     * foreign key, rows whose key columns are all non-null and match no parent row (MATCH SIMPLE); for
     * a check, rows for which the expression is false. Each result line is {@code c}, the constraint's name as
     * hex-encoded UTF-8 (a name may hold any character, a line break or a bar included), a bar and the count.
     */
    public static final String CONSTRAINT_VIOLATIONS = """
            WITH fk AS (
              SELECT c.conname, c.conrelid, c.confrelid,
                (SELECT string_agg('ch.' || quote_ident(a.attname), ',' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS child_cols,
                (SELECT string_agg('p.' || quote_ident(a.attname), ',' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS parent_cols
              FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
              WHERE c.contype = 'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema'))
            SELECT format('SELECT %L, count(*) FROM %s ch WHERE ROW(%s) IS NOT NULL AND NOT EXISTS '
                          '(SELECT 1 FROM %s p WHERE ROW(%s) = ROW(%s))',
                          'c' || encode(convert_to('foreign key ' || conname || ' on ' || conrelid::regclass::text, 'UTF8'), 'hex'),
                          conrelid::regclass, child_cols, confrelid::regclass, parent_cols, child_cols)
            FROM fk
            UNION ALL
            SELECT format('SELECT %L, count(*) FROM ONLY %s WHERE NOT (%s)',
                          'c' || encode(convert_to('check ' || c.conname || ' on ' || c.conrelid::regclass::text, 'UTF8'), 'hex'),
                          c.conrelid::regclass, pg_get_expr(c.conbin, c.conrelid))
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.contype = 'c' AND c.conrelid <> 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1 \\gexec
            """;

    private PostgresChecks() {
    }

    /** The catalog's user tables, each line {@code t} and "schema.table" as hex; then a line {@code T}: the part ended. */
    static final String TABLES = """
            SELECT 't' || encode(convert_to(n.nspname || '.' || c.relname, 'UTF8'), 'hex')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
            ORDER BY 1;
            \\echo T
            """;

    /** Every user table's exact row count, each line {@code n}, "schema.table" as hex, a bar, the count; then {@code T}. */
    static final String COUNTS = """
            SELECT format('SELECT %L, count(*) FROM %I.%I', 'n' || encode(convert_to(n.nspname || '.' || c.relname, 'UTF8'), 'hex'),
                          n.nspname, c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
            ORDER BY 1 \\gexec
            \\echo T
            """;

    /** One database's answer to {@link #TABLES} or {@link #COUNTS}, then {@link #CONSTRAINT_VIOLATIONS}. */
    static final class Answer {
        /** "schema.table" to its rows (0 where only the catalog was read). */
        final Map<String, Long> tables = new LinkedHashMap<>();
        /** Whether the tables' part ran to its end (the constraints' part may still have failed). */
        boolean tablesRead;
        /** Each constraint's description to the rows that violate it. */
        final Map<String, Long> violations = new LinkedHashMap<>();
        /** Why the constraints' part did not run to its end; null when it did. */
        String constraintsFailed;

        static Answer of(String out) {
            Answer a = new Answer();
            for (String line : out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
                char tag = line.charAt(0);
                int bar = line.lastIndexOf('|');
                if (line.equals("T")) {
                    a.tablesRead = true;
                } else if (tag == 't') {
                    a.tables.put(unhex(line.substring(1)), 0L);
                } else if (tag == 'n' && bar > 0) {
                    a.tables.put(unhex(line.substring(1, bar)), Long.parseLong(line.substring(bar + 1)));
                } else if (tag == 'c' && bar > 0) {
                    a.violations.put(unhex(line.substring(1, bar)), Long.parseLong(line.substring(bar + 1)));
                }
            }
            return a;
        }

        private static String unhex(String hex) {
            return new String(java.util.HexFormat.of().parseHex(hex), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * Each database's answer to {@code script}, all from one exec; a database psql could not read gets the failed
     * checks {@code unreadable} makes of the reason.
     */
    private static Map<String, Answer> ask(PostgresClient pg, List<String> databases, String script, List<Check> checks,
                                           java.util.function.BiFunction<String, String, Check> unreadable) {
        Map<String, Answer> answers = new LinkedHashMap<>();
        PostgresClient.RanEach each;
        try {
            each = pg.scriptEach(databases, script);
        } catch (LifeboatException e) {
            databases.forEach(db -> checks.add(unreadable.apply(db, e.getMessage())));
            return answers;
        }
        for (String db : databases) {
            PostgresClient.Ran ran = each.runs().get(db);
            Answer a = Answer.of(ran.out());
            if (!a.tablesRead) {
                checks.add(unreadable.apply(db, failure(pg, db, each.errors())));
                continue;
            }
            if (!ran.ok()) {
                a.constraintsFailed = failure(pg, db, each.errors());
            }
            answers.put(db, a);
        }
        return answers;
    }

    private static String failure(PostgresClient pg, String db, String errors) {
        return "psql in container " + pg.container() + " failed on database " + db + (errors.isEmpty() ? "" : ": " + errors);
    }

    /** The checks of one PostgreSQL asset, restored and running in {@code pg}. */
    public static List<Check> run(PostgresClient pg, AssetRecord asset, StackSettings settings, Instant backupStarted,
                                  java.util.function.Predicate<String> inScope) {
        List<Check> checks = new ArrayList<>();
        String label = asset.name();
        List<String> databases = asset.databases().stream().filter(inScope).toList();
        Map<String, Long> recorded = asset.rowCounts() == null ? Map.of() : asset.rowCounts();
        Map<String, Answer> answers = ask(pg, databases, COUNTS + CONSTRAINT_VIOLATIONS, checks,
                (db, why) -> Check.fail(label + " " + db + ": tables", "cannot read the restored database: " + why));
        answers.forEach((db, a) -> {
            Map<String, Long> actual = new LinkedHashMap<>();
            a.tables.forEach((t, n) -> actual.put(db + "." + t, n));
            checks.add(tables(label, db, recorded, actual));
            checks.add(counts(label, db, recorded, actual, settings));
            checks.add(constraints(label, db, a));
        });
        for (var f : settings.freshness().entrySet()) {
            String[] parts = f.getKey().split("\\.");
            if (parts.length != 4 || !databases.contains(parts[0])) {
                continue;
            }
            checks.add(freshness(pg, label, parts, f.getValue(), backupStarted));
        }
        return checks;
    }

    /**
     * The checks that hold right after an in-place restore whatever the app writes once it is up: every
     * table exists and every constraint holds (row counts move as soon as the app runs).
     */
    public static List<Check> structural(PostgresClient pg, AssetRecord asset, java.util.function.Predicate<String> databases) {
        List<Check> checks = new ArrayList<>();
        Map<String, Long> recorded = asset.rowCounts() == null ? Map.of() : asset.rowCounts();
        // which tables exist, from the catalog: the rows are the app's again by now, so not counted
        Map<String, Answer> answers = ask(pg, asset.databases().stream().filter(databases).toList(),
                TABLES + CONSTRAINT_VIOLATIONS, checks,
                (db, why) -> Check.fail(asset.name() + " " + db + ": tables", "cannot read the database: " + why));
        answers.forEach((db, a) -> {
            Map<String, Long> actual = new LinkedHashMap<>();
            a.tables.forEach((t, n) -> actual.put(db + "." + t, n));
            checks.add(tables(asset.name(), db, recorded, actual));
            checks.add(constraints(asset.name(), db, a));
        });
        return checks;
    }

    private static Check tables(String label, String db, Map<String, Long> recorded, Map<String, Long> actual) {
        TreeSet<String> missing = new TreeSet<>();
        int expected = 0;
        for (String t : recorded.keySet()) {
            if (t.startsWith(db + ".")) {
                expected++;
                if (!actual.containsKey(t)) {
                    missing.add(t);
                }
            }
        }
        String name = label + " " + db + ": tables";
        return missing.isEmpty() ? Check.pass(name, "all " + expected + " tables of the manifest exist")
                : Check.fail(name, missing.size() + " of " + expected + " tables missing: " + String.join(", ", missing));
    }

    private static Check counts(String label, String db, Map<String, Long> recorded, Map<String, Long> actual,
                                StackSettings settings) {
        List<String> off = new ArrayList<>();
        long rows = 0;
        int tables = 0;
        for (var e : recorded.entrySet()) {
            if (!e.getKey().startsWith(db + ".") || !actual.containsKey(e.getKey())) {
                continue;
            }
            tables++;
            long want = e.getValue();
            long got = actual.get(e.getKey());
            rows += got;
            double tolerance = settings.tolerance(e.getKey());
            double deviation = want == 0 ? (got == 0 ? 0 : 100) : Math.abs(got - want) * 100.0 / want;
            if (deviation > tolerance + 1e-9) {
                off.add(String.format(java.util.Locale.ROOT, "%s has %d rows, the backup recorded %d (%+d, %.1f%%, tolerance %s%%)",
                        e.getKey(), got, want, got - want, deviation, trim(tolerance)));
            }
        }
        String name = label + " " + db + ": row counts";
        return off.isEmpty() ? Check.pass(name, tables + " tables, " + rows + " rows, as recorded")
                : Check.fail(name, String.join("; ", off));
    }

    private static Check constraints(String label, String db, Answer a) {
        String name = label + " " + db + ": constraints";
        if (a.constraintsFailed != null) {
            return Check.fail(name, "validation queries failed: " + a.constraintsFailed);
        }
        List<String> broken = new ArrayList<>();
        a.violations.forEach((constraint, n) -> {
            if (n > 0) {
                broken.add(constraint + ": " + n + " violating rows");
            }
        });
        return broken.isEmpty() ? Check.pass(name, a.violations.size() + " foreign keys and check constraints hold")
                : Check.fail(name, String.join("; ", broken));
    }

    private static final DateTimeFormatter PG_TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd().appendPattern("[XXX][X]").toFormatter();

    private static Check freshness(PostgresClient pg, String label, String[] p, Duration limit, Instant backupStarted) {
        String name = label + " " + p[0] + ": freshness of " + p[1] + "." + p[2] + "." + p[3];
        String newest;
        try {
            newest = pg.query(p[0], "SET TIME ZONE 'UTC'; SELECT max(" + ident(p[3]) + ")::timestamptz FROM "
                    + ident(p[1]) + "." + ident(p[2])).strip();
        } catch (LifeboatException e) {
            return Check.fail(name, "cannot read it: " + e.getMessage());
        }
        if (newest.isEmpty()) {
            return Check.fail(name, "the column has no values");
        }
        Instant at = OffsetDateTime.parse(newest.lines().reduce((a, b) -> b).orElse(newest), PG_TIMESTAMP).toInstant();
        Duration age = Duration.between(at, backupStarted);
        String figures = "newest " + at + ", " + StackSettings.format(Duration.ofSeconds(Math.max(0, age.getSeconds())))
                + " before the backup (limit " + StackSettings.format(limit) + ")";
        return age.compareTo(limit) <= 0 ? Check.pass(name, figures) : Check.fail(name, "stale: " + figures);
    }

    private static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
