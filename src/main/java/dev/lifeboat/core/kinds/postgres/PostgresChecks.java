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
     * a check, rows for which the expression is false.
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
                          'foreign key ' || conname || ' on ' || conrelid::regclass::text,
                          conrelid::regclass, child_cols, confrelid::regclass, parent_cols, child_cols)
            FROM fk
            UNION ALL
            SELECT format('SELECT %L, count(*) FROM ONLY %s WHERE NOT (%s)',
                          'check ' || c.conname || ' on ' || c.conrelid::regclass::text,
                          c.conrelid::regclass, pg_get_expr(c.conbin, c.conrelid))
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.contype = 'c' AND c.conrelid <> 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1 \\gexec
            """;

    private PostgresChecks() {
    }

    /** The checks of one PostgreSQL asset, restored and running in {@code pg}. */
    public static List<Check> run(PostgresClient pg, AssetRecord asset, StackSettings settings, Instant backupStarted,
                                  java.util.function.Predicate<String> inScope) {
        List<Check> checks = new ArrayList<>();
        String label = asset.name();
        List<String> databases = asset.databases().stream().filter(inScope).toList();
        Map<String, Long> recorded = asset.rowCounts() == null ? Map.of() : asset.rowCounts();
        for (String db : databases) {
            Map<String, Long> actual = new LinkedHashMap<>();
            try {
                pg.rowCounts(db).forEach((t, n) -> actual.put(db + "." + t, n));
            } catch (LifeboatException e) {
                checks.add(Check.fail(label + " " + db + ": tables", "cannot read the restored database: " + e.getMessage()));
                continue;
            }
            checks.add(tables(label, db, recorded, actual));
            checks.add(counts(label, db, recorded, actual, settings));
            checks.add(constraints(pg, label, db));
        }
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
        for (String db : asset.databases()) {
            if (!databases.test(db)) {
                continue;
            }
            // which tables exist, from the catalog: the rows are the app's again by now, so not counted
            Map<String, Long> actual = new LinkedHashMap<>();
            try {
                pg.tables(db).forEach(t -> actual.put(db + "." + t, 0L));
            } catch (LifeboatException e) {
                checks.add(Check.fail(asset.name() + " " + db + ": tables", "cannot read the database: " + e.getMessage()));
                continue;
            }
            checks.add(tables(asset.name(), db, recorded, actual));
            checks.add(constraints(pg, asset.name(), db));
        }
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

    private static Check constraints(PostgresClient pg, String label, String db) {
        String name = label + " " + db + ": constraints";
        String out;
        try {
            out = pg.script(db, CONSTRAINT_VIOLATIONS);
        } catch (LifeboatException e) {
            return Check.fail(name, "validation queries failed: " + e.getMessage());
        }
        int checked = 0;
        List<String> broken = new ArrayList<>();
        for (String line : out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            int bar = line.lastIndexOf('|');
            long n = Long.parseLong(line.substring(bar + 1));
            checked++;
            if (n > 0) {
                broken.add(line.substring(0, bar) + ": " + n + " violating rows");
            }
        }
        return broken.isEmpty() ? Check.pass(name, checked + " foreign keys and check constraints hold")
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
