package dev.lifeboat.core.model;

import java.util.List;

/** A container's Docker healthcheck as recorded from inspect; durations in nanoseconds, as the Engine API has them. */
public record HealthSpec(List<String> test, Long intervalNanos, Long timeoutNanos, Integer retries, Long startPeriodNanos) {
}
