package dev.lifeboat.core.restore;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.AssetRecord;

import java.util.List;

/**
 * What a restore brings back: everything, or selected assets ({@code postgres}, {@code postgres:DB},
 * {@code postgres:DB.TABLE} or {@code postgres:DB.SCHEMA.TABLE}, {@code redis}, {@code volume:NAME},
 * {@code config}). Only a full restore stops and recreates the app containers.
 */
public record RestoreScope(List<String> only) {
    public static final RestoreScope ALL = new RestoreScope(List.of());

    public RestoreScope {
        only = only == null ? List.of() : List.copyOf(only);
        for (String s : only) {
            if (!(s.equals("postgres") || s.startsWith("postgres:") || s.equals("redis") || s.startsWith("volume:")
                    || s.equals("config"))) {
                throw new LifeboatException("Unknown restore scope '" + s + "'; use postgres[:DB[.TABLE]], redis, "
                        + "volume:NAME or config");
            }
        }
    }

    public boolean everything() {
        return only.isEmpty();
    }

    public boolean includes(AssetRecord a) {
        if (everything()) {
            return true;
        }
        for (String s : only) {
            switch (a.kind()) {
                case "postgres" -> {
                    if (s.equals("postgres") || s.startsWith("postgres:")) {
                        return true;
                    }
                }
                case "redis" -> {
                    if (s.equals("redis")) {
                        return true;
                    }
                }
                case "volume" -> {
                    if (s.equals(a.name())) {
                        return true;
                    }
                }
                case "config" -> {
                    if (s.equals("config")) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    /** Whether the database {@code db} of a PostgreSQL asset is in scope. */
    public boolean includesDatabase(String db) {
        if (everything()) {
            return true;
        }
        for (String s : only) {
            if (s.equals("postgres")) {
                return true;
            }
            if (s.startsWith("postgres:")) {
                String rest = s.substring("postgres:".length());
                String name = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
                if (name.equals(db)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Refuses a scope that names something the point does not hold ({@code postgres:typo},
     * {@code volume:typo}): such a restore would take a safety backup, restore nothing and say "Restored".
     * The message lists what the point holds.
     */
    public void requireMatches(dev.lifeboat.core.model.Manifest m) {
        List<String> unmatched = new java.util.ArrayList<>();
        for (String s : only) {
            boolean found = false;
            for (AssetRecord a : m.assets()) {
                found |= switch (a.kind()) {
                    case "postgres" -> s.equals("postgres") || s.startsWith("postgres:") && matchesDatabase(s, a);
                    case "redis" -> s.equals("redis");
                    case "volume" -> s.equals(a.name());
                    case "config" -> s.equals("config");
                    default -> false;
                };
            }
            if (!found) {
                unmatched.add(s);
            }
        }
        if (!unmatched.isEmpty()) {
            throw new LifeboatException("Nothing in point " + m.pointId() + " matches --only " + String.join(", ", unmatched)
                    + "; nothing was changed. The point holds: " + String.join(", ", holds(m)));
        }
    }

    private boolean matchesDatabase(String s, AssetRecord a) {
        String rest = s.substring("postgres:".length());
        for (String db : a.databases()) {
            if (rest.equals(db)) {
                return true;
            }
            if (rest.startsWith(db + ".")) {
                String table = table(db);
                return a.rowCounts() == null || a.rowCounts().containsKey(db + "." + table);
            }
        }
        return false;
    }

    /** What a point offers to --only, as the admin would type it. */
    static List<String> holds(dev.lifeboat.core.model.Manifest m) {
        List<String> out = new java.util.ArrayList<>();
        for (AssetRecord a : m.assets()) {
            switch (a.kind()) {
                case "postgres" -> a.databases().forEach(db -> out.add("postgres:" + db));
                case "redis" -> out.add("redis");
                case "volume" -> out.add(a.name());
                case "config" -> out.add("config");
                default -> {
                }
            }
        }
        return out;
    }

    /** The table selected in {@code db} ("schema.table", schema public by default), or null for the whole database. */
    public String table(String db) {
        for (String s : only) {
            if (s.startsWith("postgres:" + db + ".")) {
                String t = s.substring(("postgres:" + db + ".").length());
                return t.contains(".") ? t : "public." + t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return everything() ? "everything" : String.join(", ", only);
    }
}
