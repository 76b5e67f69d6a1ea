package dev.lifeboat.core.backup;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks, before any work starts, that a backup can succeed: the database containers are up, their
 * tools are there and the credentials work, and the config directory exists on the host. Every
 * failure is collected, so the admin sees all of them at once.
 */
public final class Preflight {
    private final DockerGateway docker;

    public Preflight(DockerGateway docker) {
        this.docker = docker;
    }

    /** The problems found; empty when the backup can go ahead. */
    public List<String> problems(Stack stack) {
        Map<String, ContainerSpec> byName = stack.containers().stream()
                .collect(Collectors.toMap(ContainerSpec::name, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (Asset a : stack.assets()) {
            if (a instanceof Asset.PostgresInstance p) {
                ContainerSpec c = byName.get(p.container());
                if (!c.running()) {
                    problems.add("PostgreSQL container " + p.container() + " is not running; start it so it can be dumped");
                    continue;
                }
                PostgresClient pg = new PostgresClient(docker, c);
                check(problems, "PostgreSQL in " + p.container() + ": pg_dump is missing from the container", pg::version);
                check(problems, "PostgreSQL in " + p.container() + ": cannot log in as " + pg.superuser(),
                        () -> pg.query("postgres", "SELECT 1"));
            } else if (a instanceof Asset.RedisInstance r) {
                ContainerSpec c = byName.get(r.container());
                if (!c.running()) {
                    problems.add("Redis container " + r.container() + " is not running; start it so it can be snapshotted");
                    continue;
                }
                RedisClient redis = new RedisClient(docker, c);
                check(problems, "Redis in " + r.container() + ": redis-cli cannot reach the server (missing tool, wrong port"
                        + " or password)", () -> {
                    if (!redis.call("PING").trim().equals("PONG")) {
                        throw new HostException("no PONG");
                    }
                    return null;
                });
            } else if (a instanceof Asset.ConfigFiles cfg) {
                try (HostFiles files = HostFiles.of(docker)) {
                    if (!files.isDirectory(cfg.directory())) {
                        problems.add("config directory " + cfg.directory() + " does not exist on host " + stack.host());
                    }
                } catch (IOException e) {
                    problems.add("config directory " + cfg.directory() + " cannot be read: " + e.getMessage());
                }
            }
        }
        return problems;
    }

    /** Throws one error listing every problem, or returns when there is none. */
    public void require(Stack stack) {
        List<String> problems = problems(stack);
        if (!problems.isEmpty()) {
            throw new LifeboatException("Backup of " + stack.host() + "/" + stack.name() + " not started: "
                    + String.join("; ", problems));
        }
    }

    private interface Probe {
        Object run();
    }

    private static void check(List<String> problems, String message, Probe probe) {
        try {
            probe.run();
        } catch (LifeboatException e) {
            problems.add(message + " (" + e.getMessage().replaceAll("\\s+", " ").trim() + ")");
        }
    }
}
