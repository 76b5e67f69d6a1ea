package dev.lifeboat.core.storage;

import dev.lifeboat.core.IntegrityException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chain of a stack's manifests at one destination: each format-2 manifest carries the SHA-256 of the
 * manifest written before it there. {@link #check} walks it and names where it breaks (a point removed
 * from the middle by hand) or forks (a history rewritten); points retention removed are in the signed
 * {@link DeletionLog} and break nothing.
 */
public final class Chain {
    private Chain() {
    }

    /** The result: how many points were proven, and each problem found, naming the point. */
    public record Report(String destination, String host, String stack, int points, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * The SHA-256 of the newest manifest of the stack at this destination that proves itself: what the
     * next point chains to. Null for a stack's first point here.
     */
    public static String head(Repository repo, String host, String stack) throws IOException {
        List<Destination.StoredPoint> points = new ArrayList<>(repo.destination().list(host, stack));
        points.sort(Comparator.comparing(Destination.StoredPoint::takenAt).reversed());
        for (Destination.StoredPoint p : points) {
            try {
                return repo.prove(p, null).sha256();
            } catch (IntegrityException notOurs) {
                // a planted or damaged point is no link of the chain
            }
        }
        return null;
    }

    public static Report check(Repository repo, String host, String stack) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, String> byHash = new HashMap<>();
        Map<String, String> previousOf = new LinkedHashMap<>();
        List<Destination.StoredPoint> points = new ArrayList<>(repo.destination().list(host, stack));
        points.sort(Comparator.comparing(Destination.StoredPoint::takenAt));
        int proven = 0;
        for (Destination.StoredPoint p : points) {
            Repository.Proven m;
            try {
                m = repo.prove(p, null);
            } catch (IntegrityException e) {
                problems.add(e.getMessage());
                continue;
            }
            proven++;
            byHash.put(m.sha256(), p.id());
            if (m.manifest().format() >= 2) {
                previousOf.put(p.id(), m.manifest().previousManifestSha256());
            }
        }
        Map<String, String> deleted = new HashMap<>();
        for (DeletionLog.Entry e : DeletionLog.read(repo, host, stack)) {
            deleted.put(e.manifestSha256(), e.pointId());
        }
        Map<String, List<String>> children = new LinkedHashMap<>();
        for (var e : previousOf.entrySet()) {
            String prev = e.getValue() == null ? "(start)" : e.getValue();
            children.computeIfAbsent(prev, k -> new ArrayList<>()).add(e.getKey());
            if (e.getValue() != null && !byHash.containsKey(e.getValue()) && !deleted.containsKey(e.getValue())) {
                problems.add("Chain of " + host + "/" + stack + " on " + repo.destination().name() + " breaks before point "
                        + e.getKey() + ": the point written before it (manifest SHA-256 " + e.getValue().substring(0, 12)
                        + "…) is gone and retention did not remove it");
            }
        }
        for (var e : children.entrySet()) {
            if (e.getValue().size() > 1 && !e.getKey().equals("(start)")) {
                String parent = Optional.ofNullable(byHash.get(e.getKey())).or(() -> Optional.ofNullable(deleted.get(e.getKey())))
                        .orElse(e.getKey().substring(0, 12) + "…");
                problems.add("Chain of " + host + "/" + stack + " on " + repo.destination().name() + " forks after point "
                        + parent + ": " + String.join(" and ", e.getValue()) + " both follow it (a history was rewritten)");
            }
        }
        return new Report(repo.destination().name(), host, stack, proven, problems);
    }
}
