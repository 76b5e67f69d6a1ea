package dev.lifeboat.core.asset;

import dev.lifeboat.core.LifeboatException;

import java.util.ArrayList;
import java.util.List;

/**
 * What a restore brings back: everything, or the entries of {@code --only}, each naming a kind and
 * optionally a part of it ({@code postgres}, {@code postgres:DB.TABLE}, {@code volume:NAME},
 * {@code config}). What an entry selects is up to its kind ({@link AssetKind#selects}); an admin's entries
 * are checked against the registry by {@link AssetKinds#scope}. Only a full restore stops and recreates
 * the app containers.
 */
public record RestoreScope(List<String> only) {
    public static final RestoreScope ALL = new RestoreScope(List.of());

    public RestoreScope {
        only = only == null ? List.of() : List.copyOf(only);
        for (String s : only) {
            if (s.isBlank() || s.startsWith(":") || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new LifeboatException("Restore scope '" + s + "' is not KIND or KIND:PART");
            }
        }
    }

    public boolean everything() {
        return only.isEmpty();
    }

    /**
     * The parts asked of kind {@code kind}: for {@code postgres:shop.orders} and kind {@code postgres},
     * {@code shop.orders}; an entry of the bare kind gives the empty string (all of it).
     */
    public List<String> parts(String kind) {
        List<String> out = new ArrayList<>();
        for (String s : only) {
            if (s.equals(kind)) {
                out.add("");
            } else if (s.startsWith(kind + ":")) {
                out.add(s.substring(kind.length() + 1));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return everything() ? "everything" : String.join(", ", only);
    }
}
