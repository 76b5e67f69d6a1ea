package dev.lifeboat.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * The few file operations that the staged-commit protocol of {@link StagedDirectory} needs, on a
 * local disk ({@link LocalTree}) or on a server over SFTP ({@link SftpTree}). Paths are absolute and
 * '/'-separated. Nothing here follows a symbolic link it meets: {@link #kind} and {@link #list} report
 * links as links, {@link #create} never writes through one, and deleting a link removes the link.
 */
public interface FileTree extends AutoCloseable {
    /** What a path is, without following a link there. */
    enum Kind { MISSING, DIRECTORY, FILE, LINK, OTHER }

    /** One entry of a directory: its name, kind and last modification. */
    record Entry(String name, Kind kind, Instant modified) {
    }

    /** The absolute path of the tree's root (the destination's directory). */
    String root();

    /** Human-readable location, for example a path or an sftp:// URL without its options. */
    String describe();

    Kind kind(String path) throws IOException;

    /** The entries of a directory, in no particular order. */
    List<Entry> list(String dir) throws IOException;

    /** Last modification of a path (not of what a link points at). */
    Instant modified(String path) throws IOException;

    /** Creates the directory and any missing parents (for the root: the admin's path). */
    void mkdirs(String dir) throws IOException;

    /** Creates one directory; fails if something is there already. */
    void mkdir(String dir) throws IOException;

    /**
     * A new file, created exclusively (fails if anything is at the path, a link included), whose
     * content is durable on the server's disk once the stream is closed.
     */
    OutputStream create(String file) throws IOException;

    /** As {@link #create}, for one of several writers working at once (over SFTP: a channel of its own). */
    default OutputStream createConcurrent(String file) throws IOException {
        return create(file);
    }

    InputStream open(String file) throws IOException;

    /** Renames atomically; the target must not exist. */
    void rename(String from, String to) throws IOException;

    /** Replaces {@code to} by {@code from} atomically where the server can (never a moment without either). */
    void replace(String from, String to) throws IOException;

    /** Deletes a file, a link (not its target) or an empty directory. */
    void delete(String path) throws IOException;

    /** Makes the entries of a directory (new names, renames) durable, where the file system lets a client do so. */
    void sync(String dir) throws IOException;

    /** Releases connections; a local tree holds none. */
    @Override
    default void close() {
    }
}
