package dev.lifeboat.cli;

import dev.lifeboat.core.pipeline.RepositoryKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "key", description = "Repository keys.", subcommands = {KeyCommand.Generate.class})
final class KeyCommand {
    @Command(name = "generate", description = "Write a new random 256-bit repository key to FILE (mode 600).")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Key file to create")
        Path file;

        @Override
        public Integer call() {
            RepositoryKey key = RepositoryKey.generate(file);
            spec.commandLine().getOut().println("Key " + key.id() + " written to " + file
                    + ". Store a copy somewhere safe and off this machine: without it no backup can be restored.");
            return 0;
        }
    }
}
