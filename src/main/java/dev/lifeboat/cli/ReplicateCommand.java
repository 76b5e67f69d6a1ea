package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.storage.Replicator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


@Command(name = "replicate", description = "Copy a recovery point to another destination and read the copy back.")
final class ReplicateCommand extends AppCommand {
    @Parameters(index = "0", paramLabel = "POINT")
    String pointId;
    @Option(names = "--to", required = true, paramLabel = "DEST")
    String destination;
    @Mixin
    JsonOption json;
    @Option(names = {"-q", "--quiet"})
    boolean quiet;

    @Override
    protected boolean watchedRun() {
        return true;
    }

    @Override
    protected int run(AppContext app) {
        RecoveryPoint copy = new Replicator(app.repositories()).replicate(pointId, destination,
                new StderrProgress(err(), quiet || json.on()));
        if (json.on()) {
            Json.print(out(), copy);
        } else {
            out().println("Copied " + pointId + " to " + destination + " (" + copy.location() + "), read back and verified");
        }
        return 0;
    }
}
