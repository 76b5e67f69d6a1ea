package dev.lifeboat.core.restore;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.host.HostFiles;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a config tar back to its directory on the stack's host (this machine, or over SFTP), with
 * modes, owners, symlinks and modification times. Directory modes are set last, so a read-only
 * directory does not block its own files.
 */
final class ConfigRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigRestorer.class);

    private ConfigRestorer() {
    }

    static long extract(InputStream plain, HostFiles files, String dir) throws IOException {
        files.makeDirectories(dir);
        Path root = Path.of(dir).normalize();
        TarArchiveInputStream tar = new TarArchiveInputStream(plain, StandardCharsets.UTF_8.name());
        List<TarArchiveEntry> dirs = new ArrayList<>();
        long count = 0;
        boolean ownersKept = true;
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            Path target = root.resolve(e.getName()).normalize();
            if (!target.startsWith(root)) {
                throw new IntegrityException("config archive entry " + e.getName() + " points outside " + root);
            }
            String path = target.toString();
            if (e.isDirectory()) {
                files.makeDirectories(path);
                dirs.add(e);
                continue;
            }
            files.makeDirectories(target.getParent().toString());
            if (e.isSymbolicLink()) {
                files.symlink(path, e.getLinkName());
            } else {
                try (OutputStream out = files.write(path)) {
                    tar.transferTo(out);
                }
            }
            ownersKept &= files.setAttributes(path, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(),
                    e.getModTime().toInstant(), e.isSymbolicLink());
            count++;
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            TarArchiveEntry d = dirs.get(i);
            ownersKept &= files.setAttributes(root.resolve(d.getName()).normalize().toString(), d.getMode() & 07777,
                    d.getLongUserId(), d.getLongGroupId(), d.getModTime().toInstant(), false);
        }
        if (!ownersKept) {
            LOG.warn("Restored config files to {} but could not restore their owners (not running as root there)", dir);
        }
        return count;
    }
}
