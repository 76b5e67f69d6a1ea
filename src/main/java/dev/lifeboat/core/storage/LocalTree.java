package dev.lifeboat.core.storage;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link FileTree} on a local (or mounted) directory, with fsync of files and directories. */
public final class LocalTree implements FileTree {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private final Path root;

    public LocalTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String root() {
        return root.toString();
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public Kind kind(String path) throws IOException {
        try {
            return kind(Files.readAttributes(Path.of(path), BasicFileAttributes.class, NOFOLLOW));
        } catch (NoSuchFileException e) {
            return Kind.MISSING;
        }
    }

    private static Kind kind(BasicFileAttributes a) {
        return a.isSymbolicLink() ? Kind.LINK : a.isDirectory() ? Kind.DIRECTORY : a.isRegularFile() ? Kind.FILE : Kind.OTHER;
    }

    @Override
    public List<Entry> list(String dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(dir))) {
            for (Path p : ds) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
                    out.add(new Entry(p.getFileName().toString(), kind(a), a.lastModifiedTime().toInstant()));
                } catch (NoSuchFileException gone) {
                    // removed while listing
                }
            }
        }
        return out;
    }

    @Override
    public Instant modified(String path) throws IOException {
        return Files.getLastModifiedTime(Path.of(path), NOFOLLOW).toInstant();
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        Files.createDirectories(Path.of(dir));
    }

    @Override
    public void mkdir(String dir) throws IOException {
        Files.createDirectory(Path.of(dir));
    }

    @Override
    public OutputStream create(String file) throws IOException {
        return durableFile(Path.of(file));
    }

    @Override
    public InputStream open(String file) throws IOException {
        return Files.newInputStream(Path.of(file), NOFOLLOW);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Path target = Path.of(to);
        if (kind(to) != Kind.MISSING) {
            throw new FileAlreadyExistsException(to);
        }
        move(Path.of(from), target);
    }

    @Override
    public void replace(String from, String to) throws IOException {
        move(Path.of(from), Path.of(to));
    }

    private void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the destination " + root + " does not support atomic renames", e);
        }
    }

    @Override
    public void delete(String path) throws IOException {
        try {
            Files.delete(Path.of(path));
        } catch (NoSuchFileException ignored) {
            // already gone
        }
    }

    @Override
    public void sync(String dir) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(dir), StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Writes a new file (never through a link: CREATE_NEW fails on one) and forces it to disk on close. */
    static OutputStream durableFile(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return new FilterOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 256 * 1024)) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    out.flush();
                    ch.force(true);
                } finally {
                    out.close();
                }
            }
        };
    }
}
