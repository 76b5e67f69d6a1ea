package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "history", description = "Recent backup, verify and restore runs.")
final class HistoryCommand extends AppCommand {
    @Option(names = "--limit", defaultValue = "20")
    int limit;
    @Mixin
    JsonOption json;

    @Override
    protected int run(AppContext app) {
        List<RunRecord> runs = app.history().runs().recent(limit);
        if (json.on()) {
            Json.print(spec.commandLine().getOut(), runs);
        } else {
            for (RunRecord r : runs) {
                spec.commandLine().getOut().printf("%-20s %-8s %-7s %-24s %s%n", r.startedAt().toString().substring(0, 19),
                        r.kind(), r.status(), r.host() == null ? "" : r.host() + "/" + r.stack(),
                        r.message() == null ? "" : r.message());
            }
        }
        return 0;
    }
}
