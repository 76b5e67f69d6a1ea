package dev.lifeboat.core.kinds.config;

import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.BackupContext;
import dev.lifeboat.core.asset.CheckContext;
import dev.lifeboat.core.asset.PlanContext;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.asset.Staged;
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
import dev.lifeboat.core.model.FileEntry;
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

    /**
     * A config directory that exists is extracted beside it while the stack runs, and renamed into place in the
     * swap; the live one is renamed aside and kept (ADR 25). One that does not exist is created in place.
     */
    @Override
    public Optional<Staged> stage(RestoreContext ctx, AssetRecord a) throws IOException {
        String dir = ctx.target().configDir(directory(a));
        ConfigRestorer.Places at = ConfigRestorer.Places.of(dir, ctx.runId());
        try (HostFiles files = HostFiles.of(ctx.docker())) {
            if (!files.isDirectory(at.target())) {
                return Optional.empty();
            }
            try (InputStream plain = ctx.open(a.artifacts().get(0))) {
                dev.lifeboat.core.asset.Drained fed = new dev.lifeboat.core.asset.Drained(plain);
                ConfigRestorer.stage(fed, files, at);
                fed.drain(); // to its end: the hashes are checked there
            } catch (IOException | RuntimeException e) {
                dev.lifeboat.core.Cleanup.after(e, () -> files.deleteTree(at.staging()));
                throw e;
            }
        }
        return Optional.of(new ConfigStage(ctx.docker(), a, at));
    }

    /** One config directory staged beside the live one. */
    private static final class ConfigStage implements Staged {
        private final DockerEngine docker;
        private final AssetRecord asset;
        private final ConfigRestorer.Places at;
        private boolean swapped;

        ConfigStage(DockerEngine docker, AssetRecord asset, ConfigRestorer.Places at) {
            this.docker = docker;
            this.asset = asset;
            this.at = at;
        }

        @Override
        public AssetRecord asset() {
            return asset;
        }

        @Override
        public String describe() {
            return "config directory " + at.target();
        }

        @Override
        public void swap() {
            try (HostFiles files = HostFiles.of(docker)) {
                ConfigRestorer.swapIn(files, at);
                swapped = true;
            } catch (IOException e) {
                throw new dev.lifeboat.core.HostException("Cannot swap the config directory " + at.target() + " in: "
                        + e.getMessage(), e);
            }
        }

        /** None: two renames of directories on the host. */
        @Override
        public java.util.Set<String> containers() {
            return java.util.Set.of();
        }

        @Override
        public void swapBack() {
            try (HostFiles files = HostFiles.of(docker)) {
                if (swapped) {
                    ConfigRestorer.swapBack(files, at);
                    swapped = false;
                } else {
                    files.deleteTree(at.staging());
                }
            } catch (IOException e) {
                throw new dev.lifeboat.core.HostException("Cannot put the config directory " + at.target() + " back: "
                        + e.getMessage(), e);
            }
        }

        @Override
        public void discard() {
            try (HostFiles files = HostFiles.of(docker)) {
                files.deleteTree(at.staging());
            } catch (IOException e) {
                throw new dev.lifeboat.core.HostException("Cannot remove " + at.staging() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public List<SafetyCopy> kept() {
            return swapped ? List.of(new SafetyCopy(ID, asset.name(), at.target(), at.aside(), null, "config directory "
                    + at.target() + " as it was, at " + at.aside())) : List.of();
        }
    }

    @Override
    public void release(DockerEngine docker, SafetyCopy copy) {
        if (!ConfigRestorer.Places.isAsideOf(copy.location(), copy.item())) {
            throw new dev.lifeboat.core.HostException("Refusing to remove " + copy.item() + ": not where Lifeboat set "
                    + copy.location() + " aside");
        }
        try (HostFiles files = HostFiles.of(docker)) {
            files.deleteTree(copy.item());
        } catch (IOException e) {
            throw new dev.lifeboat.core.HostException("Cannot remove " + copy.item() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean stagesBeside(PlanContext ctx, AssetRecord a) {
        try (HostFiles files = HostFiles.of(ctx.docker())) {
            return files.isDirectory(directory(a));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String verify(VerifyContext ctx, AssetRecord asset, Artifact a, InputStream plain) throws IOException {
        return TAR_ROLE.equals(a.role()) ? TarCheck.check(plain, a.file(), asset.fileCount(), true)
                : AssetKind.super.verify(ctx, asset, a, plain);
    }

    /**
     * The config files the restore would change: the point's tar (read to its end, so its hash is checked)
     * against the directory as it is. A live file is read, to hash it, only where its size equals the point's.
     * Paths only: a changed {@code .env} is named, never shown.
     */
    @Override
    public Optional<dev.lifeboat.core.asset.PreviewSection> preview(CheckContext ctx, AssetRecord a) throws IOException {
        String dir = ctx.target().configDir(directory(a));
        java.util.Map<String, FileEntry> atPoint = new java.util.LinkedHashMap<>();
        try (InputStream plain = ctx.open(a.artifacts().get(0))) {
            org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar =
                    new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(plain);
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String path = relative(e.getName());
                if (path.isEmpty()) {
                    continue; // the directory itself
                }
                String type = e.isSymbolicLink() ? "l" : e.isDirectory() ? "d" : e.isFile() ? "f" : "o";
                atPoint.put(path, new FileEntry(path, type, e.isFile() ? e.getSize() : 0, e.getMode() & 0777, e.getLongUserId(),
                        e.getLongGroupId(), e.isFile() ? sha256(tar) : null, e.isSymbolicLink() ? e.getLinkName() : null));
            }
            plain.transferTo(java.io.OutputStream.nullOutputStream()); // to its end: the artifact's hash is checked there
        }
        java.util.Map<String, FileEntry> now = new java.util.LinkedHashMap<>();
        try (HostFiles files = HostFiles.of(ctx.docker())) {
            if (files.isDirectory(dir)) {
                for (HostFiles.Entry e : files.walk(dir)) {
                    String path = relative(e.path());
                    if (path.isEmpty()) {
                        continue;
                    }
                    FileEntry then = atPoint.get(path);
                    boolean file = e.type() == HostFiles.Type.FILE;
                    String sha = null;
                    if (file && then != null && "f".equals(then.type()) && then.size() == e.size()) {
                        try (InputStream in = files.read(HostFiles.child(dir, e.path()))) {
                            sha = sha256(in);
                        }
                    }
                    String type = switch (e.type()) {
                        case SYMLINK -> "l";
                        case DIRECTORY -> "d";
                        case FILE -> "f";
                    };
                    now.put(path, new FileEntry(path, type, file ? e.size() : 0, e.mode() & 0777, e.uid(), e.gid(), sha,
                            e.type() == HostFiles.Type.SYMLINK ? e.linkTarget() : null));
                }
            }
        }
        return Optional.of(dev.lifeboat.core.asset.FileChanges.section(a.name(), ID, "Config files in " + dir, "config directory",
                atPoint.values(), now));
    }

    /** A path inside the config directory as the tar and the walk name it: no "./" in front, no "/" behind. */
    private static String relative(String name) {
        String p = name.startsWith("./") ? name.substring(2) : name;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The SHA-256 of what is left in {@code in} (not closed: it may be a tar's current entry). */
    private static String sha256(InputStream in) throws IOException {
        java.security.MessageDigest md = dev.lifeboat.core.kinds.volume.VolumeArchiver.sha256();
        new java.security.DigestInputStream(in, md).transferTo(java.io.OutputStream.nullOutputStream());
        return java.util.HexFormat.of().formatHex(md.digest());
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
