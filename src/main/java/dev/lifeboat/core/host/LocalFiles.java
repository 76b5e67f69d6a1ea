package dev.lifeboat.core.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@link HostFiles} on this machine. */
final class LocalFiles implements HostFiles {
    @Override
    public boolean isDirectory(String dir) {
        return Files.isDirectory(Path.of(dir));
    }

    @Override
    public List<Entry> walk(String dir) throws IOException {
        Path root = Path.of(dir);
        List<Entry> out = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!d.equals(root) && d.getFileName().toString().equals(".git")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                out.add(entry(root, d, attrs));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                    out.add(entry(root, f, attrs));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static Entry entry(Path root, Path p, BasicFileAttributes attrs) throws IOException {
        Type type = attrs.isSymbolicLink() ? Type.SYMLINK : attrs.isDirectory() ? Type.DIRECTORY : Type.FILE;
        return new Entry(root.relativize(p).toString(), type,
                mode(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)),
                ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue(),
                ((Number) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue(),
                attrs.size(), attrs.lastModifiedTime().toInstant(),
                type == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null);
    }

    @Override
    public InputStream read(String path) throws IOException {
        return Files.newInputStream(Path.of(path));
    }

    @Override
    public void makeDirectories(String dir) throws IOException {
        Files.createDirectories(Path.of(dir));
    }

    @Override
    public void deleteTree(String dir) throws IOException {
        Path root = Path.of(dir);
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public OutputStream write(String path) throws IOException {
        Path p = Path.of(path);
        Files.deleteIfExists(p); // a link is removed, not followed
        return Files.newOutputStream(p, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void makePrivateDirectory(String dir) throws IOException {
        Files.createDirectory(Path.of(dir), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions(0700)));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(Path.of(from), Path.of(to), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String privateDirectory(Path lifeboatHome, String name) throws IOException {
        Path dir = lifeboatHome.toAbsolutePath().resolve(name);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(lifeboatHome.toAbsolutePath(), permissions(0700));
        Files.setPosixFilePermissions(dir, permissions(0700));
        return dir.toString();
    }

    @Override
    public void symlink(String path, String target) throws IOException {
        Path p = Path.of(path);
        Files.deleteIfExists(p);
        Files.createSymbolicLink(p, Path.of(target));
    }

    @Override
    public boolean setAttributes(String path, int mode, long uid, long gid, java.time.Instant modified, boolean isLink)
            throws IOException {
        Path p = Path.of(path);
        if (!isLink) {
            Files.setPosixFilePermissions(p, permissions(mode));
            if (modified != null) {
                Files.setLastModifiedTime(p, FileTime.from(modified));
            }
        }
        try {
            Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
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

    @Override
    public void close() {
        // nothing to release
    }
}
