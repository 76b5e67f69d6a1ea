package dev.lifeboat.core.asset;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The registry of asset kinds, in discovery order. Immutable: {@link #with} returns a new registry.
 * The composition root builds one (the built-in kinds, plus any plug-ins) and gives it to every use case.
 */
public final class AssetKinds {
    /** The manifest's record of the stack's containers and networks: written and read by the core, not a kind. */
    public static final String STACK = "stack";
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private final Map<String, AssetKind> kinds;
    private final List<AssetKind> order;

    public AssetKinds(List<AssetKind> kinds) {
        Map<String, AssetKind> map = new LinkedHashMap<>();
        for (AssetKind k : kinds) {
            if (!ID.matcher(k.id()).matches() || k.id().equals(STACK)) {
                throw new IllegalArgumentException("asset kind id '" + k.id() + "' is not allowed");
            }
            if (map.putIfAbsent(k.id(), k) != null) {
                throw new IllegalArgumentException("asset kind " + k.id() + " registered twice");
            }
        }
        this.kinds = Map.copyOf(map);
        this.order = List.copyOf(map.values());
    }

    /** This registry plus {@code kind}. */
    public AssetKinds with(AssetKind kind) {
        List<AssetKind> all = new ArrayList<>(order);
        all.add(kind);
        return new AssetKinds(all);
    }

    /** Every kind, in discovery order. */
    public List<AssetKind> all() {
        return order;
    }

    /** Every kind, in restore order. */
    public List<AssetKind> inRestoreOrder() {
        return order.stream().sorted(Comparator.comparingInt(AssetKind::order)).toList();
    }

    public Optional<AssetKind> find(String id) {
        return Optional.ofNullable(id == null ? null : kinds.get(id));
    }

    public AssetKind of(AssetRecord asset) {
        return find(asset.kind()).orElseThrow(() -> unknown(asset));
    }

    public AssetKind of(dev.lifeboat.core.model.Asset asset) {
        return find(asset.kind()).orElseThrow(() -> new LifeboatException("Asset " + asset.name() + " is of kind '"
                + asset.kind() + "', which this Lifeboat does not know"));
    }

    /**
     * Refuses a point that holds an asset of a kind this Lifeboat does not know (made by a newer version
     * or a plug-in not installed here): restoring the rest and calling it a restore would lose that data
     * silently.
     */
    public void requireKnown(Manifest m) {
        List<String> unknown = m.assets().stream().filter(a -> !STACK.equals(a.kind()) && find(a.kind()).isEmpty())
                .map(a -> a.name() + " (" + a.kind() + ")").toList();
        if (!unknown.isEmpty()) {
            throw new LifeboatException("Point " + m.pointId() + " holds " + String.join(", ", unknown)
                    + ", a kind of data this Lifeboat does not know; nothing was changed. Use the Lifeboat version"
                    + " (or plug-in) that made the point.");
        }
    }

    private static LifeboatException unknown(AssetRecord a) {
        return new LifeboatException("Asset " + a.name() + " is of kind '" + a.kind() + "', which this Lifeboat does not know");
    }

    /** Whether the scope selects the asset: everything does; otherwise the asset's kind decides. */
    public boolean selects(RestoreScope scope, AssetRecord asset) {
        if (STACK.equals(asset.kind())) {
            return false;
        }
        if (scope.everything()) {
            return true;
        }
        Optional<AssetKind> kind = find(asset.kind());
        return kind.isPresent() && scope.only().stream().anyMatch(s -> kind.get().selects(s, asset));
    }

    /** The assets of the point that are in scope and of a known kind, grouped by kind in restore order. */
    public Map<AssetKind, List<AssetRecord>> inScope(Manifest m, RestoreScope scope) {
        Map<AssetKind, List<AssetRecord>> out = new LinkedHashMap<>();
        for (AssetKind k : inRestoreOrder()) {
            List<AssetRecord> mine = m.assets().stream().filter(a -> a.kind().equals(k.id()) && selects(scope, a)).toList();
            if (!mine.isEmpty()) {
                out.put(k, mine);
            }
        }
        return out;
    }

    /**
     * A scope typed by an admin: every entry must start with a known kind ({@code postgres},
     * {@code volume:uploads}); otherwise it is refused naming what can be typed.
     */
    public RestoreScope scope(List<String> only) {
        RestoreScope scope = new RestoreScope(only);
        for (String s : scope.only()) {
            String kind = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
            if (find(kind).isEmpty()) {
                throw new LifeboatException("Unknown restore scope '" + s + "'; use " + syntax());
            }
        }
        return scope;
    }

    private String syntax() {
        List<String> all = order.stream().map(AssetKind::scopeSyntax).toList();
        return all.size() == 1 ? all.get(0)
                : String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
    }

    /**
     * Refuses a scope that names something the point does not hold ({@code postgres:typo},
     * {@code volume:typo}): such a restore would take a safety backup, restore nothing and say "Restored".
     * The message lists what the point holds.
     */
    public void requireMatches(RestoreScope scope, Manifest m) {
        List<String> unmatched = new ArrayList<>();
        for (String s : scope.only()) {
            boolean found = false;
            for (AssetRecord a : m.assets()) {
                Optional<AssetKind> k = find(a.kind());
                found |= k.isPresent() && k.get().matches(s, a);
            }
            if (!found) {
                unmatched.add(s);
            }
        }
        if (!unmatched.isEmpty()) {
            throw new LifeboatException("Nothing in point " + m.pointId() + " matches --only " + String.join(", ", unmatched)
                    + "; nothing was changed. The point holds: " + String.join(", ", offers(m)));
        }
    }

    /** What a point offers to {@code --only}, as an admin would type it. */
    public List<String> offers(Manifest m) {
        List<String> out = new ArrayList<>();
        for (AssetRecord a : m.assets()) {
            find(a.kind()).ifPresent(k -> k.offers(a).stream().filter(o -> !out.contains(o)).forEach(out::add));
        }
        return out;
    }

    @Override
    public String toString() {
        return order.stream().map(AssetKind::id).collect(Collectors.joining(", "));
    }
}
