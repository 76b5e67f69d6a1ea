package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.model.Host;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

@Command(name = "host", description = "Manage Docker hosts.", subcommands = {HostCommand.Add.class, HostCommand.ListHosts.class})
final class HostCommand {
    @ParentCommand
    LifeboatCommand root;

    @Command(name = "add", description = "Register a Docker host; checks that its engine answers.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        HostCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Host name")
        String name;
        @Option(names = "--docker", required = true, description = "Docker endpoint, e.g. unix:///var/run/docker.sock")
        String endpoint;
        @Option(names = "--production", description = "Restores need the typed phrase RESTORE PRODUCTION")
        boolean production;

        @Override
        public Integer call() {
            Host host = new Host(name, endpoint, production);
            try (AppContext app = parent.root.open(); DockerGateway docker = app.connector().apply(host)) {
                String version = docker.serverVersion();
                app.history().addHost(host);
                app.history().audit(System.getProperty("user.name"), "host-add", name, endpoint
                        + (production ? " (production)" : ""));
                spec.commandLine().getOut().println("Host " + name + " added (Docker " + version + ")"
                        + (production ? ", marked production" : ""));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List registered hosts.")
    static final class ListHosts implements Callable<Integer> {
        @ParentCommand
        HostCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() {
            try (AppContext app = parent.root.open()) {
                var hosts = app.history().hosts();
                if (json) {
                    Json.print(spec.commandLine().getOut(), hosts);
                } else {
                    hosts.forEach(h -> spec.commandLine().getOut().printf("%-20s %s%s%n", h.name(), h.endpoint(),
                            h.production() ? "  production" : ""));
                }
            }
            return 0;
        }
    }
}
