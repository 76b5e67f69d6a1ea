package dev.lifeboat.cli;

import dev.lifeboat.core.Units;
import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RecoveryPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "points", description = "List recovery points, oldest first.")
final class PointsCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST/STACK")
    String target;
    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
        StackRef ref = target == null ? null : StackRef.parse(target);
        try (AppContext app = root.open()) {
            List<RecoveryPoint> points = app.history().points(ref == null ? null : ref.host(), ref == null ? null : ref.stack());
            if (json) {
                Json.print(spec.commandLine().getOut(), points);
            } else {
                for (RecoveryPoint p : points) {
                    spec.commandLine().getOut().printf("%-26s %-24s %-8s %-12s %10s%n", p.id(), p.host() + "/" + p.stack(),
                            p.kind(), p.destination(), Units.bytes(p.storedBytes()));
                }
            }
        }
        return 0;
    }
}
