package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "history", description = "Recent backup, verify and restore runs.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;
    @Spec
    CommandSpec spec;
    @Option(names = "--limit", defaultValue = "20")
    int limit;
    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
        try (AppContext app = root.open()) {
            List<RunRecord> runs = app.history().runs(limit);
            if (json) {
                Json.print(spec.commandLine().getOut(), runs);
            } else {
                for (RunRecord r : runs) {
                    spec.commandLine().getOut().printf("%-20s %-8s %-7s %-24s %s%n", r.startedAt().toString().substring(0, 19),
                            r.kind(), r.status(), r.host() == null ? "" : r.host() + "/" + r.stack(),
                            r.message() == null ? "" : r.message());
                }
            }
        }
        return 0;
    }
}
