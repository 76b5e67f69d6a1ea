package dev.lifeboat.core.backup;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the directory a stack came from (compose file, {@code .env}, certificates and keys) as a
 * tar that keeps modes, owners and symlinks. Like every artifact it is encrypted, so secrets in
 * {@code .env} and private keys never rest in plain text. Version-control folders are skipped.
 */
public final class ConfigCollector {
    public AssetRecord backup(Asset.ConfigFiles asset, PointArtifacts out) throws IOException {
        long start = System.nanoTime();
        Path dir = Path.of(asset.directory());
        if (!Files.isDirectory(dir)) {
            throw new LifeboatException("The stack's config directory " + dir + " does not exist on this machine");
        }
        List<String> files = new ArrayList<>();
        var artifact = out.write("config.tar", "config-tar", null, plain -> {
            TarArchiveOutputStream tar = VolumeArchiver.openTar(plain);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (d.getFileName() != null && d.getFileName().toString().equals(".git") && !d.equals(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    put(tar, dir, d, attrs);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    put(tar, dir, f, attrs);
                    if (!attrs.isDirectory()) {
                        files.add(dir.relativize(f).toString());
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            tar.finish();
            tar.flush();
        });
        Map<String, String> details = new LinkedHashMap<>();
        details.put("directory", dir.toAbsolutePath().normalize().toString());
        details.put("composeFiles", String.join(",", asset.composeFiles()));
        return new AssetRecord("config", asset.name(), null, (System.nanoTime() - start) / 1_000_000,
                List.of(artifact), null, null, (long) files.size(), details);
    }

    private static void put(TarArchiveOutputStream tar, Path root, Path p, BasicFileAttributes attrs) throws IOException {
        String rel = root.relativize(p).toString();
        TarArchiveEntry e;
        if (attrs.isSymbolicLink()) {
            e = new TarArchiveEntry(rel, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (attrs.isDirectory()) {
            e = new TarArchiveEntry(rel.isEmpty() ? "./" : rel + "/");
        } else if (attrs.isRegularFile()) {
            e = new TarArchiveEntry(rel);
            e.setSize(attrs.size());
        } else {
            return; // sockets, fifos and devices are not configuration
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        e.setMode((e.getMode() & ~0777) | mode(perms));
        e.setUserId(((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue());
        e.setGroupId(((Number) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue());
        e.setModTime(attrs.lastModifiedTime());
        tar.putArchiveEntry(e);
        if (attrs.isRegularFile()) {
            try (InputStream in = Files.newInputStream(p)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }

    static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
    }
}
