package dev.lifeboat.core.kinds.volume;

import dev.lifeboat.core.IntegrityException;
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
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.FileEntry;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.VolumeSpec;
import dev.lifeboat.core.storage.ManifestCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Named volumes that no database asset covers: archived as a tar plus a file index (path, type, mode,
 * owner, SHA-256) by a helper container, with the containers labelled {@code lifeboat.stop-during-backup}
 * stopped meanwhile; restored into a fresh volume; checked file by file against the index.
 * {@code --only volume:NAME}.
 */
public final class VolumeKind implements AssetKind {
    public static final String ID = "volume";
    public static final String TAR_ROLE = "volume-tar";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String scopeSyntax() {
        return "volume:NAME";
    }

    @Override
    public List<Asset> discover(DockerEngine docker, List<ContainerSpec> containers, List<Asset> found) {
        Set<String> covered = new LinkedHashSet<>();
        found.forEach(a -> covered.addAll(a.coveredVolumes()));
        Map<String, List<String>> users = new TreeMap<>();
        for (ContainerSpec c : containers) {
            for (MountSpec m : c.mounts()) {
                if (m.isVolume()) {
                    users.computeIfAbsent(m.source(), k -> new ArrayList<>()).add(c.name());
                }
            }
        }
        List<Asset> out = new ArrayList<>();
        for (var e : users.entrySet()) {
            if (covered.contains(e.getKey())) {
                continue; // covered by a logical dump; never tarred while the database runs
            }
            List<String> stop = containers.stream()
                    .filter(c -> e.getValue().contains(c.name()) && "true".equals(c.label(StackDiscovery.STOP_DURING_BACKUP)))
                    .map(ContainerSpec::name).toList();
            out.add(new Asset.DockerVolume(e.getKey(), e.getValue(), stop));
        }
        return out;
    }

    @Override
    public boolean serial() {
        return true;
    }

    @Override
    public AssetRecord backup(BackupContext ctx, Asset asset) throws IOException {
        Asset.DockerVolume v = (Asset.DockerVolume) asset;
        ctx.progress().phase(v.name(), "Archiving volume " + v.volume());
        return new VolumeArchiver(ctx.docker(), ctx.hold(), ctx.runId()).backup(v, ctx.stack().containers(), ctx.out());
    }

    private static String volumeOf(AssetRecord a) {
        return a.name().substring((ID + ":").length());
    }

