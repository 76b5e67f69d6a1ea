package dev.lifeboat.core.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local tree that fails on cue, as a full disk, a dropped connection or a killed process does: the
 * next operation of a kind on a path ending in a given part throws, once. Writes can fail after a
 * number of bytes, mid-stream.
 */
final class FaultyTree implements FileTree {
    enum Op { CREATE, WRITE, RENAME, REPLACE, DELETE, SYNC, MKDIR }

    private final LocalTree local;
    private volatile Op failOp;
    private volatile String failPath;
    private volatile long failAfterBytes;
    private final AtomicInteger injected = new AtomicInteger();

    FaultyTree(Path root) {
        this.local = new LocalTree(root);
    }

    /** The next {@code op} on a path ending in {@code pathPart} fails (a WRITE after {@code afterBytes} bytes). */
    void failNext(Op op, String pathPart, long afterBytes) {
        failPath = pathPart;
        failAfterBytes = afterBytes;
        failOp = op;
    }

    private volatile String raceDir;
    private volatile Path raceLink;

    /**
     * The next mkdir of a path ending in {@code pathPart} finds it made a moment before by another writer:
     * a directory, or with {@code linkTo} a symbolic link to it (what an attacker would plant).
     */
    void madeFirstByAnother(String pathPart, Path linkTo) {
        raceLink = linkTo;
        raceDir = pathPart;
    }

    int injected() {
        return injected.get();
    }

    private void maybeFail(Op op, String path) throws IOException {
        if (failOp == op && path.endsWith(failPath)) {
            failOp = null;
            injected.incrementAndGet();
            throw new IOException("injected fault: " + op + " " + path);
        }
    }

    @Override
    public String root() {
        return local.root();
    }

    @Override
    public String describe() {
        return "faulty:" + local.describe();
    }

    @Override
    public Kind kind(String path) throws IOException {
        return local.kind(path);
    }

    @Override
    public List<Entry> list(String dir) throws IOException {
        return local.list(dir);
    }

    @Override
    public Instant modified(String path) throws IOException {
        return local.modified(path);
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        maybeFail(Op.MKDIR, dir);
        local.mkdirs(dir);
    }

    @Override
    public void mkdir(String dir) throws IOException {
        maybeFail(Op.MKDIR, dir);
        String race = raceDir;
        if (race != null && dir.endsWith(race)) {
            raceDir = null;
            if (raceLink == null) {
                local.mkdir(dir);
            } else {
                java.nio.file.Files.createSymbolicLink(Path.of(dir), raceLink);
            }
            throw new java.nio.file.FileAlreadyExistsException(dir);
        }
        local.mkdir(dir);
    }

    @Override
    public OutputStream create(String file) throws IOException {
        maybeFail(Op.CREATE, file);
        OutputStream out = local.create(file);
        if (failOp != Op.WRITE || !file.endsWith(failPath)) {
            return out;
        }
        failOp = null;
        long budget = failAfterBytes;
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > budget) {
                    injected.incrementAndGet();
                    throw new IOException("injected fault: write of " + file + " after " + written + " bytes");
                }
                out.write(b, off, len);
                written += len;
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }
        };
    }

    @Override
    public InputStream open(String file) throws IOException {
        return local.open(file);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        maybeFail(Op.RENAME, to);
        local.rename(from, to);
    }

    @Override
    public void replace(String from, String to) throws IOException {
        maybeFail(Op.REPLACE, to);
        local.replace(from, to);
    }

    @Override
    public void delete(String path) throws IOException {
        maybeFail(Op.DELETE, path);
        local.delete(path);
    }

    @Override
    public void sync(String dir) throws IOException {
        maybeFail(Op.SYNC, dir);
        local.sync(dir);
    }
}
