package dev.lifeboat.core.kinds.config;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes a config directory on the stack's host (this machine, or over SFTP) equal to a point's config
 * tar, with modes, owners, symlinks and modification times.
 *
 * <p>The directory and what it holds may have been changed by someone else since the backup (a
 * subdirectory replaced by a link to {@code /etc}, say). So nothing is written into it: the tar is
 * extracted into a fresh staging directory next to it, created 0700, in which every path is one this
 * restore made: an entry below a link or a file of the tar is refused, links are created only after
 * every file, and modes and owners are never set through a link. Then the live directory is renamed
 * aside and the staging directory renamed into its place: files added since the point do not survive.
 * The replaced directory is deleted, or kept beside it when asked (no safety point holds it).
 */
public final class ConfigRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigRestorer.class);

    private ConfigRestorer() {
    }

    /** What a replace did: files written, and where the replaced directory was kept (null: deleted, or none). */
    public record Result(long files, String keptAt) {
    }

    public static Result replace(InputStream plain, HostFiles files, String dir, String runId, boolean keepReplaced)
            throws IOException {
        Path target = Path.of(dir).normalize();
        if (target.getParent() == null) {
            throw new IntegrityException("config directory " + dir + " cannot be replaced: it has no parent directory");
        }
        String parent = target.getParent().toString();
        String name = target.getFileName().toString();
        String staging = HostFiles.child(parent, "." + name + ".lifeboat-new-" + runId);
        String aside = HostFiles.child(parent, "." + name + ".lifeboat-replaced-" + runId);
        files.makeDirectories(parent);
        files.deleteTree(staging); // a leftover of this very run (a retried phase); links are removed, not followed
        files.makePrivateDirectory(staging);
        long n;
        try {
            n = extract(plain, files, staging);
        } catch (IOException | RuntimeException e) {
            files.deleteTree(staging);
            throw e;
        }
        boolean replaced = files.exists(target.toString());
        if (replaced) {
            files.rename(target.toString(), aside);
        }
        files.rename(staging, target.toString());
        if (replaced && !keepReplaced) {
            files.deleteTree(aside);
            return new Result(n, null);
        }
        return new Result(n, replaced ? aside : null);
    }

    /** Where a run stages, and sets aside, the config directory {@code dir}: siblings of it, on its filesystem. */
    public record Places(String target, String staging, String aside, String failed) {
        public static Places of(String dir, String runId) {
            Path target = Path.of(dir).normalize();
            if (target.getParent() == null) {
                throw new IntegrityException("config directory " + dir + " cannot be replaced: it has no parent directory");
            }
            String parent = target.getParent().toString();
            String name = target.getFileName().toString();
            return new Places(target.toString(), HostFiles.child(parent, "." + name + ".lifeboat-new-" + runId),
                    HostFiles.child(parent, "." + name + ".lifeboat-replaced-" + runId),
                    HostFiles.child(parent, "." + name + ".lifeboat-failed-" + runId));
        }

        /** Whether {@code path} is where a run of Lifeboat set aside the config directory {@code dir}. */
        public static boolean isAsideOf(String dir, String path) {
            Path target = Path.of(dir).normalize();
            Path p = Path.of(path).normalize();
            return target.getParent() != null && target.getParent().equals(p.getParent())
                    && p.getFileName().toString().startsWith("." + target.getFileName() + ".lifeboat-replaced-");
        }
    }

    /**
     * Extracts the point's config tar into a fresh private staging directory beside {@code dir} (ADR 25); the
     * live directory is not touched. Returns the files written; on a failure nothing is left staged.
     */
    public static long stage(InputStream plain, HostFiles files, Places at) throws IOException {
        String parent = Path.of(at.target()).getParent().toString();
        files.makeDirectories(parent);
        files.deleteTree(at.staging()); // a leftover of this very run; links are removed, not followed
        files.makePrivateDirectory(at.staging());
        try {
            return extract(plain, files, at.staging());
        } catch (IOException | RuntimeException e) {
            files.deleteTree(at.staging());
            throw e;
        }
    }

    /** Renames the live directory aside and the staged one into its place. */
    public static void swapIn(HostFiles files, Places at) throws IOException {
        if (files.exists(at.target())) {
            files.rename(at.target(), at.aside());
        }
        files.rename(at.staging(), at.target());
    }

    /** After {@link #swapIn}: the directory set aside comes back, the one swapped in goes. */
    public static void swapBack(HostFiles files, Places at) throws IOException {
        files.rename(at.target(), at.failed());
        files.rename(at.aside(), at.target());
        files.deleteTree(at.failed());
    }

    /** Extracts into {@code root}, a directory this restore has just made and nobody else can enter. */
    private static long extract(InputStream plain, HostFiles files, String dir) throws IOException {
        Path root = Path.of(dir).normalize();
        TarArchiveInputStream tar = new TarArchiveInputStream(plain, StandardCharsets.UTF_8.name());
        List<TarArchiveEntry> dirs = new ArrayList<>();
        List<TarArchiveEntry> links = new ArrayList<>();
        Set<Path> notDirectories = new HashSet<>();
        long count = 0;
        boolean ownersKept = true;
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            Path rel = root.relativize(inside(root, e.getName()));
            for (Path up = rel.getParent(); up != null; up = up.getParent()) {
                if (notDirectories.contains(up)) {
                    throw new IntegrityException("config archive entry " + e.getName() + " lies below " + up
                            + ", which is a link or a file; refusing to write through it");
                }
            }
            String path = root.resolve(rel).toString();
            if (e.isDirectory()) {
                files.makeDirectories(path);
                dirs.add(e);
                continue;
            }
            if (!e.isSymbolicLink() && !e.isFile()) {
                throw new IntegrityException("config archive entry " + e.getName() + " is neither a file, a directory nor"
                        + " a symbolic link");
            }
            if (!notDirectories.add(rel)) {
                throw new IntegrityException("config archive holds " + e.getName() + " twice");
            }
            if (rel.getParent() != null) {
                files.makeDirectories(root.resolve(rel.getParent()).toString());
            }
            if (e.isSymbolicLink()) {
                links.add(e); // created after every file, so nothing is ever written through one
                continue;
            }
            try (OutputStream out = files.write(path)) {
                tar.transferTo(out);
            }
            ownersKept &= files.setAttributes(path, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(),
                    e.getModTime().toInstant(), false);
            count++;
        }
        for (TarArchiveEntry link : links) {
            String path = inside(root, link.getName()).toString();
            if (files.exists(path)) {
                throw new IntegrityException("config archive entry " + link.getName() + " is a link over an existing path");
            }
            files.symlink(path, link.getLinkName());
            ownersKept &= files.setAttributes(path, 0, link.getLongUserId(), link.getLongGroupId(), null, true);
            count++;
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            TarArchiveEntry d = dirs.get(i);
            ownersKept &= files.setAttributes(inside(root, d.getName()).toString(), d.getMode() & 07777,
                    d.getLongUserId(), d.getLongGroupId(), d.getModTime().toInstant(), false);
        }
        if (!ownersKept) {
            LOG.warn("Restored config files to {} but could not restore their owners (not running as root there)", dir);
        }
        return count;
    }

    private static Path inside(Path root, String name) {
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root)) {
            throw new IntegrityException("config archive entry " + name + " points outside " + root);
        }
        return target;
    }
}
