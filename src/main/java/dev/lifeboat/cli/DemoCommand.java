package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.demo.DemoStack;
import dev.lifeboat.core.host.DockerEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "demo", description = "A demo stack (PostgreSQL, Redis, app with uploads, config dir) to try Lifeboat on.",
        subcommands = {DemoCommand.Up.class, DemoCommand.Down.class})
final class DemoCommand {

    @Command(name = "up", description = "Create and seed the demo stack on a host.")
    static final class Up extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST")
        String host;
        @Option(names = "--name", defaultValue = "demo")
        String name;
        @Option(names = "--image", defaultValue = "lifeboat-fixture:bookworm",
                description = "An image with PostgreSQL and Redis installed (default: the test fixture image)")
        String image;
        @Option(names = "--config-dir", description = "Where the stack's compose file, .env and certs go")
        Path configDir;

        @Override
        protected int run(AppContext app) {
            try (DockerEngine docker = app.connector().apply(app.history().hosts().require(host))) {
                Path dir = configDir != null ? configDir : app.home().resolve("demo").resolve(name);
                DemoStack.Info info = new DemoStack(docker, image).create(name, dir);
                spec.commandLine().getOut().println("Demo stack " + info.name() + " is up: PostgreSQL on 127.0.0.1:"
                        + info.postgresPort() + ", Redis on 127.0.0.1:" + info.redisPort() + ", config in " + info.configDir());
            }
            return 0;
        }
    }

    @Command(name = "down", description = "Remove the demo stack's containers and volumes (by label).")
    static final class Down extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST")
        String host;
        @Option(names = "--name", defaultValue = "demo")
        String name;

        @Override
        protected int run(AppContext app) {
            try (DockerEngine docker = app.connector().apply(app.history().hosts().require(host))) {
                new DemoStack(docker, null).remove(name);
            }
            return 0;
        }
    }
}
