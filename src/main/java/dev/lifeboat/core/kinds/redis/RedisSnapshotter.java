package dev.lifeboat.core.kinds.redis;

import dev.lifeboat.core.asset.PointArtifacts;
import dev.lifeboat.core.HostException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes a fresh RDB snapshot ({@code BGSAVE}, then waits until the save finished and
 * {@code LASTSAVE} moved) and streams {@code dump.rdb} out of the container.
 */
public final class RedisSnapshotter {
    private static final Duration SAVE_TIMEOUT = Duration.ofMinutes(30);
    private final DockerEngine docker;

    public RedisSnapshotter(DockerEngine docker) {
        this.docker = docker;
    }

    public AssetRecord backup(Asset.RedisInstance asset, ContainerSpec spec, PointArtifacts out) throws IOException {
        long start = System.nanoTime();
        RedisClient redis = new RedisClient(docker, spec);
        // what the snapshot is written as, asked now (not at discovery): one redis-cli session for the three
        Map<String, String> config = redis.configs("dir", "dbfilename", "appendonly");
        String dir = config.getOrDefault("dir", "");
        String file = config.getOrDefault("dbfilename", "");
        boolean aof = "yes".equals(config.get("appendonly"));
        snapshot(redis, asset.container());
        Map<String, String> info = redis.infos("keyspace", "server");
        Map<String, Long> keys = RedisClient.keyCounts(info);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("dir", dir);
        details.put("dbfilename", file);
        details.put("appendonly", Boolean.toString(aof));
        details.put("toolVersion", "redis " + info.getOrDefault("redis_version", "?"));
        var artifact = out.write("redis-" + asset.container() + ".rdb", RedisKind.RDB_ROLE, null, plain -> {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(docker.readArchive(asset.container(), dir + "/" + file))) {
                TarArchiveEntry e = tar.getNextEntry();
                if (e == null || !e.isFile()) {
                    throw new HostException("Redis in container " + asset.container() + ": " + dir + "/" + file + " is missing");
                }
                details.put("uid", Long.toString(e.getLongUserId()));
                details.put("gid", Long.toString(e.getLongGroupId()));
                details.put("mode", Integer.toOctalString(e.getMode() & 07777));
                tar.transferTo(plain);
            }
        });
        return new AssetRecord("redis", asset.name(), asset.container(), (System.nanoTime() - start) / 1_000_000,
                List.of(artifact), null, keys, null, details);
    }

    private static void snapshot(RedisClient redis, String container) {
        Map<String, String> p = redis.snapshot(SAVE_TIMEOUT);
        if (!"ok".equals(p.get("rdb_last_bgsave_status"))) {
            throw new HostException("Redis in container " + container + ": BGSAVE failed (rdb_last_bgsave_status="
                    + p.get("rdb_last_bgsave_status") + "); check disk space and permissions of its data dir");
        }
        if (Long.parseLong(p.get("lastsave_after").trim()) < Long.parseLong(p.get("lastsave_before").trim())) {
            throw new HostException("Redis in container " + container + ": LASTSAVE did not advance after BGSAVE");
        }
    }
}
