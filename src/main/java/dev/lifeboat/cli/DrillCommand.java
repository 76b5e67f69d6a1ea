package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.proof.DrillReport;
import dev.lifeboat.core.proof.DrillService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "drill", description = {"Run a DR drill of HOST/STACK and record it: every phase timed, RTO and RPO "
        + "measured against the stack's targets.",
        "Scenarios: database-corruption, complete-failure, accidental-deletion, redis-loss, table-dropped. By default the "
                + "drill runs in a sandbox copy of the stack; --in-place restores the live stack and needs --confirm "
                + "'RESTORE PRODUCTION'.",
        "With --to-time (and always for table-dropped), PostgreSQL is recovered to the moment of the damage from a base "
                + "backup and the shipped WAL ('lifeboat pitr enable'), and the RPO is the time from the newest transaction "
                + "recovered to the damage."},
        subcommands = {DrillCommand.Record.class})
final class DrillCommand extends AppCommand {
    @Parameters(index = "0", paramLabel = "HOST/STACK", arity = "0..1")
    String stack;
    @Option(names = "--scenario", paramLabel = "S")
    String scenario;
    @Option(names = "--in-place", description = "Drill on the live stack (a real restore, with safety backup and rollback)")
    boolean inPlace;
    @Option(names = "--confirm", paramLabel = "TEXT", description = "With --in-place: exactly 'RESTORE PRODUCTION'")
    String confirm;
    @Option(names = "--table", paramLabel = "DB.TABLE", description = "For accidental-deletion (default: the largest table)"
            + " and table-dropped (checked to be back)")
    String table;
    @Option(names = "--to-time", paramLabel = "MOMENT", description = "When the damage happened, e.g. '2026-12-01 14:03:00+01'"
            + " (table-dropped: now by default)")
    String toTime;
    @Option(names = "--notes", paramLabel = "TEXT", description = "Notes and issues found, kept with the drill")
    String notes;
    @Mixin
    JsonOption json;

    @Override
    protected void validate() {
        if (stack == null || scenario == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Give HOST/STACK and --scenario (" + String.join(", ", DrillService.SCENARIOS) + ")");
        }
    }

    @Override
    protected boolean watchedRun() {
        return true;
    }

    @Override
    protected int run(AppContext app) {
        StackRef ref = StackRef.parse(stack);
        DrillReport r = app.drills().run(new DrillService.Request(ref.host(), ref.stack(), scenario, inPlace, confirm,
                table, notes, toTime == null ? null : Moments.parse(toTime)), new StderrProgress(err(), true));
        print(out(), r, json.on());
        if (!r.ok()) {
            err().println("lifeboat: drill failed: " + reason(r));
            return Cli.FAILED;
        }
        return 0;
    }

    static String reason(DrillReport r) {
        List<String> why = new ArrayList<>();
        r.checks().stream().filter(c -> !c.ok()).findFirst().ifPresent(c -> why.add(c.name() + ": " + c.detail()));
        if (r.rto() != null && !r.rtoMet()) {
            why.add("RTO " + r.rto().toSeconds() + " s exceeds the target " + StackSettings.format(r.rtoTarget()));
        }
        if (r.rpo() != null && !r.rpoMet()) {
            why.add("RPO " + StackSettings.format(Duration.ofSeconds(r.rpo().toSeconds())) + " exceeds the target "
                    + StackSettings.format(r.rpoTarget()));
        }
        return why.isEmpty() ? "no recovery" : String.join("; ", why);
    }

    static void print(PrintWriter out, DrillReport r, boolean json) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("stack", r.host() + "/" + r.stack());
            m.put("scenario", r.scenario());
            m.put("mode", r.mode());
            m.put("ok", r.ok());
            m.put("pointId", r.pointId());
            m.put("pointTakenAt", r.pointTakenAt() == null ? null : r.pointTakenAt().toString());
            m.put("rtoMs", r.rto() == null ? null : r.rto().toMillis());
            m.put("rpoMs", r.rpo() == null ? null : r.rpo().toMillis());
            m.put("downtimeMs", r.downtime() == null ? null : r.downtime().toMillis());
            m.put("rtoTargetMs", r.rtoTarget().toMillis());
            m.put("rpoTargetMs", r.rpoTarget().toMillis());
            m.put("rtoMet", r.rtoMet());
            m.put("rpoMet", r.rpoMet());
            m.put("phases", r.phases());
            m.put("checks", r.checks());
            m.put("nextDue", r.nextDue().toString());
            Json.print(out, m);
            return;
        }
        for (RunStep p : r.phases()) {
            out.printf("%-22s %9.1f s  %s%n", p.name(), p.durationMs() / 1000.0, p.detail() == null ? "" : p.detail());
        }
        for (Check c : r.checks()) {
            out.printf("%-4s %-40s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
        }
        out.printf("Drill %s (%s) of %s/%s: %s. RTO %s (target %s, %s; down %s of it), RPO %s (target %s, %s). Next drill due %s.%n",
                r.scenario(), r.mode(), r.host(), r.stack(), r.ok() ? "PASSED" : "FAILED",
                r.rto() == null ? "n/a" : String.format("%.1f s", r.rto().toMillis() / 1000.0), StackSettings.format(r.rtoTarget()),
                r.rtoMet() ? "met" : "missed",
                r.downtime() == null ? "n/a" : String.format("%.1f s", r.downtime().toMillis() / 1000.0),
                r.rpo() == null ? "n/a" : StackSettings.format(Duration.ofSeconds(Math.max(1, r.rpo().toSeconds()))),
                StackSettings.format(r.rpoTarget()), r.rpoMet() ? "met" : "missed", r.nextDue());
    }

    @Command(name = "record", description = "Record a drill done by hand: scenario, phase times, result and notes.")
    static final class Record extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--scenario", required = true, paramLabel = "S")
        String scenario;
        @Option(names = "--phase", required = true, paramLabel = "NAME=DURATION", description = "Repeat in order, e.g. "
                + "--phase assessment=5m --phase 'restore databases=20m'")
        List<String> phases;
        @Option(names = "--result", required = true, paramLabel = "pass|fail")
        String result;
        @Option(names = "--rpo", paramLabel = "DURATION", description = "Data lost: drill start minus the restored point's time")
        String rpo;
        @Option(names = "--at", paramLabel = "ISO-8601", description = "When the drill started (default: now)")
        String at;
        @Option(names = "--notes", paramLabel = "TEXT")
        String notes;

        @Override
        protected boolean watchedRun() {
            return true;
        }

        @Override
        protected int run(AppContext app) {
            if (!result.equals("pass") && !result.equals("fail")) {
                throw new LifeboatException("--result is pass or fail");
            }
            List<RunStep> steps = new ArrayList<>();
            for (String p : phases) {
                int eq = p.lastIndexOf('=');
                if (eq <= 0) {
                    throw new LifeboatException("--phase NAME=DURATION, got " + p);
                }
                steps.add(new RunStep(p.substring(0, eq), StackSettings.parseDuration(p.substring(eq + 1)).toMillis(), null,
                        "ok", "recorded by hand"));
            }
            StackRef ref = StackRef.parse(stack);
            DrillReport r = app.drills().recordManual(ref.host(), ref.stack(), scenario,
                    at == null ? Instant.now() : Instant.parse(at), steps, result.equals("pass"),
                    rpo == null ? null : StackSettings.parseDuration(rpo), notes);
            print(out(), r, false);
            return 0;
        }
    }
}
