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
    /** A generated document (runbook, recovery times) as md, html or pdf, to the terminal or a file. */
    abstract static class DocumentCommand extends AppCommand {
        @Option(names = "--format", defaultValue = "md", paramLabel = "md|html|pdf")
        String format;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout (required for pdf)")
        Path out;

        /** The document, from the history. */
        abstract dev.lifeboat.core.proof.Runbook.Document document(AppContext app);

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
            byte[] bytes = dev.lifeboat.core.proof.Runbook.render(document(app), format);
            if (out == null) {
                out().print(new String(bytes, StandardCharsets.UTF_8));
                return 0;
            }
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.write(out, bytes);
            out().println("Written to " + out);
            return 0;
        }
    }

    @Command(name = "recovery-times", description = "Targets against measured RTO/RPO for the whole fleet: every stack, the"
            + " latest drill of each scenario, the next drill due; stacks never drilled are listed too.")
    static final class RecoveryTimesReport extends DocumentCommand {
        @Override
        dev.lifeboat.core.proof.Runbook.Document document(AppContext app) {
            return dev.lifeboat.core.proof.RecoveryTimes.fleet(app.history(), AppContext.VERSION,
                    java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        }
    }

    @Command(name = "runbook", description = "The DR runbook of HOST/STACK, generated from the history: what is backed up and"
            + " where (and where the keys live, never the keys), each recovery scenario step by step with this stack's"
            + " commands, targets against the latest drills, contacts.")
    static final class RunbookReport extends DocumentCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;

        @Override
        dev.lifeboat.core.proof.Runbook.Document document(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            return dev.lifeboat.core.proof.Runbook.of(app.history(), app.repositories(), ref.host(), ref.stack(),
                    AppContext.VERSION, app.home());
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
