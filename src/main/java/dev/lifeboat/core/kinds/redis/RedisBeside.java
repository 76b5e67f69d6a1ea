package dev.lifeboat.core.kinds.redis;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.KeptInVolume;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.asset.Staged;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A Redis server's RDB staged beside its data file while Redis serves (ADR 25): written, checked as it
 * streams, into {@code .lifeboat-new-RUN} at the root of the volume that holds Redis's data directory. With
 * AOF on, a twin of the server (same image and command, no network, working in the staged directory) loads
 * that RDB and writes the AOF from it, while the live server keeps serving; the twin needs as much memory as
 * the data, so where the host has not that much free the RDB is put back in place instead. The swap stops
 * Redis, renames the live data file (and AOF) into {@code .lifeboat-replaced-RUN} and the staged ones into
 * their place, and starts Redis on them. Only for a data directory on a named volume.
 */
final class RedisBeside implements Staged {
    private final RestoreContext ctx;
    private final AssetRecord asset;
    private final String container;
    private final String volume;
    private final String dir;
    private final List<String> names = new java.util.ArrayList<>();
    private final String image;
    private final Map<String, String> labels;
    private final String staged;
    private final String aside;
    private final String failed;
    private boolean swapped;

    private RedisBeside(RestoreContext ctx, AssetRecord asset, String container, String volume, String dir, String file,
                        String image, String tag) {
        this.ctx = ctx;
        this.asset = asset;
        this.container = container;
        this.volume = volume;
        this.dir = dir;
        this.names.add(file);
        this.image = image;
        this.labels = ctx.helperLabels();
        this.staged = ".lifeboat-new-" + tag;
        this.aside = ".lifeboat-replaced-" + tag;
        this.failed = ".lifeboat-failed-" + tag;
    }

    static Optional<Staged> stage(RestoreContext ctx, AssetRecord a) throws IOException {
        DockerEngine docker = ctx.docker();
        Map<String, String> d = a.details();
        String name = d.get("dbfilename");
        String dir = d.get("dir");
        boolean aof = "true".equals(d.get("appendonly"));
        if (name == null || dir == null || name.contains("/") || name.equals("..") || name.equals(".") || name.isEmpty()
                || name.startsWith(".lifeboat-")) {
            return Optional.empty();
        }
        ContainerSpec spec = ctx.spec(a.container());
        Optional<ContainerSpec> live = docker.inspect(spec.name());
        if (live.isEmpty()) {
            return Optional.empty();
        }
        MountSpec mount = live.get().mounts().stream().filter(m -> m.isVolume() && m.target() != null
                && (dir.equals(m.target()) || dir.startsWith(m.target() + "/"))).findFirst().orElse(null);
        if (mount == null) {
            return Optional.empty();
        }
        String inside = dir.equals(mount.target()) ? "" : dir.substring(mount.target().length() + 1);
        if (List.of(inside.split("/")).contains("..")) {
            return Optional.empty();
        }
        Artifact art = a.artifacts().get(0);
        if (aof && !twinFits(docker, live.get(), art.plainBytes())) {
            return Optional.empty();
        }
        String image = dev.lifeboat.core.asset.Helpers.imageOf(docker, live.get());
        String tag = UUID.nameUUIDFromBytes((ctx.runId() + a.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString().replace("-", "").substring(0, 12);
        RedisBeside stage = new RedisBeside(ctx, a, spec.name(), mount.source(), inside, name, image, tag);
        boolean staged = KeptInVolume.stage(docker, image, stage.labels, stage.volume, stage.staged,
                aof ? 2 * art.plainBytes() : art.plainBytes(), // with AOF, its base is about the RDB's size again
                "Redis's data file in volume " + stage.volume, ctx.manifest().pointId(), () -> ctx.open(art),
                rdb -> SingleFileTar.of(name, art.plainBytes(), Integer.parseInt(d.getOrDefault("mode", "644"), 8),
                        Long.parseLong(d.getOrDefault("uid", "0")), Long.parseLong(d.getOrDefault("gid", "0")), rdb),
                stage::discard);
        if (!staged) {
            return Optional.empty();
        }
        if (aof) {
            try {
                String aofName = RedisKind.rebuildAppendOnlyFile(ctx, live.get(), mount.target() + "/" + stage.staged);
                if (aofName.isEmpty() || aofName.contains("/") || aofName.equals(".") || aofName.equals("..")
                        || aofName.startsWith(".lifeboat-")) {
                    throw new dev.lifeboat.core.HostException("Redis in " + spec.name() + " names its AOF '" + aofName
                            + "', which is not a file name");
                }
                stage.names.add(aofName);
            } catch (RuntimeException e) {
                dev.lifeboat.core.Cleanup.after(e, stage::discard);
                throw e;
            }
        }
        return Optional.of(stage);
    }

    /**
     * Whether the host has the memory for a twin that loads the point beside the live server: at least the live
     * server's and the point's size, with 64 MiB to spare, by the host's MemAvailable. Unknown counts as no.
     */
    private static boolean twinFits(DockerEngine docker, ContainerSpec live, long rdbBytes) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            if (!docker.exec(live.name(), List.of("cat", "/proc/meminfo"), List.of(), null, out).ok()) {
                return false;
            }
            long available = -1;
            for (String line : out.toString(java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("MemAvailable:")) {
                    available = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            String used = new dev.lifeboat.core.host.RedisClient(docker, live).info("memory").get("used_memory");
            long need = Math.max(used == null ? 0 : Long.parseLong(used.trim()), rdbBytes) + (64L << 20);
            if (available < need) {
                LOG.warn("Redis in {} is restored in place: a twin to load the point beside it needs {} bytes of memory,"
                        + " the host has {} available", live.name(), need, available);
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Redis in {} is restored in place: cannot tell whether the host has memory for a twin ({})", live.name(),
                    e.getMessage());
            return false;
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisBeside.class);

    @Override
    public AssetRecord asset() {
        return asset;
    }

    @Override
    public String describe() {
        return "Redis " + String.join(" and ", names) + " in volume " + volume;
    }

    @Override
    public void swap() {
        DockerEngine docker = ctx.docker();
        ContainerSpec spec = docker.inspect(container).orElseThrow(() -> new LifeboatException("Redis container " + container
                + " is gone"));
        docker.stop(container, spec.stopTimeout());
        docker.swapFilesWithinVolume(image, labels, volume, dir, names, staged, aside);
        swapped = true;
        docker.start(container);
        ctx.touched(container);
    }

    /** Redis's own container: stopped, its files swapped by a helper of its own, started again. */
    @Override
    public java.util.Set<String> containers() {
        return java.util.Set.of(container);
    }

    @Override
    public void swapBack() {
        if (!swapped) {
            discard();
            return;
        }
        DockerEngine docker = ctx.docker();
        ContainerSpec spec = docker.inspect(container).orElseThrow(() -> new LifeboatException("Redis container " + container
                + " is gone"));
        docker.stop(container, spec.stopTimeout());
        docker.swapFilesWithinVolume(image, labels, volume, dir, names, aside, failed);
        swapped = false;
        docker.removeWithinVolume(image, labels, volume, failed);
        docker.start(container);
    }

    @Override
    public void discard() {
        ctx.docker().removeWithinVolume(image, labels, volume, staged);
    }

    @Override
    public List<SafetyCopy> kept() {
        return swapped ? List.of(new SafetyCopy(RedisKind.ID, asset.name(), volume, aside, image, "Redis " + String.join(" and ", names)
                + " as they were, in volume " + volume + ", directory " + aside)) : List.of();
    }
}
