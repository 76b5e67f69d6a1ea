package dev.lifeboat.cli;

import dev.lifeboat.core.Units;
import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RecoveryPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "points", description = "List recovery points, oldest first.",
        subcommands = {PointsCommand.Hold.class, PointsCommand.Release.class, PointsCommand.Held.class})
final class PointsCommand extends AppCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST/STACK")
    String target;
    @Mixin
    JsonOption json;

    @Override
    protected int run(AppContext app) {
        StackRef ref = target == null ? null : StackRef.parse(target);
        List<RecoveryPoint> points = app.history().points().of(ref == null ? null : ref.host(), ref == null ? null : ref.stack());
        if (json.on()) {
            Json.print(spec.commandLine().getOut(), points);
        } else {
            for (RecoveryPoint p : points) {
                spec.commandLine().getOut().printf("%-26s %-24s %-8s %-12s %10s%n", p.id(), p.host() + "/" + p.stack(),
                        p.kind(), p.destination(), Units.bytes(p.storedBytes()));
            }
        }
        return 0;
    }

    @Command(name = "hold", description = "Keep a point whatever retention says, until it is released.")
    static final class Hold extends AppCommand {
        @Parameters(index = "0", paramLabel = "POINT")
        String pointId;
        @Option(names = "--reason", required = true, description = "Why (shown by prune and in the audit log)")
        String reason;

        @Override
        protected int run(AppContext app) {
            RecoveryPoint p = app.history().points().of(null, null).stream().filter(x -> x.id().equals(pointId)).findFirst()
                    .orElseThrow(() -> new dev.lifeboat.core.LifeboatException("No recovery point " + pointId
                            + " in the history; 'lifeboat points' lists them"));
            app.history().points().hold(p.id(), p.host(), p.stack(), reason, app.actor());
            app.history().runs().audit(app.actor(), "hold", p.host() + "/" + p.stack(), "point " + p.id() + ": " + reason);
            out().println("Held " + p.id() + ": prune keeps it until 'lifeboat points release " + p.id() + "'");
            return 0;
        }
    }

    @Command(name = "release", description = "Let retention decide about a held point again.")
    static final class Release extends AppCommand {
        @Parameters(index = "0", paramLabel = "POINT")
        String pointId;

        @Override
        protected int run(AppContext app) {
            if (!app.history().points().release(pointId, app.actor())) {
                throw new dev.lifeboat.core.LifeboatException("Point " + pointId + " is not held; 'lifeboat points held'"
                        + " lists the held ones");
            }
            app.history().runs().audit(app.actor(), "release", pointId, "hold released");
            out().println("Released " + pointId + ": retention decides about it again");
            return 0;
        }
    }

    @Command(name = "held", description = "List the points held against prune, and why.")
    static final class Held extends AppCommand {
        @Mixin
        JsonOption json;

        @Override
        protected int run(AppContext app) {
            var holds = app.history().points().holds();
            if (json.on()) {
                Json.print(out(), holds);
            } else {
                for (var h : holds) {
                    out().printf("%-26s %-24s %-20s %s%n", h.pointId(), h.host() + "/" + h.stack(),
                            h.heldAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), h.reason());
                }
            }
            return 0;
        }
    }
}
