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

@Command(name = "report", description = "Reports from the history.", subcommands = {ReportCommand.Drills.class,
        ReportCommand.RunbookReport.class, ReportCommand.RecoveryTimesReport.class})
final class ReportCommand {
    @Command(name = "recovery-times", description = "Targets against measured RTO/RPO for the whole fleet: every stack, the"
            + " latest drill of each scenario, the next drill due; stacks never drilled are listed too.")
    static final class RecoveryTimesReport extends AppCommand {
        @Option(names = "--format", defaultValue = "md", paramLabel = "md|html|pdf")
        String format;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout (required for pdf)")
        Path out;

        @Override
        protected void validate() {
            if (!List.of("md", "markdown", "html", "pdf").contains(format)) {
                throw new LifeboatException("--format is md, html or pdf");
            }
            if (format.equals("pdf") && out == null) {
                throw new LifeboatException("A PDF goes to a file: give --out FILE");
            }
        }

        @Override
        protected int run(AppContext app) throws IOException {
            var doc = dev.lifeboat.core.proof.RecoveryTimes.fleet(app.history(), AppContext.VERSION,
                    java.time.LocalDate.now(java.time.ZoneOffset.UTC));
            write(spec.commandLine().getOut(), dev.lifeboat.core.proof.Runbook.render(doc, format), out, "Report");
            return 0;
        }
    }

    /** {@code bytes} to {@code out}, or to the terminal when there is no file. */
    static void write(java.io.PrintWriter terminal, byte[] bytes, Path out, String what) throws IOException {
        if (out == null) {
            terminal.print(new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.write(out, bytes);
        terminal.println(what + " written to " + out);
    }

    @Command(name = "runbook", description = "The DR runbook of HOST/STACK, generated from the history: what is backed up and"
            + " where (and where the keys live, never the keys), each recovery scenario step by step with this stack's"
            + " commands, targets against the latest drills, contacts.")
    static final class RunbookReport extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--format", defaultValue = "md", paramLabel = "md|html|pdf")
        String format;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout (required for pdf)")
        Path out;

        @Override
        protected void validate() {
            if (!List.of("md", "markdown", "html", "pdf").contains(format)) {
                throw new LifeboatException("--format is md, html or pdf");
            }
            if (format.equals("pdf") && out == null) {
                throw new LifeboatException("A PDF goes to a file: give --out FILE");
            }
        }

        @Override
        protected int run(AppContext app) throws IOException {
            StackRef ref = StackRef.parse(stack);
            var doc = dev.lifeboat.core.proof.Runbook.of(app.history(), app.repositories(), ref.host(), ref.stack(),
                    AppContext.VERSION, app.home());
            write(spec.commandLine().getOut(), dev.lifeboat.core.proof.Runbook.render(doc, format), out, "Runbook");
            return 0;
        }
    }

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
