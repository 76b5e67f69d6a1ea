package dev.lifeboat.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything that must survive a round trip, read with tools independent of Lifeboat: JDBC for
 * PostgreSQL, the Redis protocol, the docker CLI for the volume, the file system for config.
 */
final class StackFingerprint {
    private StackFingerprint() {
    }

    /** "db.schema.table" → md5 of all rows in a stable order; sequences and roles too. */
    static Map<String, String> postgres(int port, List<String> databases) throws SQLException {
        Map<String, String> fp = new TreeMap<>();
        for (String db : databases) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, "postgres", "");
                 Statement st = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) "
                        + "FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                        + "AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String t : tables) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*), md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM "
                            + t + " x")) {
                        rs.next();
                        fp.put(db + "." + t, rs.getLong(1) + " rows " + rs.getString(2));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences ORDER BY 1")) {
                    while (rs.next()) {
                        fp.put(db + ".sequence " + rs.getString(1), String.valueOf(rs.getObject(2)));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                        + "WHERE connamespace = 'public'::regnamespace ORDER BY 1")) {
                    while (rs.next()) {
                        fp.put(db + ".constraint " + rs.getString(1), rs.getString(2));
                    }
                }
                if (db.equals("postgres")) {
                    try (ResultSet rs = st.executeQuery("SELECT rolname, rolcanlogin, rolsuper, rolpassword FROM pg_authid "
                            + "WHERE rolname !~ '^pg_' ORDER BY 1")) {
                        while (rs.next()) {
                            fp.put("role " + rs.getString(1), rs.getBoolean(2) + " " + rs.getBoolean(3) + " " + rs.getString(4));
                        }
                    }
                    // the databases apps see: what a restore keeps aside (lifeboat_safety_*, closed) is Lifeboat's
                    try (ResultSet rs = st.executeQuery("SELECT datname, pg_get_userbyid(datdba) FROM pg_database "
                            + "WHERE NOT datistemplate AND datname NOT LIKE 'lifeboat\\_%' ORDER BY 1")) {
                        while (rs.next()) {
                            fp.put("database " + rs.getString(1), "owner " + rs.getString(2));
                        }
                    }
                }
            }
        }
        return fp;
    }

    /** Redis keys per database: type and value (sets and hashes in sorted order) and the remaining TTL in ms. */
    record RedisKey(String dump, long pttl) {
    }

    static Map<String, RedisKey> redis(int port) throws IOException {
        Map<String, RedisKey> fp = new TreeMap<>();
        try (Resp r = new Resp(port)) {
            for (int db = 0; db < 16; db++) {
                r.call("SELECT", Integer.toString(db));
                @SuppressWarnings("unchecked")
                List<Object> keys = (List<Object>) r.call("KEYS", "*");
                for (Object k : keys) {
                    String key = new String((byte[]) k, java.nio.charset.StandardCharsets.UTF_8);
                    long pttl = (Long) r.call("PTTL", key);
                    fp.put(db + ":" + key, new RedisKey(value(r, key), pttl));
                }
            }
        }
        return fp;
    }

    private static String value(Resp r, String key) throws IOException {
        String type = (String) r.call("TYPE", key);
        Object v = switch (type) {
            case "string" -> r.call("GET", key);
            case "hash" -> r.call("HGETALL", key);
            case "list" -> r.call("LRANGE", key, "0", "-1");
            case "set" -> r.call("SMEMBERS", key);
            case "zset" -> r.call("ZRANGE", key, "0", "-1", "WITHSCORES");
            default -> throw new IOException("unexpected type " + type);
        };
        List<String> items = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                items.add(new String((byte[]) o, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (type.equals("set")) {
                java.util.Collections.sort(items);
            } else if (type.equals("hash")) {
                List<String> pairs = new ArrayList<>();
                for (int i = 0; i < items.size(); i += 2) {
                    pairs.add(items.get(i) + "=" + items.get(i + 1));
                }
                java.util.Collections.sort(pairs);
                items = pairs;
            }
        } else {
            items.add(new String((byte[]) v, java.nio.charset.StandardCharsets.UTF_8));
        }
        return type + " " + items;
    }

    /** The label value of this JVM's fingerprint helpers: test classes in other forks have their own. */
    static final String LABEL = "fingerprint-" + ProcessHandle.current().pid();

    /**
     * Every entry of a volume as its app sees it: path, type, mode, owner, size, link target, and content hash.
     * What a restore keeps aside at the root ({@code .lifeboat-*}) is left out: {@link #keptAside} reads it.
     */
    static String volume(String volume) {
        return Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + LABEL,
                "-v", volume + ":/v:ro", Rig.IMAGE, "sh", "-c",
                "cd /v && find . -path './.lifeboat-*' -prune -o -printf '%p %y %m %U:%G %s %l\\n' | LC_ALL=C sort && "
                        + "find . -path './.lifeboat-*' -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum");
    }

    /** The names of Lifeboat's own entries at the root of a volume ({@code .lifeboat-*}), sorted. */
    static List<String> keptAside(String volume) {
        return Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + LABEL,
                "-v", volume + ":/v:ro", Rig.IMAGE, "sh", "-c", "cd /v && for f in .lifeboat-*; do [ -e \"$f\" ] && echo \"$f\"; done;"
                        + " true").lines().sorted().toList();
    }

    /** The fingerprint of what a restore kept aside in {@code dir} at the volume's root, as {@link #volume} gives the root's. */
    static String keptAside(String volume, String dir) {
        return Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + LABEL,
                "-v", volume + ":/v:ro", Rig.IMAGE, "sh", "-c",
                "cd /v/\"$0\" && find . -printf '%p %y %m %U:%G %s %l\\n' | grep -v '^\\. ' | LC_ALL=C sort && "
                        + "find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum", dir);
    }

    /** Config files: relative path → type, permissions and content hash or link target. */
    static Map<String, String> config(Path dir) throws IOException {
        Map<String, String> fp = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String rel = dir.relativize(p).toString();
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                if (Files.isSymbolicLink(p)) {
                    fp.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    fp.put(rel, "dir " + perms);
                } else {
                    fp.put(rel, "file " + perms + " " + sha256(p));
                }
            }
        }
        return fp;
    }

    private static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
