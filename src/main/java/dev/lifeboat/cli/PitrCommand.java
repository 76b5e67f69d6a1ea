package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.Units;
import dev.lifeboat.core.pitr.WalShipping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "pitr", description = "Point-in-time recovery: continuous WAL shipping of a stack's PostgreSQL (ADR 24).",
        subcommands = {PitrCommand.Enable.class, PitrCommand.Status.class, PitrCommand.Ship.class, PitrCommand.Disable.class})
final class PitrCommand {

    @Command(name = "enable", description = "Ship the WAL of HOST/STACK's PostgreSQL continuously to a destination; the agent"
            + " keeps it running.")
    static final class Enable extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--to", required = true, paramLabel = "DEST", description = "Destination of the WAL archive")
        String to;
        @Option(names = "--asset", paramLabel = "postgres:NAME", description = "One PostgreSQL asset (default: all of the stack)")
        String asset;
        @Option(names = "--switch-every", paramLabel = "SECONDS", defaultValue = "30",
                description = "Ask a quiet server for a new WAL segment after this long, so shipping never lags much more (default 30)")
        int switchEvery;
        @Option(names = "--alert-lag", paramLabel = "SECONDS", defaultValue = "120",
                description = "Raise an alert when WAL waits unshipped longer than this (default 120)")
        int alertLag;
        @Option(names = "--allow-restart", description = "Apply a setting the server needs (wal_level, max_wal_senders) and"
                + " restart its container")
        boolean allowRestart;
        @Option(names = "--confirm", paramLabel = "TEXT", description = "For a restart on a production host: exactly 'RESTORE PRODUCTION'")
        String confirm;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            for (WalShipping.Enabled e : app.walShipping().enable(ref.host(), ref.stack(), asset, to, switchEvery, alertLag,
                    allowRestart, confirm)) {
                out().println(e.asset() + ": WAL ships to " + to + " through replication slot " + e.slot() + " (" + e.detail() + ")");
            }
            out().println("The agent keeps it shipping: run 'lifeboat agent' (or install it as a service).");
            return 0;
        }
    }

    @Command(name = "status", description = "Shipping lag, newest WAL archived, bytes per hour, WAL the slot holds.")
    static final class Status extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Mixin
        JsonOption json;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            List<WalShipping.Status> all = app.walShipping().status(ref.host(), ref.stack());
            PrintWriter out = out();
            json.print(out, all, () -> {
                if (all.isEmpty()) {
                    out.println("WAL shipping is off for " + ref.host() + "/" + ref.stack() + ": 'lifeboat pitr enable' starts it");
                }
                for (WalShipping.Status s : all) {
                    out.printf("%s to %s: %s; newest %s%s; lag %d s; %s shipped in the last hour; slot %s holds %s%s%n",
                            s.config().asset(), s.config().destination(), s.receiving() ? "receiving" : "not receiving",
                            s.newestFile() == null ? "none yet" : s.newestFile(),
                            s.newestAt() == null ? "" : " at " + s.newestAt(), s.lagSeconds(), Units.bytes(s.bytesLastHour()),
                            s.config().slot(), s.retainedBytes() < 0 ? "?" : Units.bytes(s.retainedBytes()),
                            s.problem() == null ? "" : "; PROBLEM: " + s.problem());
                    var cov = s.coverage();
                    out.println("  " + (cov.spans().isEmpty() ? "no moment restorable yet: a backup of the stack takes the base"
                            + " backup the WAL rolls forward from" : "restorable to any moment from " + cov.oldest().orElseThrow()
                            + " to " + cov.newest().orElseThrow()) + (cov.gaps().isEmpty() ? "" : "; gaps: " + cov.gaps().stream()
                            .map(g -> g.from() + " to " + g.to() + " (" + g.why() + ")").collect(java.util.stream.Collectors.joining(", "))));
                }
            });
            return all.stream().anyMatch(s -> s.problem() != null) ? 4 : 0;
        }
    }

    @Command(name = "ship", description = "Ship what is ready now (the agent does this every few seconds).")
    static final class Ship extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--flush", description = "Ship everything written up to now: the open segment is switched, and the"
                + " command returns once it is at the destination (before maintenance, or to measure)")
        boolean flush;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = "With --flush: how long"
                + " to wait at most (default 10m)")
        String timeout;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            int problems = 0;
            for (var c : app.history().pitr().of(ref.host(), ref.stack())) {
                if (flush) {
                    long t0 = System.nanoTime();
                    String upTo = app.walShipping().flush(c, dev.lifeboat.core.model.StackSettings.parseDuration(timeout));
                    out().printf("%s: shipped up to %s in %.1f s%n", c.asset(), upTo, (System.nanoTime() - t0) / 1e9);
                    continue;
                }
                WalShipping.Shipped s = app.walShipping().ship(c, new StderrProgress(spec.commandLine().getErr(), false));
                out().println(s.asset() + ": " + s.files().size() + " WAL files, " + Units.bytes(s.plainBytes())
                        + (s.receiverStarted() ? "; receiver started" : "") + (s.switched() ? "; segment switch asked" : "")
                        + (s.problem() == null ? "" : "; " + s.problem()));
                problems += s.problem() == null ? 0 : 1;
            }
            return problems == 0 ? 0 : 4;
        }
    }

    @Command(name = "disable", description = "Stop shipping: the slot is dropped; the WAL already shipped stays.")
    static final class Disable extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--asset", paramLabel = "postgres:NAME", description = "One asset (default: all of the stack)")
        String asset;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            for (String a : app.walShipping().disable(ref.host(), ref.stack(), asset)) {
                out().println(a + ": WAL shipping stopped; its replication slot is dropped");
            }
            return 0;
        }
    }
}
