package dev.lifeboat.cli;

import dev.lifeboat.core.Progress;

import java.io.PrintWriter;

/** Progress lines on stderr, so stdout stays clean for ids and --json. */
final class StderrProgress implements Progress {
    private final PrintWriter err;
    private final boolean quiet;

    StderrProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public synchronized void phase(String phase, String message) {
        if (!quiet) {
            err.println("  " + message);
            err.flush();
        }
    }
}
