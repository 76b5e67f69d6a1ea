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
