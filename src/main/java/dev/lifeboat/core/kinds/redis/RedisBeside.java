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
 * streams, into {@code .lifeboat-new-RUN} at the root of the volume that holds Redis's data directory. The
 * swap stops Redis, renames the live file into {@code .lifeboat-replaced-RUN} and the staged one into its
 * place, and starts Redis on it. Only for a data directory on a named volume and AOF off; otherwise the
 * RDB is put back in place (and the AOF rebuilt from it in a twin).
 */
final class RedisBeside implements Staged {
    private final RestoreContext ctx;
    private final AssetRecord asset;
    private final String container;
    private final String volume;
    private final String file;
    private final String image;
    private final Map<String, String> labels;
    private final String staged;
    private final String aside;
    private final String failed;
    private boolean swapped;

    private RedisBeside(RestoreContext ctx, AssetRecord asset, String container, String volume, String file, String image,
                        String tag) {
        this.ctx = ctx;
        this.asset = asset;
        this.container = container;
        this.volume = volume;
        this.file = file;
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
        if ("true".equals(d.get("appendonly")) || name == null || dir == null || name.contains("/") || name.equals("..")
                || name.equals(".") || name.isEmpty()) {
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
        String image = dev.lifeboat.core.asset.Helpers.imageOf(docker, live.get());
        String tag = UUID.nameUUIDFromBytes((ctx.runId() + a.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString().replace("-", "").substring(0, 12);
        RedisBeside stage = new RedisBeside(ctx, a, spec.name(), mount.source(), inside.isEmpty() ? name : inside + "/" + name,
                image, tag);
        Artifact art = a.artifacts().get(0);
        boolean staged = KeptInVolume.stage(docker, image, stage.labels, stage.volume, stage.staged, art.plainBytes(),
                "Redis's data file in volume " + stage.volume, ctx.manifest().pointId(), () -> ctx.open(art),
                rdb -> SingleFileTar.of(name, art.plainBytes(), Integer.parseInt(d.getOrDefault("mode", "644"), 8),
                        Long.parseLong(d.getOrDefault("uid", "0")), Long.parseLong(d.getOrDefault("gid", "0")), rdb),
                stage::discard);
        return staged ? Optional.of(stage) : Optional.empty();
    }

    @Override
    public AssetRecord asset() {
        return asset;
    }

    @Override
    public String describe() {
        return "Redis data file " + file + " in volume " + volume;
    }

    @Override
    public void swap() {
        DockerEngine docker = ctx.docker();
        ContainerSpec spec = docker.inspect(container).orElseThrow(() -> new LifeboatException("Redis container " + container
                + " is gone"));
        docker.stop(container, spec.stopTimeout());
        docker.swapFileWithinVolume(image, labels, volume, file, staged, aside);
        swapped = true;
        docker.start(container);
        ctx.touched(container);
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
        docker.swapFileWithinVolume(image, labels, volume, file, aside, failed);
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
        return swapped ? List.of(new SafetyCopy(RedisKind.ID, asset.name(), volume, aside, image, "Redis data file " + file
                + " as it was, in volume " + volume + ", directory " + aside)) : List.of();
    }
}