    @Override
    public String phase() {
        return "volumes";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public boolean stagesBeside(PlanContext ctx, AssetRecord a) {
        return ctx.docker().volume(volumeOf(a)).isPresent();
    }

    @Override
    public void plan(PlanContext ctx, AssetRecord a, List<String> overwrite, List<String> create) {
        String v = volumeOf(a);
        if (ctx.docker().volume(v).isPresent()) {
            overwrite.add("volume " + v + " (the point is restored beside its data while the stack runs, then swapped in;"
                    + " the data it replaces is kept aside in the volume)");
        } else {
            create.add("volume " + v);
        }
    }

    @Override
    public String restore(RestoreContext ctx, List<AssetRecord> assets) throws IOException {
        DockerEngine docker = ctx.docker();
        for (AssetRecord a : assets) {
            restore(ctx, a);
        }
        if (ctx.scope().everything()) {
            for (VolumeSpec v : ctx.manifest().volumes()) {
                if (docker.volume(ctx.target().volume(v.name())).isEmpty()) {
                    docker.createVolume(ctx.target().volumeSpec(v));
                }
            }
        }
        return assets.size() + " volumes restored";
    }

    /**
     * The containers that mount the volumes: as recorded (they are created on them, a server before its own phase
     * ends) and, where a volume exists on the target, those that use it now (stopped and recreated around it).
     */
    @Override
    public java.util.Set<String> restoreUses(RestoreContext ctx, List<AssetRecord> assets) {
        java.util.Set<String> uses = new java.util.HashSet<>();
        DockerEngine docker = ctx.docker();
        for (AssetRecord a : assets) {
            String volume = ctx.target().volume(volumeOf(a));
            ctx.containers().stream().filter(c -> c.mounts().stream().anyMatch(mt -> mt.isVolume() && mt.source().equals(volume)))
                    .forEach(c -> uses.add(c.name()));
            if (docker.volume(volume).isPresent()) {
                docker.containersUsingVolume(volume).forEach(c -> uses.add(c.name()));
            }
        }
        return uses;
    }

    private static void restore(RestoreContext ctx, AssetRecord a) throws IOException {
        DockerEngine docker = ctx.docker();
        String recorded = volumeOf(a);
        String volume = ctx.target().volume(recorded);
        VolumeSpec spec = ctx.target().volumeSpec(ctx.manifest().volumes().stream().filter(v -> v.name().equals(recorded))
                .findFirst().orElse(new VolumeSpec(recorded, "local", Map.of())));
        // Start from an empty volume so the result matches the point exactly. Docker removes no volume a
        // container still mounts, running or not: in a partial restore (--only volume:NAME, the stack up)
        // those containers are stopped and removed first, and recreated afterwards from their own current
        // record (not the point's), as compose recreates a container; a full restore has removed them already.
        List<ContainerSpec> users = docker.volume(volume).isPresent() ? docker.containersUsingVolume(volume) : List.of();
        for (ContainerSpec u : users) {
            docker.stop(u.name(), u.stopTimeout());
            docker.remove(u.name());
        }
        if (docker.volume(volume).isPresent()) {
            docker.removeVolume(volume);
        }
        docker.createVolume(spec);
        List<ContainerSpec> containers = ctx.containers();
        String image = containers.stream()
                .filter(c -> c.mounts().stream().anyMatch(mt -> mt.isVolume() && mt.source().equals(volume)))
                .map(ctx::image).findFirst().orElse(ctx.image(containers.get(0)));
        String helper = docker.createHelper(image, "lifeboat-helper-" + UUID.randomUUID().toString().substring(0, 8),
                ctx.helperLabels(), List.of(volume), false);
        try (InputStream tar = ctx.open(a.artifacts().get(0))) {
            docker.writeArchive(helper, "/lifeboat/" + volume, tar);
        } finally {
            dev.lifeboat.core.Cleanup.uninterrupted(() -> docker.remove(helper));
            for (ContainerSpec u : users) {
                docker.createContainer(u);
            }
        }
        for (ContainerSpec u : users) {
            if (u.running()) {
                docker.start(u.name());
                ctx.touched(u.name());
            }
        }
    }

    /**
     * Restores a volume that exists beside its data (ADR 25): the point's tar goes into
     * {@code .lifeboat-new-RUN} at the volume's root while the apps run, checked as it streams; the swap
     * renames (the live entries into {@code .lifeboat-replaced-RUN}, the staged ones up). A volume that does
     * not exist is created and filled by {@link #restore} instead. An image without a shell for the helper
     * leaves the volume to the in-place path too.
     */
    @Override
    public Optional<Staged> stage(RestoreContext ctx, AssetRecord a) throws IOException {
        DockerEngine docker = ctx.docker();
        String volume = ctx.target().volume(volumeOf(a));
        if (docker.volume(volume).isEmpty()) {
            return Optional.empty();
        }
        String image = helperImage(ctx, volume);
        String tag = tag(ctx.runId());
        Map<String, String> labels = ctx.helperLabels();
        VolumeStage stage = new VolumeStage(docker, ctx, a, volume, image, labels, ".lifeboat-new-" + tag,
                ".lifeboat-replaced-" + tag, ".lifeboat-failed-" + tag);
        long need = a.artifacts().get(0).plainBytes();
        boolean staged = dev.lifeboat.core.asset.KeptInVolume.stage(docker, image, labels, volume, stage.staged,
                need + need / 20, "volume " + volume, ctx.manifest().pointId(), () -> ctx.open(a.artifacts().get(0)),
                tar -> tar, stage::discard);
        return staged ? Optional.of(stage) : Optional.empty();
    }

    /** The part of a run id that names its directories in a volume: letters and digits, at most 12. */
    private static String tag(String runId) {
        String t = runId.replaceAll("[^A-Za-z0-9]", "");
        return t.length() > 12 ? t.substring(t.length() - 12) : t;
    }

    /** An image for helpers on {@code volume}: a live container's that mounts it, else the recorded one's. */
    private static String helperImage(RestoreContext ctx, String volume) {
        DockerEngine docker = ctx.docker();
        for (ContainerSpec c : docker.containersUsingVolume(volume)) {
            String image = dev.lifeboat.core.asset.Helpers.imageOf(docker, c);
            if (docker.imageId(image).isPresent()) {
                return image;
            }
        }
        List<ContainerSpec> containers = ctx.containers();
        return containers.stream().filter(c -> c.mounts().stream().anyMatch(m -> m.isVolume() && m.source().equals(volume)))
                .map(ctx::image).findFirst().orElse(ctx.image(containers.get(0)));
    }

    /** One volume staged beside its data. */
    private static final class VolumeStage implements Staged {
        private final DockerEngine docker;
        private final RestoreContext ctx;
        private final AssetRecord asset;
        private final String volume;
        private final String image;
        private final Map<String, String> labels;
        private final String staged;
        private final String aside;
        private final String failed;
        private boolean swapped;

        VolumeStage(DockerEngine docker, RestoreContext ctx, AssetRecord asset, String volume, String image,
                    Map<String, String> labels, String staged, String aside, String failed) {
            this.docker = docker;
            this.ctx = ctx;
            this.asset = asset;
            this.volume = volume;
            this.image = image;
            this.labels = labels;
            this.staged = staged;
            this.aside = aside;
            this.failed = failed;
        }

        @Override
        public AssetRecord asset() {
            return asset;
        }

        @Override
        public String describe() {
            return "volume " + volume + " (" + staged + ")";
        }

        @Override
        public void swap() {
            List<String> stopped = stopUsers();
            docker.swapIntoVolumeRoot(image, labels, volume, staged, aside);
            swapped = true;
            startAgain(stopped);
        }

        @Override
        public void swapBack() {
            if (!swapped) {
                discard();
                return;
            }
            List<String> stopped = stopUsers();
            docker.swapIntoVolumeRoot(image, labels, volume, aside, failed);
            swapped = false;
            docker.removeWithinVolume(image, labels, volume, failed);
            startAgain(stopped);
        }

        @Override
        public void discard() {
            docker.removeWithinVolume(image, labels, volume, staged);
        }

        @Override
        public List<SafetyCopy> kept() {
            return swapped ? List.of(new SafetyCopy(ID, asset.name(), volume, aside, image, "in volume " + volume + ", directory "
                    + aside)) : List.of();
        }

        /** The containers that mount the volume, which the swap stops and starts again if they run. */
        @Override
        public java.util.Set<String> containers() {
            return docker.containersUsingVolume(volume).stream().map(ContainerSpec::name)
                    .collect(java.util.stream.Collectors.toSet());
        }

        /** Stops the running containers that mount the volume (in a full restore the apps are gone already). */
        private List<String> stopUsers() {
            List<String> stopped = new ArrayList<>();
            for (ContainerSpec u : docker.containersUsingVolume(volume)) {
                if (u.running()) {
                    docker.stop(u.name(), u.stopTimeout());
                    stopped.add(u.name());
                }
            }
            return stopped;
        }

        private void startAgain(List<String> stopped) {
            for (String name : stopped) {
                docker.start(name);
                ctx.touched(name);
            }
        }
    }

    @Override
    public void release(DockerEngine docker, SafetyCopy copy) {
        dev.lifeboat.core.asset.KeptInVolume.release(docker, copy);
    }

    @Override
    public String verify(VerifyContext ctx, AssetRecord asset, Artifact a, InputStream plain) throws IOException {
        if (TAR_ROLE.equals(a.role())) {
            return TarCheck.check(plain, a.file(), asset.fileCount(), false);
        }
        if (VolumeArchiver.INDEX_ROLE.equals(a.role())) {
            FileEntry[] entries = ManifestCodec.mapper().readValue(plain.readAllBytes(), FileEntry[].class);
            if (asset.fileCount() != null && asset.fileCount() != entries.length) {
                throw new IntegrityException(a.file() + ": the index lists " + entries.length
                        + " entries, the manifest recorded " + asset.fileCount());
            }
            return "index of " + entries.length + " entries";
        }
        return AssetKind.super.verify(ctx, asset, a, plain);
    }

    @Override
    public List<Check> check(CheckContext ctx, AssetRecord a) throws IOException {
        String recorded = volumeOf(a);
        String volume = ctx.target().volume(recorded);
        String name = a.name() + ": files";
        Artifact indexArtifact = a.artifacts().stream().filter(x -> VolumeArchiver.INDEX_ROLE.equals(x.role())).findFirst()
                .orElse(null);
        List<FileEntry> restored = new ArrayList<>();
        List<ContainerSpec> specs = ctx.containers();
        String image = specs.stream().filter(c -> c.mounts().stream().anyMatch(m -> m.isVolume() && m.source().equals(volume)))
                .map(ContainerSpec::image).findFirst().orElse(specs.get(0).image());
        DockerEngine docker = ctx.docker();
        String helper = docker.createHelper(image, ctx.target().container("check-" + recorded), ctx.helperLabels(),
                List.of(volume), true);
        try (InputStream raw = docker.readArchive(helper, "/lifeboat/" + volume)) {
            VolumeArchiver.rebase(raw, volume, OutputStream.nullOutputStream(), restored);
        } finally {
            dev.lifeboat.core.Cleanup.uninterrupted(() -> docker.remove(helper));
        }
        if (indexArtifact == null) {
            long want = a.fileCount() == null ? -1 : a.fileCount();
            return List.of(want < 0 || want == restored.size()
                    ? Check.pass(name, restored.size() + " entries (this point predates file indexes: count only)")
                    : Check.fail(name, restored.size() + " entries restored, the backup recorded " + want));
        }
        FileEntry[] wanted;
        try (InputStream in = ctx.open(indexArtifact)) {
            wanted = ManifestCodec.mapper().readValue(in.readAllBytes(), FileEntry[].class);
        }
        Map<String, FileEntry> got = new LinkedHashMap<>();
        restored.forEach(e -> got.put(e.path(), e));
        List<String> problems = new ArrayList<>();
        long bytes = 0;
        for (FileEntry w : wanted) {
            FileEntry g = got.remove(w.path());
            bytes += w.size();
            if (g == null) {
                problems.add(w.path() + " missing");
            } else if (!dev.lifeboat.core.asset.FileChanges.same(w, g)) {
                problems.add(w.path() + " differs (" + describe(w) + " recorded, " + describe(g) + " restored)");
            }
        }
        got.keySet().forEach(p -> problems.add(p + " not in the backup"));
        if (problems.isEmpty()) {
            return List.of(Check.pass(name, wanted.length + " entries, " + bytes + " bytes: paths, types, modes, owners and "
                    + "SHA-256 match the backup's index"));
        }
        return List.of(Check.fail(name, problems.size() + " differences: "
                + String.join("; ", problems.subList(0, Math.min(5, problems.size()))) + (problems.size() > 5 ? "; …" : "")));
    }

    /**
     * The files the restore would change in the live volume, from the point's file index against a listing of the
     * volume as it is (read through a read-only helper; the files are read to compare their SHA-256).
     */
    @Override
    public java.util.Optional<dev.lifeboat.core.asset.PreviewSection> preview(CheckContext ctx, AssetRecord a) throws IOException {
        String recorded = volumeOf(a);
        String volume = ctx.target().volume(recorded);
        Artifact indexArtifact = a.artifacts().stream().filter(x -> VolumeArchiver.INDEX_ROLE.equals(x.role())).findFirst()
                .orElse(null);
        if (indexArtifact == null) {
            return java.util.Optional.empty(); // a point from before file indexes
        }
        FileEntry[] wanted;
        try (InputStream in = ctx.open(indexArtifact)) {
            wanted = ManifestCodec.mapper().readValue(in.readAllBytes(), FileEntry[].class);
        }
        DockerEngine docker = ctx.docker();
        Map<String, FileEntry> live = new LinkedHashMap<>();
        if (docker.volume(volume).isPresent()) {
            List<ContainerSpec> users = docker.containersUsingVolume(volume);
            String image = users.isEmpty() ? ctx.containers().get(0).image() : dev.lifeboat.core.asset.Helpers.imageOf(docker, users.get(0));
            String helper = docker.createHelper(image, "lifeboat-helper-" + java.util.UUID.randomUUID().toString().substring(0, 8),
                    ctx.helperLabels(), List.of(volume), true);
            List<FileEntry> listed = new ArrayList<>();
            try (InputStream raw = docker.readArchive(helper, "/lifeboat/" + volume)) {
                VolumeArchiver.rebase(raw, volume, OutputStream.nullOutputStream(), listed);
            } finally {
                dev.lifeboat.core.Cleanup.uninterrupted(() -> docker.remove(helper));
            }
            listed.forEach(e -> live.put(e.path(), e));
        }
        return java.util.Optional.of(dev.lifeboat.core.asset.FileChanges.section(a.name(), ID, "Files of volume " + volume,
                "volume", List.of(wanted), live));
    }

    private static String describe(FileEntry e) {
        return e.type() + " " + Integer.toOctalString(e.mode()) + " " + e.uid() + ":" + e.gid() + " " + e.size() + "B"
                + (e.sha256() == null ? "" : " " + e.sha256().substring(0, 12));
    }
}
