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

@Command(name = "restore", description = "Restore a recovery point onto its host (the stack may be gone or still there);"
        + " or, with --to-time/--to-lsn, one PostgreSQL of HOST/STACK to a moment from its base backup and shipped WAL.")
final class RestoreCommand extends AppCommand {
    @Parameters(index = "0", paramLabel = "POINT|HOST/STACK")
    String pointId;
    @Option(names = "--postgres", paramLabel = "NAME", description = "With --to-time/--to-lsn: the PostgreSQL asset, NAME as in"
            + " postgres:NAME (default: the stack's only one)")
    String postgres;
    @Option(names = "--to-time", paramLabel = "TIME", description = "Point-in-time recovery to this moment, e.g. "
            + "'2026-12-01 14:03:00+01' (ISO-8601 also), or 'latest' for the newest WAL shipped")
    String toTime;
    @Option(names = "--to-lsn", paramLabel = "LSN", description = "Point-in-time recovery up to this WAL position, e.g. 0/3000060")
    String toLsn;
    @Option(names = "--confirm", paramLabel = "TEXT", description = "For production hosts: exactly 'RESTORE PRODUCTION'")
    String confirm;
    @Option(names = "--no-safety-backup", description = "Do not back up what exists before overwriting it")
    boolean noSafetyBackup;
    @Option(names = "--in-place", description = "Replace the data in place after a safety backup to the destination, instead"
            + " of restoring beside it and swapping (for a host without room for both copies)")
    boolean inPlace;
    @Option(names = "--only", paramLabel = "SCOPE", description = "Restore only this (repeatable): postgres, "
            + "postgres:DB, postgres:DB.TABLE (the table's rows, other tables untouched), redis, volume:NAME, config")
    java.util.List<String> only;
    @Option(names = "--to", paramLabel = "HOST", description = "Restore onto another registered host (a staging clone)")
    String to;
    @Option(names = "--dry-run", description = "Print the plan (what is stopped and overwritten, the phases, the expected "
            + "time) and change nothing")
    boolean dryRun;
    @Option(names = "--preview", description = "Print what would change against the live stack (rows per table now and at"
            + " the point, files that change, images that differ), read without changing anything")
    boolean preview;
    @Mixin
    JsonOption json;
    @Option(names = {"-q", "--quiet"})
    boolean quiet;

    @Override
    protected int run(AppContext app) {
        if (toTime != null || toLsn != null) {
            return toMoment(app);
        }
        if (postgres != null) {
            throw new dev.lifeboat.core.LifeboatException("--postgres goes with --to-time or --to-lsn");
        }
        RestoreOptions options = new RestoreOptions(confirm, !noSafetyBackup, app.kinds().scope(only), to, !inPlace);
        if (dryRun) {
            printPlan(app.restores().plan(pointId, options));
            return 0;
        }
        if (preview) {
            var p = app.restores().preview(pointId, options);
            PrintWriter out = spec.commandLine().getOut();
            if (json.on()) {
                Json.print(out, p);
                return 0;
            }
            out.println("Restoring " + p.pointId() + " onto " + p.host() + "/" + p.stack() + " would change:");
            for (var section : p.sections()) {
                out.println();
                out.println(section.title() + ": " + section.summary());
                for (var row : section.rows()) {
                    if (section.kind().equals("postgres") && "same".equals(row.get(3))) {
                        continue; // unchanged tables are in --json
                    }
                    out.println("  " + String.join("  ", row));
                }
            }
            for (var image : p.images()) {
                out.println("Image of " + image.get(0) + ": " + image.get(1) + " now, " + image.get(2) + " at the point");
            }
            out.println();
            out.println(p.summary() + " Nothing has been changed.");
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
            out.printf("  Down for %.1f s.%n", r.downtimeMs() / 1000.0);
            for (var k : r.keptAside()) {
                out.println("  Kept aside on the host until " + k.expiresAt() + ": " + k.asset() + " as it was (" + k.description()
                        + "), safety copy " + k.id() + "; 'lifeboat safety release " + k.id() + "' frees it sooner");
            }
        }
        return 0;
    }

    /** Point-in-time recovery of one PostgreSQL asset (ADR 24). */
    private int toMoment(AppContext app) {
        if (toTime != null && toLsn != null) {
            throw new dev.lifeboat.core.LifeboatException("Give --to-time or --to-lsn, not both");
        }
        StackRef ref = StackRef.parse(pointId);
        dev.lifeboat.core.pitr.PitrRestore.Target target = toLsn != null ? dev.lifeboat.core.pitr.PitrRestore.Target.lsn(toLsn)
                : toTime.equalsIgnoreCase("latest") ? dev.lifeboat.core.pitr.PitrRestore.Target.latest()
                : dev.lifeboat.core.pitr.PitrRestore.Target.at(Moments.parse(toTime));
        String container = postgres;
        if (container == null) {
            var enabled = app.history().pitr().of(ref.host(), ref.stack());
            if (enabled.size() != 1) {
                throw new dev.lifeboat.core.LifeboatException(enabled.isEmpty() ? "WAL shipping is not on for " + pointId
                        : "Say which PostgreSQL with --postgres: " + enabled.stream().map(c -> c.asset()).toList());
            }
            container = enabled.get(0).container();
        } else if (container.startsWith("postgres:")) {
            container = container.substring("postgres:".length());
        }
        var r = app.pitrRestore().restore(ref.host(), ref.stack(), container, target, confirm,
                new StderrProgress(spec.commandLine().getErr(), quiet || json.on()));
        PrintWriter out = spec.commandLine().getOut();
        json.print(out, r, () -> out.println("Restored " + r.asset() + " of " + pointId + " to " + r.target() + " from base backup "
                + r.basePoint() + " and " + r.walFiles() + " WAL files in " + String.format("%.1f s", r.took().toMillis() / 1000.0)
                + " (safety point " + r.safetyPoint() + "); newest transaction recovered: " + r.newestTransaction()));
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
