package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.proof.DrillReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", description = "Reports from the history.", subcommands = {ReportCommand.Drills.class})
final class ReportCommand {
    @ParentCommand
    LifeboatCommand root;

    @Command(name = "drills", description = "Recovery-time table (targets against measured RTO/RPO, last tested), drill "
            + "history and restore tests of HOST/STACK.")
    static final class Drills implements Callable<Integer> {
        @ParentCommand
        ReportCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--format", defaultValue = "md", paramLabel = "md|html")
        String format;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout")
        Path out;

        @Override
        public Integer call() throws IOException {
            StackRef ref = StackRef.parse(stack);
            String text;
            try (AppContext app = parent.parent().open()) {
                text = switch (format) {
                    case "md", "markdown" -> DrillReports.markdown(app.history(), ref.host(), ref.stack(), AppContext.VERSION);
                    case "html" -> DrillReports.html(app.history(), ref.host(), ref.stack(), AppContext.VERSION);
                    default -> throw new LifeboatException("--format is md or html");
                };
            }
            if (out == null) {
                spec.commandLine().getOut().print(text);
            } else {
                if (out.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                }
                Files.writeString(out, text, StandardCharsets.UTF_8);
                spec.commandLine().getOut().println("Report written to " + out);
            }
            return 0;
        }
    }

    LifeboatCommand parent() {
        return root;
    }
}
