package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RetentionPolicy;
import dev.lifeboat.core.retention.PruneService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;

@Command(name = "prune", description = "Apply GFS retention to a stack's points (per destination). Shows what goes with --dry-run.")
final class PruneCommand extends AppCommand {
    @Parameters(index = "0", paramLabel = "HOST/STACK")
    String target;
    @Option(names = "--to", paramLabel = "DEST", description = "Only this destination (default: every destination)")
    String destination;
    @Option(names = "--keep-hourly", defaultValue = "0")
    int hourly;
    @Option(names = "--keep-daily", defaultValue = "7")
    int daily;
    @Option(names = "--keep-weekly", defaultValue = "4")
    int weekly;
    @Option(names = "--keep-monthly", defaultValue = "12")
    int monthly;
    @Option(names = "--keep-yearly", defaultValue = "0")
    int yearly;
    @Option(names = "--zone", description = "Time zone for days, weeks and months (default: this machine's)")
    ZoneId zone;
    @Option(names = "--dry-run", description = "Show what would be deleted; delete nothing")
    boolean dryRun;
    @Mixin
    JsonOption json;

    @Override
    protected int run(AppContext app) {
        StackRef ref = StackRef.parse(target);
        List<PruneService.Entry> entries = new PruneService(app.repositories()).prune(ref.host(), ref.stack(), destination,
                new RetentionPolicy(hourly, daily, weekly, monthly, yearly), zone == null ? ZoneId.systemDefault() : zone,
                dryRun);
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            Json.print(out, entries);
            return 0;
        }
        for (PruneService.Entry e : entries) {
            if (e.skipped()) {
                out.printf("%-7s %-26s %-10s %s%n", "skipped", "", e.destination(), String.join(", ", e.reasons()));
                continue;
            }
            out.printf("%-7s %-26s %-10s %s%n", e.keep() ? "keep" : (dryRun ? "delete" : "deleted"), e.pointId(),
                    e.destination(), String.join(", ", e.reasons()));
        }
        long gone = entries.stream().filter(e -> !e.keep() && !e.leftover() && !e.skipped()).count();
        long points = entries.stream().filter(e -> !e.leftover() && !e.skipped()).count();
        long leftovers = entries.stream().filter(PruneService.Entry::leftover).count();
        out.println((dryRun ? "Would delete " : "Deleted ") + gone + " of " + points + " points"
                + (leftovers == 0 ? "" : " and " + leftovers + " leftovers of killed runs")
                + (dryRun ? " (dry run: nothing was deleted)" : ""));
        return 0;
    }
}
