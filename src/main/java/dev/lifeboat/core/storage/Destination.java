package dev.lifeboat.core.storage;

import java.io.OutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * Where recovery points are kept. A destination lists only complete points: those whose manifest
 * was written. Artifacts of an unfinished point are never visible as a backup.
 */
public sealed interface Destination extends AutoCloseable permits StagedDirectory, S3Bucket {
    String name();

    /** Releases connections (SSH, HTTP); a local directory holds none. */
    @Override
    default void close() {
    }

    /** Human-readable location, for example a directory path or an s3:// URL. */
    String describe();

    PointWriter begin(String host, String stack, String pointId) throws IOException;

    /** Complete points, oldest first; {@code host} and {@code stack} may be null to list all. */
    List<StoredPoint> list(String host, String stack) throws IOException;

    InputStream open(StoredPoint point, String file) throws IOException;

    byte[] read(StoredPoint point, String file) throws IOException;

    /** A small file at the destination's root (the repository marker), if present. */
    java.util.Optional<byte[]> readRoot(String name) throws IOException;

    /** Writes a small file at the destination's root, atomically. */
    void writeRoot(String name, byte[] data) throws IOException;

    /** Deletes a point: first it stops being listed (atomically), then its files go. */
    void delete(StoredPoint point) throws IOException;

    /**
     * What killed runs left under {@code host/stack}: a point being staged whose run died (no manifest,
     * so never listed), or a point half deleted. Only leftovers in which nothing changed since
     * {@code before} are listed, so a backup still writing is never touched; they are removed unless
     * {@code dryRun}.
     */
    List<Abandoned> sweepAbandoned(String host, String stack, Instant before, boolean dryRun) throws IOException;

    /** The directory (or key prefix) of a stack that holds its WAL archives, beside its points (ADR 24). */
    String WAL_AREA = "wal";

    /**
     * The WAL archive of one PostgreSQL asset of a stack: {@code HOST/STACK/wal/ASSET/}, one file per
     * segment (or timeline history), each written whole or not at all.
     */
    WalArchive wal(String host, String stack, String asset) throws IOException;

    /** Files of a WAL archive: created whole or not at all, listed by name, read and deleted. */
    interface WalArchive {
        /** A new file (or a new version of one); it exists, durably, once the stream is closed. */
        OutputStream create(String file) throws IOException;

        /** The files held, by name. */
        List<String> list() throws IOException;

        InputStream open(String file) throws IOException;

        void delete(String file) throws IOException;

        /**
         * A WAL file's name as a plain name: a segment (24 hex digits) or a timeline's history file, with
         * Lifeboat's suffix. Anything else (a path, a hidden name) is refused.
         */
        static String checkName(String file) {
            if (file == null || !file.matches("([0-9A-F]{24}|[0-9A-F]{8}\\.history)\\.lbe")) {
                throw new dev.lifeboat.core.LifeboatException("Refusing '" + file + "' as the name of a WAL file");
            }
            return file;
        }
    }

    /** A leftover of a killed run: its name at the destination and when it last changed. */
    record Abandoned(String name, Instant lastModified) {
    }

    /** A point as a destination holds it: where it is and when its manifest was committed. */
    record StoredPoint(String host, String stack, String id, String location, Instant committedAt) {
        /** When the point was taken: from its id (set at the start of the backup), else from its commit time. */
        public Instant takenAt() {
            return dev.lifeboat.core.model.PointIds.startedAt(id).orElse(committedAt);
        }

        /**
         * Whether this point's location is its own place under {@code base}: base, then host, stack and id,
         * each a plain path segment. A location that is anything else (a path out of it) is not.
         */
        public boolean locatedUnder(String base) {
            try {
                return location.equals(base + StagedDirectory.segment("host", host) + "/"
                        + StagedDirectory.segment("stack", stack) + "/" + StagedDirectory.segment("point", id));
            } catch (dev.lifeboat.core.LifeboatException e) {
                return false;
            }
        }
    }
}
