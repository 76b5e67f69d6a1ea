package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.proof.DrillReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

@Command(name = "report", description = "Reports from the history.", subcommands = {ReportCommand.Drills.class})
final class ReportCommand {
    @Command(name = "drills", description = "Recovery-time table (targets against measured RTO/RPO, last tested), drill "
            + "history and restore tests of HOST/STACK.")
    static final class Drills extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--format", defaultValue = "md", paramLabel = "md|html")
        String format;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout")
        Path out;

        @Override
        protected void validate() {
            if (!List.of("md", "markdown", "html").contains(format)) {
                throw new LifeboatException("--format is md or html");
            }
        }

        @Override
        protected int run(AppContext app) throws IOException {
            StackRef ref = StackRef.parse(stack);
            String text = format.equals("html") ? DrillReports.html(app.history(), ref.host(), ref.stack(), AppContext.VERSION)
                    : DrillReports.markdown(app.history(), ref.host(), ref.stack(), AppContext.VERSION);
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
}
