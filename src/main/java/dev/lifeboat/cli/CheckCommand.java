package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.backup.Preflight;
import dev.lifeboat.core.host.DockerEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", description = "Run the pre-backup checks on a stack without backing it up.")
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "HOST/STACK")
    String target;

    @Override
    public Integer call() {
        StackRef ref = StackRef.parse(target);
        try (AppContext app = root.open(); DockerEngine docker = app.connector().apply(app.history().requireHost(ref.host()))) {
            List<String> problems = new Preflight(docker, app.kinds()).problems(app.discovery(docker).discover(ref.stack()));
            if (problems.isEmpty()) {
                spec.commandLine().getOut().println(target + ": ready for backup");
                return 0;
            }
            problems.forEach(p -> spec.commandLine().getOut().println("problem: " + p));
            spec.commandLine().getErr().println("lifeboat: " + target + " is not ready for backup (" + problems.size()
                    + " problems)");
            return Cli.FAILED;
        }
    }
}
