package dev.lifeboat.core.restore;

import dev.lifeboat.core.history.PastRestore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A restore's plan, shown before anything happens ({@code restore --dry-run}): what is stopped, what is
 * overwritten or created, the phases, and the expected time from past restores of similar size.
 */
public record RestorePlan(String pointId, String host, String stack, boolean production, String scope,
                          boolean safetyBackup, List<String> stopped, List<String> overwritten, List<String> created,
                          List<String> phases, long storedBytes, Long expectedMs, int pastRestores) {

    /**
     * The expected duration: the median throughput of the (up to 3) past restores closest in size,
     * applied to this size; null without history.
     */
    static Long estimate(List<PastRestore> past, long bytes) {
        List<PastRestore> usable = new ArrayList<>(past.stream()
                .filter(p -> p.storedBytes() > 0 && p.took().toMillis() > 0).toList());
        if (usable.isEmpty()) {
            return null;
        }
        usable.sort(Comparator.comparingDouble(p -> Math.abs(Math.log((double) p.storedBytes() / Math.max(1, bytes)))));
        List<PastRestore> nearest = usable.subList(0, Math.min(3, usable.size()));
        double[] msPerByte = nearest.stream().mapToDouble(p -> (double) p.took().toMillis() / p.storedBytes()).sorted().toArray();
        return Math.round(msPerByte[msPerByte.length / 2] * bytes);
    }
}
