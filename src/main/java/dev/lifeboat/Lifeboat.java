package dev.lifeboat;

import dev.lifeboat.cli.Cli;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Entry point. With no arguments it opens the console; with arguments it runs the CLI. Both get
 * their services from {@link AppContext}.
 */
public final class Lifeboat {
    private Lifeboat() {
    }

    public static void main(String[] args) {
        Path home = homeFrom(args);
        System.setProperty("lifeboat.logdir", home.resolve("logs").toString());
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        if (args.length == 0 || (args.length == 2 && args[0].equals("--home"))) {
            if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                    && System.getProperty("glass.platform") == null) {
                System.err.println("lifeboat: no display for the console (DISPLAY is not set). "
                        + "Use the CLI, e.g. 'lifeboat --help', or run the console under a desktop or xvfb-run.");
                System.exit(Cli.USAGE);
            }
            dev.lifeboat.ui.shell.ConsoleApp.launchConsole(home);
            return;
        }
        int code = Cli.run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        System.exit(code);
    }

    private static Path homeFrom(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--home")) {
                return Path.of(args[i + 1]);
            }
        }
        for (String a : args) {
            if (a.startsWith("--home=")) {
                return Path.of(a.substring("--home=".length()));
            }
        }
        return AppContext.defaultHome();
    }
}
