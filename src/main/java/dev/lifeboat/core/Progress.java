package dev.lifeboat.core;

/**
 * FX-free progress reporting for long core work. The UI adapts it to a javafx Task; the CLI prints it.
 * Implementations must be thread-safe: assets may report from several threads.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (phase, message) -> { };

    /** A phase started or moved on, for example "postgres shop" or "volume uploads". */
    void phase(String phase, String message);
}
