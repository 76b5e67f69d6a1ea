package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "stack", description = "A stack's recovery targets (RTO, RPO) and restore-test settings.",
        subcommands = {StackCommand.Set.class, StackCommand.Show.class, StackCommand.Unlock.class})
final class StackCommand {

    @Command(name = "set", description = "Change settings of HOST/STACK; options not given keep their value.")
    static final class Set extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--rto", paramLabel = "DURATION", description = "Recovery time objective (default 1h)")
        String rto;
        @Option(names = "--rpo", paramLabel = "DURATION", description = "Recovery point objective (default 24h)")
        String rpo;
        @Option(names = "--tolerance", paramLabel = "PERCENT", description = "Row-count tolerance of restore tests, all tables")
        Double tolerance;
        @Option(names = "--table-tolerance", paramLabel = "DB.SCHEMA.TABLE=PERCENT", description = "For live-write tables")
        Map<String, Double> tableTolerances;
        @Option(names = "--fresh", paramLabel = "DB.SCHEMA.TABLE.COLUMN=DURATION",
                description = "The newest value must be at most this long before the backup")
        Map<String, String> fresh;
        @Option(names = "--probe", paramLabel = "CONTAINER:COMMAND", description = "App-level check run in the restored "
                + "container; it must exit 0 (empty to remove)")
        String probe;
        @Option(names = "--drill-every", paramLabel = "DAYS", description = "Drill interval (default 30)")
        Integer drillEvery;
        @Option(names = "--keep-safety", paramLabel = "DURATION", description = "How long safety points taken before"
                + " restores are kept, outside the daily/weekly/monthly slots (default 14d)")
        String keepSafety;
        @Option(names = "--keep-replaced", paramLabel = "DURATION", description = "How long what a restore replaced stays"
                + " on the host to swap back to, unless released sooner (default 7d)")
        String keepReplaced;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            StackSettings s = app.history().plans().settings(ref.host(), ref.stack());
            Map<String, Double> tol = new LinkedHashMap<>(s.tableTolerances());
            if (tableTolerances != null) {
                tol.putAll(tableTolerances);
            }
            Map<String, Duration> freshness = new LinkedHashMap<>(s.freshness());
            if (fresh != null) {
                fresh.forEach((k, v) -> freshness.put(k, StackSettings.parseDuration(v)));
            }
            StackSettings updated = new StackSettings(ref.host(), ref.stack(),
                    rto == null ? s.rto() : StackSettings.parsePositiveDuration("--rto", rto),
                    rpo == null ? s.rpo() : StackSettings.parsePositiveDuration("--rpo", rpo),
                    tolerance == null ? s.rowTolerancePct() : tolerance, tol, freshness,
                    probe == null ? s.probe() : (probe.isBlank() ? null : probe),
                    drillEvery == null ? s.drillIntervalDays() : drillEvery,
                    keepSafety == null ? s.safetyRetention() : StackSettings.parsePositiveDuration("--keep-safety", keepSafety),
                    keepReplaced == null ? s.keptRetention() : StackSettings.parsePositiveDuration("--keep-replaced", keepReplaced));
            app.history().plans().saveSettings(updated);
            app.history().runs().audit(app.actor(), "stack-settings", ref.host() + "/" + ref.stack(),
                    describe(updated));
            spec.commandLine().getOut().println(describe(updated));
            return 0;
        }
    }

    @Command(name = "show", description = "Show the settings of HOST/STACK.")
    static final class Show extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            spec.commandLine().getOut().println(describe(app.history().plans().settings(ref.host(), ref.stack())));
            return 0;
        }
    }

    @Command(name = "unlock", description = "Remove the lock of HOST/STACK that a run left behind: one whose process "
            + "is gone on this machine, or, with --force, one held on another machine that is gone (team mode).")
    static final class Unlock extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--force", description = "Remove a lock held on another machine; make sure no Lifeboat there "
                + "still works on the stack")
        boolean force;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            var lock = app.history().locks().of(ref.host(), ref.stack()).orElse(null);
            if (lock == null) {
                out().println(stack + " is not locked");
                return 0;
            }
            String held = lock.owner() + " of process " + lock.pid() + " on " + lock.machine() + " since " + lock.since();
            boolean here = lock.machine().equals(app.history().machine());
            if (here && ProcessHandle.of(lock.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                throw new LifeboatException(stack + " is held by " + held + ", which is still running: wait for it to end"
                        + " or stop it; the lock goes with it");
            }
            if (!here && !force) {
                throw new LifeboatException(stack + " is held by " + held + ". This machine cannot see that process. If "
                        + lock.machine() + " is gone or its Lifeboat no longer runs there, remove the lock with --force");
            }
            app.history().locks().unlock(ref.host(), ref.stack(), lock.owner());
            app.history().runs().audit(app.actor(), "stack-unlock", stack, "removed the lock of " + held);
            out().println("Removed the lock of " + stack + " (" + held + ")");
            return 0;
        }
    }

    static String describe(StackSettings s) {
        StringBuilder b = new StringBuilder(s.host() + "/" + s.stack() + ": RTO " + StackSettings.format(s.rto()) + ", RPO "
                + StackSettings.format(s.rpo()) + ", row tolerance " + s.rowTolerancePct() + "%, drill every "
                + s.drillIntervalDays() + " days, safety points kept " + StackSettings.format(s.safetyRetention())
                + ", replaced data kept on the host " + StackSettings.format(s.keptRetention()));
        s.tableTolerances().forEach((k, v) -> b.append(", tolerance ").append(k).append(' ').append(v).append('%'));
        s.freshness().forEach((k, v) -> b.append(", fresh ").append(k).append(" within ").append(StackSettings.format(v)));
        if (s.probe() != null) {
            b.append(", probe ").append(s.probe());
        }
        return b.toString();
    }
}
