package dev.lifeboat.core.storage;

import dev.lifeboat.core.LifeboatException;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A destination on a local (or mounted) directory, laid out for people to browse:
 * {@code <root>/<host>/<stack>/<point-id>/manifest.json} plus the artifacts. A point is staged in
 * {@code .partial-<point-id>} beside its final place and renamed into place after its manifest is
 * fsynced, so a crash leaves a partial directory that is never listed as a point.
 */
public final class LocalDirectory implements Destination {
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";
    private static final String PARTIAL = ".partial-";
    private static final String DELETING = ".deleting-";
    private final String name;
    private final Path root;

    public LocalDirectory(String name, Path root) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public PointWriter begin(String host, String stack, String pointId) throws IOException {
        Path hostDir = root.resolve(host);
        Path parent = hostDir.resolve(stack);
        boolean newHost = !Files.isDirectory(hostDir);
        boolean newStack = !Files.isDirectory(parent);
        Files.createDirectories(parent);
        // a new host or stack directory is an entry in its parent: durable only once the parent is synced
        if (newHost) {
            fsyncDirectory(root);
        }
        if (newStack) {
            fsyncDirectory(hostDir);
        }
        Path staging = parent.resolve(PARTIAL + pointId);
        Files.createDirectory(staging);
        return new Writer(host, stack, pointId, parent, staging);
    }

    @Override
    public List<StoredPoint> list(String host, String stack) throws IOException {
        List<StoredPoint> points = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return points;
        }
        for (Path h : children(root)) {
            if (host != null && !h.getFileName().toString().equals(host)) {
                continue;
            }
            for (Path s : children(h)) {
                if (stack != null && !s.getFileName().toString().equals(stack)) {
                    continue;
                }
                for (Path p : children(s)) {
                    String id = p.getFileName().toString();
                    Path manifest = p.resolve(MANIFEST);
                    if (id.startsWith(".") || !Files.isRegularFile(manifest)) {
                        continue;
                    }
                    points.add(new StoredPoint(h.getFileName().toString(), s.getFileName().toString(), id,
                            p.toString(), Files.getLastModifiedTime(manifest).toInstant()));
                }
            }
        }
        points.sort(Comparator.comparing(StoredPoint::id));
        return points;
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            ds.forEach(out::add);
        }
        return out;
    }

    @Override
    public InputStream open(StoredPoint point, String file) throws IOException {
        return Files.newInputStream(resolve(point, file));
    }

    @Override
    public byte[] read(StoredPoint point, String file) throws IOException {
        return Files.readAllBytes(resolve(point, file));
    }

    @Override
    public java.util.Optional<byte[]> readRoot(String file) throws IOException {
        Path p = root.resolve(file);
        return Files.exists(p) ? java.util.Optional.of(Files.readAllBytes(p)) : java.util.Optional.empty();
    }

    @Override
    public void writeRoot(String file, byte[] data) throws IOException {
        Files.createDirectories(root);
        Path tmp = root.resolve("." + file + ".tmp");
        Files.deleteIfExists(tmp);
        try (OutputStream out = durableFile(tmp)) {
            out.write(data);
        }
        Files.move(tmp, root.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(root);
    }

    @Override
    public void delete(StoredPoint point) throws IOException {
        Path dir = Path.of(point.location()).normalize();
        if (!dir.startsWith(root) || dir.equals(root)) {
            throw new LifeboatException("Refusing to delete " + dir + ": not a point of destination " + name);
        }
        Path doomed = dir.resolveSibling(DELETING + dir.getFileName());
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(dir.getParent());
        deleteTree(doomed);
    }

    @Override
    public List<Abandoned> sweepAbandoned(String host, String stack, Instant before, boolean dryRun) throws IOException {
        Path parent = root.resolve(host).resolve(stack);
        List<Abandoned> found = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return found;
        }
        for (Path p : children(parent)) {
            String n = p.getFileName().toString();
            if (!n.startsWith(PARTIAL) && !n.startsWith(DELETING)) {
                continue;
            }
            Instant changed;
            try (Stream<Path> walk = Files.walk(p)) {
                changed = walk.map(f -> {
                    try {
                        return Files.getLastModifiedTime(f).toInstant();
                    } catch (IOException e) {
                        return Instant.MAX; // vanishing under us: someone is at work, leave it
                    }
                }).max(Comparator.naturalOrder()).orElse(Instant.MAX);
            }
            if (changed.isBefore(before)) {
                found.add(new Abandoned(n, changed));
                if (!dryRun) {
                    deleteTree(p);
                }
            }
        }
        return found;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
        }
    }

    private Path resolve(StoredPoint point, String file) {
        Path dir = Path.of(point.location()).normalize();
        Path p = dir.resolve(file).normalize();
        if (!dir.startsWith(root) || !p.getParent().equals(dir)) {
            throw new LifeboatException("Refusing to read " + file + " outside the recovery point " + point.id());
        }
        return p;
    }

    /** Writes data to a file and forces it to disk on close. */
    static OutputStream durableFile(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private final class Writer implements PointWriter {
        private final String host;
        private final String stack;
        private final String pointId;
        private final Path parent;
        private final Path staging;
        private boolean committed;

        Writer(String host, String stack, String pointId, Path parent, Path staging) {
            this.host = host;
            this.stack = stack;
            this.pointId = pointId;
            this.parent = parent;
            this.staging = staging;
        }

        @Override
        public OutputStream create(String file) throws IOException {
            return durableFile(staging.resolve(PointWriter.checkArtifactName(file)));
        }

        @Override
        public StoredPoint commit(byte[] manifest, String signature) throws IOException {
            try (OutputStream out = durableFile(staging.resolve(SIGNATURE))) {
                out.write(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            Path tmp = staging.resolve(".manifest.tmp");
            try (OutputStream out = durableFile(tmp)) {
                out.write(manifest);
            }
            move(tmp, staging.resolve(MANIFEST));
            fsyncDirectory(staging);
            Path finalDir = parent.resolve(pointId);
            move(staging, finalDir);
            fsyncDirectory(parent);
            committed = true;
            return new StoredPoint(host, stack, pointId, finalDir.toString(),
                    Files.getLastModifiedTime(finalDir.resolve(MANIFEST)).toInstant());
        }

        private void move(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the destination " + root + " does not support atomic renames", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (committed || !Files.exists(staging)) {
                return;
            }
            deleteTree(staging);
        }
    }

}
