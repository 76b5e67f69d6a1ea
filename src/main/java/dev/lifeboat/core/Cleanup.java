package dev.lifeboat.core;

/**
 * Undoing what a failed step made. A cancel, or a sibling's failure that stops the others, interrupts the thread
 * that then cleans up; but I/O on an interrupted thread fails at once (the Engine's socket channel, a file channel),
 * so a cleanup run with the flag set would leave behind what it was meant to remove: a staged database, a
 * directory in a live volume, a helper container. The steps therefore run with the flag cleared, and it is set
 * again afterwards, so that the cancel still reaches the caller.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /** One step of a cleanup; whatever it throws is kept with the failure that made it necessary. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /**
     * Runs each of {@code steps} after {@code failure}, every one even if an earlier one failed, with this thread's
     * interrupt flag cleared meanwhile and restored after. What a step throws is suppressed into {@code failure},
     * which the caller then throws.
     */
    public static void after(Throwable failure, Step... steps) {
        boolean interrupted = Thread.interrupted();
        try {
            for (Step step : steps) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure.addSuppressed(e);
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs {@code step} (a {@code finally}'s removal of a helper, say) with this thread's interrupt flag cleared, and sets
     * the flag again after; what the step throws is thrown.
     */
    public static void uninterrupted(Runnable step) {
        boolean interrupted = Thread.interrupted();
        try {
            step.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
