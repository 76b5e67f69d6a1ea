package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.backup.Preflight;
import dev.lifeboat.core.host.DockerEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "check", description = "Run the pre-backup checks on a stack without backing it up.")
final class CheckCommand extends AppCommand {
    @Parameters(index = "0", paramLabel = "HOST/STACK")
    String target;

    @Override
    protected int run(AppContext app) {
        StackRef ref = StackRef.parse(target);
        try (DockerEngine docker = app.connector().apply(app.history().hosts().require(ref.host()))) {
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
