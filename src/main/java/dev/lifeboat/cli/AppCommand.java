package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that works on the home: it opens the context from the root command's options (wherever
 * it sits in the command tree), runs, and closes it. A command that starts a run the alert rules watch
 * says so ({@link #watchedRun}); the after-run step then follows it, done or failed, as it follows the
 * console's and the agent's runs.
 */
abstract class AppCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The command's work, with the context open. */
    protected abstract int run(AppContext app) throws Exception;

    /** Whether this command starts a run that the alert rules watch (backup, verify, restore test, drill, copy). */
    protected boolean watchedRun() {
        return false;
    }

    /** Checks of the options that need no context; they fail before the home is opened. */
    protected void validate() {
    }

    @Override
    public final Integer call() throws Exception {
        validate();
        LifeboatCommand root = (LifeboatCommand) spec.root().userObject();
        try (AppContext app = root.open()) {
            try {
                return run(app);
            } finally {
                if (watchedRun()) {
                    app.afterRun().run();
                }
            }
        }
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
