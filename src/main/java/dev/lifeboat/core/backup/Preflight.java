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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Preflight.class);
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
                String space = redisSpace(redis, c);
                if (space != null) {
                    problems.add("Redis in " + r.container() + ": " + space);
                }
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

    /**
     * BGSAVE is the one place where a temporary file is unavoidable: Redis writes a whole new RDB next to
     * the old one before renaming it. Null when there is room for a dataset's worth (plus 10%) in its
     * directory, or when that cannot be measured (no df in the image); otherwise the problem.
     */
    private String redisSpace(RedisClient redis, ContainerSpec c) {
        long needed;
        String dir;
        try {
            needed = Long.parseLong(redis.info("memory").getOrDefault("used_memory", "0").trim());
            dir = redis.config("dir");
        } catch (LifeboatException | NumberFormatException e) {
            return null; // the PING check above already reports an unreachable server
        }
        long free;
        try {
            String df = docker.execText(c.name(), List.of(), "df", "-Pk", dir).strip();
            String[] fields = df.substring(df.lastIndexOf('\n') + 1).trim().split("\\s+");
            free = Long.parseLong(fields[3]) * 1024;
        } catch (RuntimeException e) {
            LOG.warn("Cannot measure free space in {} of container {}: {}", dir, c.name(), e.getMessage());
            return null;
        }
        long wanted = needed + needed / 10;
        if (free < wanted) {
            return "BGSAVE needs about " + mib(wanted) + " free in " + dir + " for its temporary snapshot, but only "
                    + mib(free) + " is free there";
        }
        return null;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
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
