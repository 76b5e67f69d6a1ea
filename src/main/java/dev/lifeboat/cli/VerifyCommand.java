package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.proof.RestoreTestReport;
import dev.lifeboat.core.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "verify", description = {"Re-read a recovery point: checksums, authenticated decryption, structure.",
        "With --restore-test, also restore it into an isolated sandbox (throwaway containers and volumes, no network) "
                + "and check the data: tables, row counts, constraints, freshness, Redis keys, volume files."})
final class VerifyCommand extends AppCommand {
    @Parameters(index = "0", paramLabel = "POINT|HOST/STACK", description = "The point (with --random: the stack)")
    String target;
    @Option(names = "--restore-test", description = "Restore into a sandbox and check the content")
    boolean restoreTest;
    @Option(names = "--random", description = "With --restore-test: pick a random point of HOST/STACK from the last 7 days")
    boolean random;
    @Option(names = "--on", paramLabel = "HOST", description = "With --restore-test: the host that runs the sandbox "
            + "(default: the point's own)")
    String on;
    @Option(names = "--to-time", paramLabel = "MOMENT", description = "With --restore-test on HOST/STACK: restore its PostgreSQL"
            + " to the moment (base backup and shipped WAL, 'lifeboat pitr enable') in the sandbox, e.g. '2026-12-01 14:03:00+01'")
    String toTime;
    @Option(names = "--table", paramLabel = "DB.TABLE", description = "With --to-time: a table to find back, with its rows")
    String table;
    @Option(names = "--chain", description = "Check the chain of HOST/STACK's manifests on every destination: names a"
            + " point deleted by hand or a rewritten history (points retention removed are accounted for)")
    boolean chain;
    @Mixin
    JsonOption json;

    @Override
    protected void validate() {
        if ((random || on != null || toTime != null) && !restoreTest) {
            throw new LifeboatException("--random, --on and --to-time go with --restore-test");
        }
        if (toTime != null && (random || on != null)) {
            throw new LifeboatException("--to-time restores HOST/STACK's PostgreSQL to a moment on its own host; without"
                    + " --random and --on");
        }
        if (table != null && toTime == null) {
            throw new LifeboatException("--table goes with --to-time");
        }
        if (chain && restoreTest) {
            throw new LifeboatException("--chain checks a stack's chain; use it without --restore-test");
        }
    }

    @Override
    protected boolean watchedRun() {
        return true;
    }

    @Override
    protected int run(AppContext app) {
        return chain ? chain(app) : restoreTest ? restoreTest(app) : verify(app);
    }

    private int chain(AppContext app) {
        StackRef ref = StackRef.parse(target);
        List<dev.lifeboat.core.storage.Chain.Report> reports = app.verifier().chain(ref.host(), ref.stack());
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            Json.print(out, reports);
        } else {
            for (var r : reports) {
                out.println((r.ok() ? "ok   " : "FAIL ") + "chain of " + r.host() + "/" + r.stack() + " on " + r.destination()
                        + ": " + r.points() + " points" + (r.ok() ? ", intact" : ""));
                r.problems().forEach(p -> out.println("     " + p));
            }
        }
        var bad = reports.stream().flatMap(r -> r.problems().stream()).findFirst();
        if (reports.isEmpty()) {
            spec.commandLine().getErr().println("lifeboat: no destination holds points of " + target);
            return 1;
        }
        if (bad.isPresent()) {
            spec.commandLine().getErr().println("lifeboat: " + bad.get());
            return Cli.INTEGRITY;
        }
        return 0;
    }

    private int verify(AppContext app) {
        VerifyReport report = app.verifier().verify(target, new StderrProgress(spec.commandLine().getErr(), true));
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            Json.print(out, Map.of("pointId", report.pointId(), "ok", report.ok(), "checks", report.checks()));
        } else {
            for (VerifyReport.Check c : report.checks()) {
                out.printf("%-4s %-44s %s%n", c.ok() ? "ok" : "FAIL", c.artifact(), c.detail());
            }
        }
        if (!report.ok()) {
            spec.commandLine().getErr().println("lifeboat: recovery point " + target + " failed verification: "
                    + report.failures().get(0).detail());
            return Cli.INTEGRITY;
        }
        return 0;
    }

    private int restoreTest(AppContext app) {
        String pointId = target;
        if (random) {
            StackRef ref = StackRef.parse(target);
            pointId = app.restoreTests().randomRecentPoint(ref.host(), ref.stack(), Duration.ofDays(7), new SecureRandom());
            spec.commandLine().getErr().println("Picked point " + pointId + " at random from the last 7 days");
        }
        RestoreTestReport r;
        if (toTime != null) {
            StackRef ref = StackRef.parse(target);
            r = app.restoreTests().testMoment(ref.host(), ref.stack(), Moments.parse(toTime), table,
                    new StderrProgress(spec.commandLine().getErr(), true));
        } else {
            r = app.restoreTests().test(pointId, on, new StderrProgress(spec.commandLine().getErr(), true));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runId", r.runId());
            m.put("pointId", r.pointId());
            m.put("stack", r.host() + "/" + r.stack());
            m.put("sandboxHost", r.sandboxHost());
            m.put("ok", r.ok());
            m.put("durationMs", r.durationMs());
            m.put("checks", r.checks());
            m.put("phases", r.phases());
            Json.print(out, m);
        } else {
            for (Check c : r.checks()) {
                out.printf("%-4s %-40s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
            }
            out.printf("Restore test of %s in a sandbox on %s: %s in %.1f s%n", toTime == null ? r.pointId()
                            : target + " to " + toTime + " (base backup " + r.pointId() + ")", r.sandboxHost(),
                    r.ok() ? "passed" : "FAILED", r.durationMs() / 1000.0);
        }
        if (!r.ok()) {
            Check first = r.failures().get(0);
            spec.commandLine().getErr().println("lifeboat: restore test of " + r.pointId() + " failed: " + first.name()
                    + ": " + first.detail());
            return Cli.INTEGRITY;
        }
        return 0;
    }
}
