package dev.lifeboat.core.kinds.config;

import dev.lifeboat.core.kinds.volume.VolumeArchiver;
import dev.lifeboat.core.asset.PointArtifacts;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the directory a stack came from (compose file, {@code .env}, certificates and keys) as a
 * tar that keeps modes, owners and symlinks, from this machine or over SFTP from an SSH host. Like
 * every artifact it is encrypted, so secrets in {@code .env} and private keys never rest in plain
 * text. Version-control folders are skipped.
 */
public final class ConfigCollector {
    private final HostFiles files;

    public ConfigCollector(HostFiles files) {
        this.files = files;
    }

    public AssetRecord backup(Asset.ConfigFiles asset, PointArtifacts out) throws IOException {
        long start = System.nanoTime();
        String dir = asset.directory();
        if (!files.isDirectory(dir)) {
            throw new LifeboatException("The stack's config directory " + dir + " does not exist on its host");
        }
        List<HostFiles.Entry> entries = files.walk(dir);
        var artifact = out.write("config.tar", ConfigKind.TAR_ROLE, null, plain -> {
            TarArchiveOutputStream tar = VolumeArchiver.openTar(plain);
            for (HostFiles.Entry e : entries) {
                put(tar, dir, e);
            }
            tar.finish();
            tar.flush();
        });
        Map<String, String> details = new LinkedHashMap<>();
        details.put("directory", dir);
        details.put("composeFiles", String.join(",", asset.composeFiles()));
        long fileCount = entries.stream().filter(e -> e.type() != HostFiles.Type.DIRECTORY).count();
        return new AssetRecord("config", asset.name(), null, (System.nanoTime() - start) / 1_000_000,
                List.of(artifact), null, null, fileCount, details);
    }

    private void put(TarArchiveOutputStream tar, String dir, HostFiles.Entry f) throws IOException {
        TarArchiveEntry e;
        switch (f.type()) {
            case SYMLINK -> {
                e = new TarArchiveEntry(f.path(), TarArchiveEntry.LF_SYMLINK);
                e.setLinkName(f.linkTarget());
            }
            case DIRECTORY -> e = new TarArchiveEntry(f.path().isEmpty() ? "./" : f.path() + "/");
            default -> {
                e = new TarArchiveEntry(f.path());
                e.setSize(f.size());
            }
        }
        e.setMode((e.getMode() & ~0777) | f.mode());
        e.setUserId(f.uid());
        e.setGroupId(f.gid());
        e.setModTime(java.nio.file.attribute.FileTime.from(f.modified()));
        tar.putArchiveEntry(e);
        if (f.type() == HostFiles.Type.FILE) {
            try (InputStream in = files.read(HostFiles.child(dir, f.path()))) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }
}
