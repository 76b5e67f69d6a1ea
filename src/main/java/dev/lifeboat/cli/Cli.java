package dev.lifeboat.cli;

import dev.lifeboat.core.ConfirmationRequiredException;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Runs the CLI. Every failure ends as one line on stderr and a non-zero exit code: 1 general failure,
 * 2 usage, 3 confirmation refused, 4 integrity failure. The full trace goes to the log file only.
 */
public final class Cli {
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int REFUSED = 3;
    public static final int INTEGRITY = 4;
    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

    private Cli() {
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = LifeboatCommand.commandLine(args);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            if (ex instanceof LifeboatException) {
                LOG.info("{} failed: {}", String.join(" ", commandLine.getCommandSpec().qualifiedName()), message, ex);
            } else {
                LOG.error("{} failed unexpectedly", commandLine.getCommandSpec().qualifiedName(), ex);
                message = "unexpected error: " + message + " (details in the log under " + "the Lifeboat home's logs/)";
            }
            err.println("lifeboat: " + message.replace('\n', ' '));
            err.flush();
            if (ex instanceof ConfirmationRequiredException) {
                return REFUSED;
            }
            if (ex instanceof IntegrityException) {
                return INTEGRITY;
            }
            return FAILED;
        });
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("lifeboat: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            err.flush();
            return USAGE;
        });
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
