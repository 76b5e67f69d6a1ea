package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RecoveryPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "backup", description = "Back up a stack into a new recovery point; prints its id.")
final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "HOST/STACK")
    String target;
    @Option(names = "--to", required = true, paramLabel = "DEST")
    String destination;
    @Option(names = "--copy-to", paramLabel = "DEST", description = "After the backup, replicate the point to these "
            + "destinations (3-2-1) and read each copy back")
    java.util.List<String> copies = java.util.List.of();
    @Option(names = "--json")
    boolean json;
    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr")
    boolean quiet;

    @Override
    public Integer call() {
        StackRef ref = StackRef.parse(target);
        try (AppContext app = root.open()) {
            long start = System.nanoTime();
            StderrProgress progress = new StderrProgress(spec.commandLine().getErr(), quiet || json);
            RecoveryPoint p;
            try {
                p = app.backups().backup(ref.host(), ref.stack(), destination, "backup", progress);
                for (String copy : copies) {
                    new dev.lifeboat.core.storage.Replicator(app.repositories()).replicate(p.id(), copy, progress);
                }
                app.alerts().pingGoodRun();
            } finally {
                evaluateAlerts(app);
            }
            if (json) {
                Json.print(spec.commandLine().getOut(), java.util.Map.of("pointId", p.id(), "host", p.host(),
                        "stack", p.stack(), "destination", p.destination(), "storedBytes", p.storedBytes(),
                        "location", p.location(), "durationMs", (System.nanoTime() - start) / 1_000_000));
            } else {
                spec.commandLine().getOut().println(p.id());
            }
        }
        return 0;
    }

    /** The alert rules run after every run; a problem with them never hides the run's own outcome. */
    static void evaluateAlerts(AppContext app) {
        try {
            app.alerts().evaluate();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(BackupCommand.class).error("Alert evaluation failed", e);
        }
    }
}
