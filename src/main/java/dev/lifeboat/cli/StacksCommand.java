package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "stacks", description = "Discover the stacks on a host and what in them holds data.")
final class StacksCommand extends AppCommand {
    @Parameters(index = "0", description = "Host name")
    String host;
    @Mixin
    JsonOption json;

    @Override
    protected int run(AppContext app) {
        try (DockerEngine docker = app.connector().apply(app.history().hosts().require(host))) {
            StackDiscovery discovery = app.discovery(docker);
            List<Stack> stacks = discovery.discoverAll();
            PrintWriter out = spec.commandLine().getOut();
            if (json.on()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Stack s : stacks) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", s.name());
                    row.put("containers", s.containers().stream().map(ContainerSpec::name).toList());
                    row.put("assets", s.assets());
                    row.put("volumes", s.volumes());
                    rows.add(row);
                }
                Json.print(out, rows);
            } else {
                for (Stack s : stacks) {
                    out.println(s.name() + "  (" + s.containers().size() + " containers)");
                    for (Asset a : s.assets()) {
                        out.println("  " + a.name() + "  " + a.describe());
                    }
                }
                if (stacks.isEmpty()) {
                    out.println("No stacks on " + host + " (no containers with label " + StackDiscovery.PROJECT + ")");
                }
            }
        }
        return 0;
    }
}
