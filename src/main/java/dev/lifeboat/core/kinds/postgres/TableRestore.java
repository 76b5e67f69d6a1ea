package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.PostgresClient;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;

/**
 * Restores one table's rows from a {@code pg_dump -Fc} stream into a live database, leaving every other
 * table as it is. In one transaction: the table's rows are deleted (with triggers, and so cascading
 * foreign keys, disabled, so no other table loses a row), the dump's rows for it are loaded, sequences
 * it owns are moved past the restored keys, and every foreign key from or to the table is checked with
 * a real query. Any error, or a row left without its parent, rolls everything back.
 */
final class TableRestore {
    private TableRestore() {
    }

    static void restore(PostgresClient pg, String container, String db, String qualifiedTable, InputStream dump) {
        int dot = qualifiedTable.indexOf('.');
        String schema = qualifiedTable.substring(0, dot);
        String table = qualifiedTable.substring(dot + 1);
        String rel = ident(schema) + "." + ident(table);
        String regclass = literal(rel);
        String pre = "BEGIN;\n"
                + "DO $$ BEGIN IF to_regclass(" + regclass + ") IS NULL THEN RAISE EXCEPTION 'table " + escapeDollar(rel)
                + " does not exist in the live database'; END IF; END $$;\n"
                + "SET LOCAL session_replication_role = replica;\n"
                + "DELETE FROM " + rel + ";\n";
        String post = "SET LOCAL session_replication_role = origin;\n"
                + "DO $$ DECLARE r record; n bigint; BEGIN\n"
                + "  FOR r IN SELECT s.oid::regclass AS seq, a.attname AS col FROM pg_depend d\n"
                + "    JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'\n"
                + "    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
                + "    WHERE d.refobjid = " + regclass + "::regclass AND d.deptype IN ('a', 'i') LOOP\n"
                + "    EXECUTE format('SELECT setval(%L, GREATEST((SELECT last_value FROM %s), COALESCE((SELECT max(%I) FROM %s), 1)))',\n"
                + "      r.seq, r.seq, r.col, " + regclass + "::regclass);\n"
                + "  END LOOP;\n"
                + "  FOR r IN SELECT c.conname, c.conrelid::regclass AS child, c.confrelid::regclass AS parent,\n"
                + "      (SELECT string_agg('ch.' || quote_ident(x.attname), ',' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)\n"
                + "         JOIN pg_attribute x ON x.attrelid = c.conrelid AND x.attnum = k.n) AS cc,\n"
                + "      (SELECT string_agg('p.' || quote_ident(x.attname), ',' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)\n"
                + "         JOIN pg_attribute x ON x.attrelid = c.confrelid AND x.attnum = k.n) AS pc\n"
                + "    FROM pg_constraint c WHERE c.contype = 'f'\n"
                + "      AND (c.conrelid = " + regclass + "::regclass OR c.confrelid = " + regclass + "::regclass) LOOP\n"
                + "    EXECUTE format('SELECT count(*) FROM %s ch WHERE ROW(%s) IS NOT NULL AND NOT EXISTS "
                + "(SELECT 1 FROM %s p WHERE ROW(%s) = ROW(%s))', r.child, r.cc, r.parent, r.pc, r.cc) INTO n;\n"
                + "    IF n > 0 THEN RAISE EXCEPTION 'foreign key % on %: % rows would lose their parent row; nothing was changed',"
                + " r.conname, r.child, n; END IF;\n"
                + "  END LOOP;\n"
                + "END $$;\n"
                + "COMMIT;\n";
        String script = "{ printf '%s' " + shell(pre) + "; "
                + "if pg_restore --data-only --schema=" + shell(schema) + " --table=" + shell(table) + " -f -; then "
                + "printf '%s' " + shell(post) + "; "
                + "else printf '%s' " + shell("DO $$ BEGIN RAISE EXCEPTION 'pg_restore could not read the table from the dump'; END $$;\n")
                + "; fi; cat > /dev/null; } | psql -X -q -v ON_ERROR_STOP=1 -d " + shell(db);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult r = pg.run(List.of("sh", "-c", script), dump, out);
        if (!r.ok()) {
            String errors = r.stderr().lines().filter(l -> l.contains("ERROR") || l.contains("error"))
                    .reduce((x, y) -> x + "; " + y).orElse(r.stderr().trim());
            throw new HostException("Restoring table " + qualifiedTable + " of database " + db + " in " + container
                    + " failed, nothing was changed: " + errors);
        }
    }

    private static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String escapeDollar(String s) {
        return s.replace("$", "").replace("'", "''");
    }

    private static String shell(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
