package dev.lifeboat.core.kinds.config;

import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.BackupContext;
import dev.lifeboat.core.asset.CheckContext;
import dev.lifeboat.core.asset.PlanContext;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.TarCheck;
import dev.lifeboat.core.asset.VerifyContext;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Stack;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files the stack came from (compose files, {@code .env}, certificates): the compose project's
 * directory as a tar, written back through a staging directory renamed into place. {@code --only config}.
 */
public final class ConfigKind implements AssetKind {
    public static final String ID = "config";
    public static final String TAR_ROLE = "config-tar";

    @Override
    public String id() {
        return ID;
    }

    /** The directory a config asset of a point came from. */
    public static String directory(AssetRecord a) {
        return a.details().get("directory");
    }

    @Override
    public List<Asset> discover(DockerEngine docker, List<ContainerSpec> containers, List<Asset> found) {
        return StackDiscovery.configDirectory(containers)
                .<List<Asset>>map(dir -> List.of(new Asset.ConfigFiles(dir, StackDiscovery.composeFiles(containers))))
                .orElse(List.of());
    }

    @Override
    public List<String> preflight(DockerEngine docker, Asset asset, Stack stack) {
        Asset.ConfigFiles cfg = (Asset.ConfigFiles) asset;
        try (HostFiles files = HostFiles.of(docker)) {
            if (!files.isDirectory(cfg.directory())) {
                return List.of("config directory " + cfg.directory() + " does not exist on host " + stack.host());
            }
        } catch (IOException e) {
            return List.of("config directory " + cfg.directory() + " cannot be read: " + e.getMessage());
        }
        return List.of();
    }

    @Override
    public AssetRecord backup(BackupContext ctx, Asset asset) throws IOException {
        Asset.ConfigFiles c = (Asset.ConfigFiles) asset;
        ctx.progress().phase(c.name(), "Collecting config files from " + c.directory());
        try (HostFiles files = HostFiles.of(ctx.docker())) {
            return new ConfigCollector(files).backup(c, ctx.out());
        }
    }

    /** A restore replaces the config directory even when the stack's containers are gone: the safety point holds it. */
    @Override
    public Optional<Asset> safetyAsset(DockerEngine docker, AssetRecord replaced, List<Asset> found) throws IOException {
        String dir = directory(replaced);
        if (dir == null || found.stream().anyMatch(a -> a instanceof Asset.ConfigFiles)) {
            return Optional.empty();
        }
        try (HostFiles files = HostFiles.of(docker)) {
            return files.isDirectory(dir) ? Optional.of(new Asset.ConfigFiles(dir, List.of())) : Optional.empty();
        }
    }

    @Override
    public String phase() {
        return "config";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public void plan(PlanContext ctx, AssetRecord a, List<String> overwrite, List<String> create) {
        overwrite.add("config files in " + directory(a) + " on " + ctx.hostName());
    }

    @Override
    public String restore(RestoreContext ctx, List<AssetRecord> assets) throws IOException {
        long n = 0;
        List<String> kept = new ArrayList<>();
        for (AssetRecord a : assets) {
            try (InputStream plain = ctx.open(a.artifacts().get(0)); HostFiles files = HostFiles.of(ctx.docker())) {
                ConfigRestorer.Result r = ConfigRestorer.replace(plain, files, ctx.target().configDir(directory(a)),
                        ctx.runId(), ctx.keepReplaced());
                n += r.files();
                if (r.keptAt() != null) {
                    kept.add(r.keptAt());
                }
            }
        }
        return n + " config files written" + (kept.isEmpty() ? "" : "; the replaced directory is kept at " + String.join(", ", kept));
    }

    @Override
    public String verify(VerifyContext ctx, AssetRecord asset, Artifact a, InputStream plain) throws IOException {
        return TAR_ROLE.equals(a.role()) ? TarCheck.check(plain, a.file(), asset.fileCount(), true)
                : AssetKind.super.verify(ctx, asset, a, plain);
    }

    @Override
    public List<Check> check(CheckContext ctx, AssetRecord a) throws IOException {
        String dir = ctx.target().configDir(directory(a));
        try (HostFiles files = HostFiles.of(ctx.docker())) {
            long n = files.walk(dir).stream().filter(e -> e.type() != HostFiles.Type.DIRECTORY).count();
            long want = a.fileCount() == null ? n : a.fileCount();
            return List.of(n == want ? Check.pass(a.name() + ": files", n + " config files restored")
                    : Check.fail(a.name() + ": files", n + " config files restored, the backup recorded " + want));
        }
    }
}
