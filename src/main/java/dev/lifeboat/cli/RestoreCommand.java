package dev.lifeboat.cli;

import dev.lifeboat.core.Units;
import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.restore.RestoreOptions;
import dev.lifeboat.core.restore.RestoreReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

@Command(name = "restore", description = "Restore a recovery point onto its host (the stack may be gone or still there).")
final class RestoreCommand extends AppCommand {
    @Parameters(index = "0", paramLabel = "POINT")
    String pointId;
    @Option(names = "--confirm", paramLabel = "TEXT", description = "For production hosts: exactly 'RESTORE PRODUCTION'")
    String confirm;
    @Option(names = "--no-safety-backup", description = "Do not back up what exists before overwriting it")
    boolean noSafetyBackup;
    @Option(names = "--only", paramLabel = "SCOPE", description = "Restore only this (repeatable): postgres, "
            + "postgres:DB, postgres:DB.TABLE (the table's rows, other tables untouched), redis, volume:NAME, config")
    java.util.List<String> only;
    @Option(names = "--to", paramLabel = "HOST", description = "Restore onto another registered host (a staging clone)")
    String to;
    @Option(names = "--dry-run", description = "Print the plan (what is stopped and overwritten, the phases, the expected "
            + "time) and change nothing")
    boolean dryRun;
    @Mixin
    JsonOption json;
    @Option(names = {"-q", "--quiet"})
    boolean quiet;

    @Override
    protected int run(AppContext app) {
        RestoreOptions options = new RestoreOptions(confirm, !noSafetyBackup, app.kinds().scope(only), to);
        if (dryRun) {
            printPlan(app.restores().plan(pointId, options));
            return 0;
        }
        RestoreReport r = app.restores().restore(pointId, options,
                new StderrProgress(spec.commandLine().getErr(), quiet || json.on()));
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            Json.print(out, r);
        } else {
            out.println("Restored " + r.pointId() + " onto " + r.host() + "/" + r.stack() + " in "
                    + String.format("%.1f s", r.totalMs() / 1000.0)
                    + (r.safetyPointId() == null ? "" : " (safety point " + r.safetyPointId() + ")"));
            for (RunStep s : r.phases()) {
                out.printf("  %-14s %8.1f s  %s%n", s.name(), s.durationMs() / 1000.0, s.detail() == null ? "" : s.detail());
            }
        }
        return 0;
    }

    private void printPlan(dev.lifeboat.core.restore.RestorePlan p) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            Json.print(out, p);
            return;
        }
        out.println("Plan: restore " + p.pointId() + " onto " + p.host() + "/" + p.stack() + " (" + p.scope() + "). Nothing "
                + "has been changed.");
        if (p.production()) {
            out.println("  " + p.host() + " is production: the restore needs --confirm 'RESTORE PRODUCTION'");
        }
        out.println("  Safety backup first: " + (p.safetyBackup() ? "yes" : "no"));
        p.stopped().forEach(s -> out.println("  Stop: " + s));
        p.overwritten().forEach(s -> out.println("  Overwrite: " + s));
        p.created().forEach(s -> out.println("  Create: " + s));
        out.println("  Phases: " + String.join(" -> ", p.phases()));
        out.println("  Expected time: " + (p.expectedMs() == null ? "unknown (no past restore to estimate from)"
                : String.format("about %.0f s, from %d past restores of similar size", p.expectedMs() / 1000.0,
                p.pastRestores())) + " (" + Units.bytes(p.storedBytes()) + " to read)");
    }
}
