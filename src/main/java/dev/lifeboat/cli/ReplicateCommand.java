package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.storage.Replicator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "replicate", description = "Copy a recovery point to another destination and read the copy back.")
final class ReplicateCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "POINT")
    String pointId;
    @Option(names = "--to", required = true, paramLabel = "DEST")
    String destination;
    @Option(names = "--json")
    boolean json;
    @Option(names = {"-q", "--quiet"})
    boolean quiet;

    @Override
    public Integer call() {
        try (AppContext app = root.open()) {
            RecoveryPoint copy = new Replicator(app.repositories()).replicate(pointId, destination,
                    new StderrProgress(spec.commandLine().getErr(), quiet || json));
            if (json) {
                Json.print(spec.commandLine().getOut(), copy);
            } else {
                spec.commandLine().getOut().println("Copied " + pointId + " to " + destination + " (" + copy.location()
                        + "), read back and verified");
            }
        }
        return 0;
    }
}
