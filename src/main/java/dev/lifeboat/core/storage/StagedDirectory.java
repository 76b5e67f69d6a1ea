package dev.lifeboat.core.storage;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.secrets.Secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A destination on a directory tree, local or over SFTP, laid out for people to browse:
 * {@code <root>/<host>/<stack>/<point-id>/manifest.json} plus the artifacts. One staged-commit protocol
 * for every such tree (ADR 18):
 * <ol>
 * <li>a point is written into {@code .partial-<id>} beside its final place, each artifact durable when
 *     its stream closes;</li>
 * <li>the signature, then the manifest (written as a temporary file and renamed) are made durable;</li>
 * <li>the directory is renamed into place and its parent synced: the point appears whole or not at all.</li>
 * </ol>
 * A point is listed only once its manifest is there, so a crash leaves at worst a hidden leftover that
 * {@link #sweepAbandoned} removes. A deleted point is first renamed away ({@code .deleting-<id>}), then
 * its files go. The root files (repository marker, deletion logs) are replaced atomically. A symbolic
 * link where a host or stack directory should be is refused, never written through.
 */
public final class StagedDirectory implements Destination {
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";
    private static final String PARTIAL = ".partial-";
    private static final String DELETING = ".deleting-";
    private final String name;
    private final FileTree tree;
    private final String root;

    public StagedDirectory(String name, FileTree tree) {
        this.name = name;
        this.tree = tree;
        this.root = tree.root();
    }

    /** A destination on a local (or mounted) directory. */
    public static StagedDirectory local(String name, Path root) {
        return new StagedDirectory(name, new LocalTree(root));
    }

    /** A destination on a server reached by SFTP ({@link SftpTree} gives the location syntax). */
    public static StagedDirectory sftp(String name, String location, String acceptHostKey, Secrets secrets) {
        return new StagedDirectory(name, new SftpTree(name, location, acceptHostKey, secrets));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return tree.describe();
    }

    @Override
    public void close() {
        tree.close();
    }

    private String path(String... segments) {
        StringBuilder b = new StringBuilder(root);
        for (String s : segments) {
            b.append('/').append(s);
        }
        return b.toString();
    }

    /** A host, stack or point name as one plain path segment: never a path, a hidden name or a way up. */
    static String segment(String what, String s) {
        if (s == null || s.isEmpty() || s.contains("/") || s.contains("\\") || s.startsWith(".") || s.indexOf('\0') >= 0) {
            throw new LifeboatException("Refusing " + what + " name '" + s + "' as a directory of a destination");
        }
        return s;
    }

    /**
     * Makes sure {@code dir} is a real directory, creating it if missing; true when it was created (here or
     * by a concurrent writer: two first backups of one host's stacks both create the host's directory).
     */
    private boolean directory(String dir) throws IOException {
        FileTree.Kind kind = tree.kind(dir);
        if (kind == FileTree.Kind.MISSING) {
            try {
                tree.mkdir(dir);
                return true;
            } catch (IOException e) {
                kind = tree.kind(dir); // made meanwhile: fine if it is a real directory, refused below if not
                if (kind == FileTree.Kind.DIRECTORY) {
                    return true;
                }
                if (kind == FileTree.Kind.MISSING) {
                    throw e;
                }
            }
        }
        if (kind != FileTree.Kind.DIRECTORY) {
            throw new LifeboatException("Destination " + name + ": " + dir + " is " + (kind == FileTree.Kind.LINK
                    ? "a symbolic link" : "not a directory") + "; refusing to write through it. Someone changed the"
                    + " destination's layout: check it, then move that entry away");
        }
        return false;
    }

    @Override
    public PointWriter begin(String host, String stack, String pointId) throws IOException {
        segment("host", host);
        segment("stack", stack);
        segment("point", pointId);
        if (tree.kind(root) == FileTree.Kind.MISSING) {
            tree.mkdirs(root);
        }
        directory(root);
        // a new host or stack directory is an entry in its parent: durable only once the parent is synced
        if (directory(path(host))) {
            tree.sync(root);
        }
        String parent = path(host, stack);
        if (directory(parent)) {
            tree.sync(path(host));
        }
        String staging = parent + "/" + PARTIAL + pointId;
        tree.mkdir(staging);
        return new Writer(host, stack, pointId, parent, staging);
    }

    @Override
    public List<StoredPoint> list(String host, String stack) throws IOException {
        List<StoredPoint> points = new ArrayList<>();
        if (tree.kind(root) != FileTree.Kind.DIRECTORY) {
            return points;
        }
        for (FileTree.Entry h : directories(root)) {
            if (host != null && !h.name().equals(host)) {
                continue;
            }
            for (FileTree.Entry s : directories(path(h.name()))) {
                if (stack != null && !s.name().equals(stack)) {
                    continue;
                }
                for (FileTree.Entry p : directories(path(h.name(), s.name()))) {
                    String dir = path(h.name(), s.name(), p.name());
                    if (p.name().startsWith(".") || tree.kind(dir + "/" + MANIFEST) != FileTree.Kind.FILE) {
                        continue;
                    }
                    points.add(new StoredPoint(h.name(), s.name(), p.name(), dir, tree.modified(dir + "/" + MANIFEST)));
                }
            }
        }
        points.sort(Comparator.comparing(StoredPoint::id));
        return points;
    }

    /** Real subdirectories only: a link is not followed into, whatever it points at. */
    private List<FileTree.Entry> directories(String dir) throws IOException {
        return tree.list(dir).stream().filter(e -> e.kind() == FileTree.Kind.DIRECTORY).toList();
    }

    @Override
    public InputStream open(StoredPoint point, String file) throws IOException {
        return tree.open(file(point, file));
    }

    @Override
    public byte[] read(StoredPoint point, String file) throws IOException {
        try (InputStream in = open(point, file)) {
            return in.readAllBytes();
        }
    }

    /** A file of a point, which must be a point of this tree; never a path out of it. */
    private String file(StoredPoint point, String file) {
        if (file.contains("/") || file.startsWith("..") || !isPointDirectory(point)) {
            throw new LifeboatException("Refusing to read " + file + " outside the recovery point " + point.id());
        }
        return point.location() + "/" + file;
    }

    private boolean isPointDirectory(StoredPoint point) {
        return point.locatedUnder(root + "/");
    }

    @Override
    public Optional<byte[]> readRoot(String file) throws IOException {
        segment("root file", file);
        String p = path(file);
        FileTree.Kind kind = tree.kind(p);
        if (kind == FileTree.Kind.MISSING) {
            return Optional.empty();
        }
        if (kind != FileTree.Kind.FILE) {
            throw new LifeboatException("Destination " + name + ": " + p + " is not a plain file; refusing to read it");
        }
        try (InputStream in = tree.open(p)) {
            return Optional.of(in.readAllBytes());
        }
    }

    @Override
    public void writeRoot(String file, byte[] data) throws IOException {
        segment("root file", file);
        if (tree.kind(root) == FileTree.Kind.MISSING) {
            tree.mkdirs(root);
        }
        String tmp = path("." + file + ".tmp");
        if (tree.kind(tmp) != FileTree.Kind.MISSING) {
            tree.delete(tmp); // a killed run's
        }
        try (OutputStream out = tree.create(tmp)) {
            out.write(data);
        }
        tree.replace(tmp, path(file)); // never a moment without the file, where the server can
        tree.sync(root);
    }

    @Override
    public void delete(StoredPoint point) throws IOException {
        if (!isPointDirectory(point)) {
            throw new LifeboatException("Refusing to delete " + point.location() + ": not a point of destination " + name);
        }
        String parent = path(point.host(), point.stack());
        String doomed = parent + "/" + DELETING + point.id();
        tree.rename(point.location(), doomed);
        tree.sync(parent);
        deleteTree(doomed);
    }

    @Override
    public List<Abandoned> sweepAbandoned(String host, String stack, Instant before, boolean dryRun) throws IOException {
        String parent = path(segment("host", host), segment("stack", stack));
        List<Abandoned> found = new ArrayList<>();
        if (tree.kind(parent) != FileTree.Kind.DIRECTORY) {
            return found;
        }
        for (FileTree.Entry e : tree.list(parent)) {
            if (!e.name().startsWith(PARTIAL) && !e.name().startsWith(DELETING)) {
                continue;
            }
            String p = parent + "/" + e.name();
            Instant changed = e.kind() == FileTree.Kind.DIRECTORY ? newest(p, e.modified()) : e.modified();
            if (changed.isBefore(before)) {
                found.add(new Abandoned(e.name(), changed));
                if (!dryRun) {
                    if (e.kind() == FileTree.Kind.DIRECTORY) {
                        deleteTree(p);
                    } else {
                        tree.delete(p); // a link or file planted under a leftover's name: removed, never followed
                    }
                }
            }
        }
        return found;
    }

    /** The latest modification in a tree, links counted by their own time and not followed. */
    private Instant newest(String dir, Instant own) throws IOException {
        Instant n = own;
        for (FileTree.Entry e : tree.list(dir)) {
            Instant t = e.kind() == FileTree.Kind.DIRECTORY ? newest(dir + "/" + e.name(), e.modified()) : e.modified();
            n = t.isAfter(n) ? t : n;
        }
        return n;
    }

    /** Deletes a directory and what it holds; links inside are removed as links. */
    private void deleteTree(String dir) throws IOException {
        for (FileTree.Entry e : tree.list(dir)) {
            String p = dir + "/" + e.name();
            if (e.kind() == FileTree.Kind.DIRECTORY) {
                deleteTree(p);
            } else {
                tree.delete(p);
            }
        }
        tree.delete(dir);
    }

    @Override
    public WalArchive wal(String host, String stack, String asset) {
        segment("host", host);
        segment("stack", stack);
        segment("asset", asset);
        String dir = path(host, stack, WAL_AREA, asset);
        return new WalArchive() {
            @Override
            public OutputStream create(String file) throws IOException {
                WalArchive.checkName(file);
                makeDirectories(host, stack, asset);
                String staged = dir + "/" + PARTIAL + file;
                if (tree.kind(staged) != FileTree.Kind.MISSING) {
                    tree.delete(staged); // a killed shipper's
                }
                OutputStream out = tree.create(staged);
                return new java.io.FilterOutputStream(out) {
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
                        super.close(); // durable when closed (the tree syncs the file)
                        tree.replace(staged, dir + "/" + file);
                        tree.sync(dir);
                    }
                };
            }

            @Override
            public List<String> list() throws IOException {
                if (tree.kind(dir) != FileTree.Kind.DIRECTORY) {
                    return List.of();
                }
                return tree.list(dir).stream().filter(e -> e.kind() == FileTree.Kind.FILE && !e.name().startsWith("."))
                        .map(FileTree.Entry::name).sorted().toList();
            }

            @Override
            public InputStream open(String file) throws IOException {
                String p = dir + "/" + WalArchive.checkName(file);
                if (tree.kind(p) != FileTree.Kind.FILE) {
                    throw new LifeboatException("Destination " + name + ": WAL file " + p + " is missing or not a plain file");
                }
                return tree.open(p);
            }

            @Override
            public void delete(String file) throws IOException {
                tree.delete(dir + "/" + WalArchive.checkName(file));
            }
        };
    }

    /** {@code HOST/STACK/wal/ASSET} as real directories, each new one made durable in its parent. */
    private void makeDirectories(String host, String stack, String asset) throws IOException {
        if (tree.kind(root) == FileTree.Kind.MISSING) {
            tree.mkdirs(root);
        }
        directory(root);
        String parent = root;
        for (String d : new String[] {host, stack, WAL_AREA, asset}) {
            String p = parent + "/" + d;
            if (directory(p)) {
                tree.sync(parent);
            }
            parent = p;
        }
    }

    private final class Writer implements PointWriter {
        private final String host;
        private final String stack;
        private final String pointId;
        private final String parent;
        private final String staging;
        private boolean committed;

        Writer(String host, String stack, String pointId, String parent, String staging) {
            this.host = host;
            this.stack = stack;
            this.pointId = pointId;
            this.parent = parent;
            this.staging = staging;
        }

        @Override
        public OutputStream create(String file) throws IOException {
            return tree.createConcurrent(staging + "/" + PointWriter.checkArtifactName(file));
        }

        @Override
        public StoredPoint commit(byte[] manifest, String signature) throws IOException {
            try (OutputStream out = tree.create(staging + "/" + SIGNATURE)) {
                out.write(signature.getBytes(StandardCharsets.US_ASCII));
            }
            String tmp = staging + "/.manifest.tmp";
            try (OutputStream out = tree.create(tmp)) {
                out.write(manifest);
            }
            tree.rename(tmp, staging + "/" + MANIFEST);
            tree.sync(staging);
            String finalDir = parent + "/" + pointId;
            tree.rename(staging, finalDir);
            tree.sync(parent);
            committed = true;
            return new StoredPoint(host, stack, pointId, finalDir, tree.modified(finalDir + "/" + MANIFEST));
        }

        @Override
        public void close() throws IOException {
            if (!committed && tree.kind(staging) == FileTree.Kind.DIRECTORY) {
                deleteTree(staging);
            }
        }
    }
}
