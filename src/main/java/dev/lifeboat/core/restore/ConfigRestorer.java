package dev.lifeboat.core.restore;

import dev.lifeboat.core.IntegrityException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Writes a config tar back to its directory on this machine, with modes, owners, symlinks and times. */
final class ConfigRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigRestorer.class);

    private ConfigRestorer() {
    }

    static long extract(InputStream plain, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        TarArchiveInputStream tar = new TarArchiveInputStream(plain, StandardCharsets.UTF_8.name());
        List<TarArchiveEntry> dirs = new ArrayList<>();
        long files = 0;
        TarArchiveEntry e;
        boolean ownershipWarned = false;
        while ((e = tar.getNextEntry()) != null) {
            Path target = root.resolve(e.getName()).normalize();
            if (!target.startsWith(root)) {
                throw new IntegrityException("config archive entry " + e.getName() + " points outside " + root);
            }
            if (e.isDirectory()) {
                Files.createDirectories(target);
                dirs.add(e);
                continue;
            }
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            if (e.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else {
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    tar.transferTo(out);
                }
                Files.setPosixFilePermissions(target, permissions(e.getMode()));
                Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
            }
            ownershipWarned |= !chown(target, e, ownershipWarned);
            files++;
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            TarArchiveEntry d = dirs.get(i);
            Path target = root.resolve(d.getName()).normalize();
            Files.setPosixFilePermissions(target, permissions(d.getMode()));
            chown(target, d, true);
        }
        return files;
    }

    private static boolean chown(Path p, TarArchiveEntry e, boolean quiet) {
        try {
            Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException ex) {
            if (!quiet) {
                LOG.warn("Cannot restore the owner of {} (uid {}, gid {}): {}", p, e.getLongUserId(), e.getLongGroupId(),
                        ex.getMessage());
            }
            return false;
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                s.add(all[i]);
            }
        }
        return s;
    }
}
