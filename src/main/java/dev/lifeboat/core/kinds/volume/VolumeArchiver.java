package dev.lifeboat.core.kinds.volume;

import dev.lifeboat.core.asset.ContainerHold;
import dev.lifeboat.core.asset.PointArtifacts;
import dev.lifeboat.core.HostException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.FileEntry;
import dev.lifeboat.core.storage.ManifestCodec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Archives a named volume through a short-lived helper container created (never started) from an
 * image the stack already uses, with the volume mounted read-only. The Engine API's archive endpoint
 * gives a tar that keeps ownership, modes, symlinks and empty directories; it is rewritten on the fly
 * so that names are relative to the volume's root. Containers labelled
 * {@code lifeboat.stop-during-backup=true} are stopped for the read and always started again.
 */
public final class VolumeArchiver {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeArchiver.class);
    private final DockerEngine docker;
    private final ContainerHold hold;

    private final String runId;

    /** {@code runId} labels the helper containers, so a killed run's helpers can be found and removed. */
    public VolumeArchiver(DockerEngine docker, ContainerHold hold, String runId) {
        this.docker = docker;
        this.hold = hold;
        this.runId = runId;
    }

    public AssetRecord backup(Asset.DockerVolume asset, List<ContainerSpec> stackContainers, PointArtifacts out)
            throws IOException {
        long start = System.nanoTime();
        String image = stackContainers.stream().filter(c -> asset.mountedBy().contains(c.name())).findFirst()
                .map(ContainerSpec::image).orElseThrow(() -> new HostException("volume " + asset.volume()
                        + " has no container whose image could serve as helper"));
        // Containers to stop, and to have running again afterwards: those that were running when the
        // stack was discovered. Starting them all afterwards (not only the ones this step stopped) also
        // repairs a stop that a dropped earlier run left in flight.
        List<String> toRestore = stackContainers.stream()
                .filter(c -> asset.stopContainers().contains(c.name()) && c.running()).map(ContainerSpec::name).toList();
        List<String> stopped = new ArrayList<>();
        String helper = docker.createHelper(image, "lifeboat-helper-" + UUID.randomUUID().toString().substring(0, 8),
                Map.of(dev.lifeboat.core.asset.Helpers.LABEL, runId), List.of(asset.volume()), true);
        long[] counts = new long[2];
        List<FileEntry> index = new ArrayList<>();
        Artifact artifact;
        try {
            for (String c : toRestore) {
                hold.stopping(c);
                if (docker.inspect(c).map(ContainerSpec::running).orElse(false)) {
                    stopped.add(c);
                    docker.stop(c, 30);
                }
            }
            artifact = out.write("volume-" + asset.volume() + ".tar", VolumeKind.TAR_ROLE, null, plain -> {
                try (InputStream raw = docker.readArchive(helper, "/lifeboat/" + asset.volume())) {
                    long[] c = rebase(raw, asset.volume(), plain, index);
                    counts[0] = c[0];
                    counts[1] = c[1];
                }
            });
        } finally {
            // a cancelled run interrupts this thread: clear the flag so that the app containers are still
            // started again and the helper removed (I/O on an interrupted thread would fail), then restore it
            boolean interrupted = Thread.interrupted();
            RuntimeException failure = null;
            for (String c : toRestore) {
                try {
                    docker.start(c);
                    hold.started(c);
                } catch (RuntimeException e) {
                    failure = e;
                    LOG.error("Could not restart container {} after backing up volume {}", c, asset.volume(), e);
                }
            }
            try {
                docker.remove(helper);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
                LOG.warn("Could not remove helper container {}; the next run removes it", helper, e);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("contentBytes", Long.toString(counts[1]));
        details.put("stoppedDuringBackup", String.join(",", stopped));
        Artifact indexArtifact = out.write("volume-" + asset.volume() + ".index.json", INDEX_ROLE, null,
                plain -> ManifestCodec.mapper().writeValue(new NonClosing(plain), index));
        return new AssetRecord("volume", asset.name(), null, (System.nanoTime() - start) / 1_000_000,
                List.of(artifact, indexArtifact), null, null, counts[0], details);
    }

    /**
     * Copies a tar whose names start with {@code top/} into one whose names are relative to that
     * directory ("./" for the directory itself). Returns {entries, content bytes}.
     */
    public static long[] rebase(InputStream raw, String top, OutputStream plain, List<FileEntry> index) throws IOException {
        TarArchiveInputStream in = new TarArchiveInputStream(raw, StandardCharsets.UTF_8.name());
        TarArchiveOutputStream tar = openTar(plain);
        long entries = 0;
        long bytes = 0;
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
            String name = strip(e.getName(), top);
            if (name == null || lifeboatOwn(name)) {
                continue; // what a restore staged or set aside in the volume is not the app's data
            }
            e.setName(name);
            if (e.isLink()) {
                e.setLinkName(strip(e.getLinkName(), top));
            }
            tar.putArchiveEntry(e);
            String sha256 = null;
            if (e.isFile() && !e.isSymbolicLink() && !e.isLink()) {
                java.security.MessageDigest md = sha256();
                bytes += in.transferTo(new java.security.DigestOutputStream(tar, md));
                sha256 = java.util.HexFormat.of().formatHex(md.digest());
            }
            tar.closeArchiveEntry();
            index.add(indexEntry(e, sha256));
            entries++;
        }
        tar.finish();
        tar.flush();
        return new long[] {entries, bytes};
    }

    /** Whether a name relative to a volume's root is Lifeboat's own ({@code .lifeboat-*} at the root, and below it). */
    public static boolean lifeboatOwn(String name) {
        return name.startsWith(".lifeboat-");
    }

    /** The role of a volume's file index artifact (a JSON array of {@link FileEntry}). */
    public static final String INDEX_ROLE = "volume-index";

    /** The index entry for a tar entry ({@code sha256} of a file's content, else null). */
    public static FileEntry indexEntry(TarArchiveEntry e, String sha256) {
        String type = e.isSymbolicLink() ? "l" : e.isLink() ? "h" : e.isDirectory() ? "d" : e.isFile() ? "f" : "o";
        return new FileEntry(e.getName(), type, e.isFile() ? e.getSize() : 0, e.getMode() & 07777, e.getLongUserId(),
                e.getLongGroupId(), sha256, e.isSymbolicLink() || e.isLink() ? e.getLinkName() : null);
    }

    public static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TarArchiveOutputStream openTar(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    private static String strip(String name, String top) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        if (n.equals(top) || n.equals(top + "/")) {
            return "./";
        }
        if (n.startsWith(top + "/")) {
            return n.substring(top.length() + 1);
        }
        return null;
    }

    /** Lets the tar writer finish without closing the pipeline underneath, which its owner closes. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
