package dev.lifeboat.cli;

import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The {@code --json} option every listing and run command shares: machine-readable output on stdout. */
final class JsonOption {
    @Option(names = "--json", description = "Print JSON on stdout instead of text (progress stays on stderr)")
    boolean json;

    boolean on() {
        return json;
    }

    /** Prints {@code value} as JSON when --json was given, else the text form. */
    void print(PrintWriter out, Object value, Runnable text) {
        if (json) {
            Json.print(out, value);
        } else {
            text.run();
        }
    }
}
