package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RecoveryPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


@Command(name = "backup", description = "Back up a stack into a new recovery point; prints its id.")
final class BackupCommand extends AppCommand {
    @Parameters(index = "0", paramLabel = "HOST/STACK")
    String target;
    @Option(names = "--to", required = true, paramLabel = "DEST")
    String destination;
    @Option(names = "--copy-to", paramLabel = "DEST", description = "After the backup, replicate the point to these "
            + "destinations (3-2-1) and read each copy back")
    java.util.List<String> copies = java.util.List.of();
    @Mixin
    JsonOption json;
    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr")
    boolean quiet;

    @Override
    protected boolean watchedRun() {
        return true;
    }

    @Override
    protected int run(AppContext app) {
        StackRef ref = StackRef.parse(target);
        long start = System.nanoTime();
        StderrProgress progress = new StderrProgress(err(), quiet || json.on());
        RecoveryPoint p = app.backups().backup(ref.host(), ref.stack(), destination, "backup", progress);
        for (String copy : copies) {
            new dev.lifeboat.core.storage.Replicator(app.repositories()).replicate(p.id(), copy, progress);
        }
        app.alerts().pingGoodRun();
        if (json.on()) {
            Json.print(out(), java.util.Map.of("pointId", p.id(), "host", p.host(), "stack", p.stack(), "destination",
                    p.destination(), "storedBytes", p.storedBytes(), "location", p.location(),
                    "durationMs", (System.nanoTime() - start) / 1_000_000));
        } else {
            out().println(p.id());
        }
        return 0;
    }
}
