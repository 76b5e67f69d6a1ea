package dev.lifeboat.core.history;

import java.util.List;
import java.util.Set;

/** One timed step of a run, for example one asset of a backup or one phase of a restore. */
public record RunStep(String name, long durationMs, Long bytes, String status, String detail) {
    /**
     * The phases of a restore or drill during which the stack keeps serving: the checks before and after,
     * the safety backup, shipping the WAL written so far, and a sandbox's own set-up and removal. Every other
     * phase (stop, the kinds' restores, recovery, start, health, a rollback) is downtime.
     */
    private static final Set<String> SERVING = Set.of("verify", "beside", "safety backup", "post-restore checks", "assessment",
            "clean leftovers", "remove sandbox", "ship WAL");

    /** Whether the stack keeps serving during the phase {@code name} (an in-place drill's "restore X" as X). */
    public static boolean keepsServing(String name) {
        return SERVING.contains(name.startsWith("restore ") ? name.substring(8) : name);
    }

    /** The downtime of a restore or drill: the sum of its phases that keep the stack down (an in-place drill's "restore X" as X). */
    public static long downtimeMs(List<RunStep> steps) {
        return steps.stream().filter(s -> !SERVING.contains(s.name().startsWith("restore ") ? s.name().substring(8) : s.name()))
                .mapToLong(RunStep::durationMs).sum();
    }
}
