package dev.lifeboat.core.history;

/** One timed step of a run, for example one asset of a backup or one phase of a restore. */
public record RunStep(String name, long durationMs, Long bytes, String status, String detail) {
}
