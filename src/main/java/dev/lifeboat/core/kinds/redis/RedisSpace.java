package dev.lifeboat.core.kinds.redis;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.model.ContainerSpec;

import java.util.List;

/** Whether Redis has room for the temporary snapshot BGSAVE writes. */
final class RedisSpace {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisSpace.class);

    private RedisSpace() {
    }

    /**
     * BGSAVE is the one place where a temporary file is unavoidable: Redis writes a whole new RDB next to
     * the old one before renaming it. Null when there is room for a dataset's worth (plus 10%) in its
     * directory {@code dir} (as discovered), or when that cannot be measured (no df in the image); otherwise the problem.
     */
    static String problem(DockerEngine docker, RedisClient redis, ContainerSpec c, String dir) {
        long needed;
        try {
            needed = Long.parseLong(redis.info("memory").getOrDefault("used_memory", "0").trim());
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

}
