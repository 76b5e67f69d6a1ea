package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.storage.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "dest", description = "Manage backup destinations.", subcommands = {DestCommand.Add.class, DestCommand.ListDest.class})
final class DestCommand {
    @ParentCommand
    LifeboatCommand root;

    @Command(name = "add", description = "Register a local directory as a destination, encrypted with the key in FILE.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        DestCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Destination name")
        String name;
        @Option(names = "--dir", required = true, description = "Directory that will hold the recovery points")
        Path dir;
        @Option(names = "--key-file", required = true, description = "Repository key (create one with 'lifeboat key generate FILE')")
        Path keyFile;

        @Override
        public Integer call() {
            try (AppContext app = parent.root.open()) {
                DestinationRecord d = Repository.initialiseLocal(name, dir, keyFile);
                app.history().addDestination(d);
                app.history().audit(System.getProperty("user.name"), "dest-add", name, d.location() + " key " + d.keyId());
                spec.commandLine().getOut().println("Destination " + name + " added: " + d.location() + " (key id " + d.keyId() + ")");
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List destinations.")
    static final class ListDest implements Callable<Integer> {
        @ParentCommand
        DestCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() {
            try (AppContext app = parent.root.open()) {
                var all = app.history().destinations();
                if (json) {
                    Json.print(spec.commandLine().getOut(), all);
                } else {
                    all.forEach(d -> spec.commandLine().getOut().printf("%-16s %-6s %s (key %s)%n", d.name(), d.kind(),
                            d.location(), d.keyFile()));
                }
            }
            return 0;
        }
    }
}
