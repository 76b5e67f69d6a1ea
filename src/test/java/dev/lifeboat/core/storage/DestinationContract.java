package dev.lifeboat.core.storage;

import dev.lifeboat.core.LifeboatException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every destination promises, run against each of them (local, SFTP, S3, and a fault-injecting
 * one): a point is listed only once committed, whole; a run that dies leaves nothing listed and a
 * leftover that a sweep removes only once it has gone quiet; delete removes a point and nothing else;
 * root files are replaced whole; names are plain segments and reads stay inside a point. Where the
 * destination is a directory tree on this machine, links planted in it are never followed.
 */
/* Test methods are public: the suite runs from subclasses in other packages (the integration tests). */
public abstract class DestinationContract {
    private static final String HOST = "host1";
    private static final String STACK = "shop";
    protected Destination destination;

    /** A new, empty destination for one test. */
    protected abstract Destination create() throws Exception;

    /** Where the destination's root lies on this machine's disk, if it is a directory tree here (local, SFTP on loopback). */
    protected Optional<Path> localRoot() {
        return Optional.empty();
    }

    @BeforeEach
    public void open() throws Exception {
        destination = create();
    }

    @AfterEach
    public void release() {
        if (destination != null) {
            destination.close();
        }
    }

    private static String id(int n) {
        return "20261101T0000" + String.format("%02d", n) + "Z-" + "abcd" + n;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Destination.StoredPoint commit(String host, String stack, String id, byte[]... artifacts) throws Exception {
        try (PointWriter w = destination.begin(host, stack, id)) {
            for (int i = 0; i < artifacts.length; i++) {
                try (OutputStream out = w.create("a" + i + ".lbe")) {
                    out.write(artifacts[i]);
                }
            }
            return w.commit(("{\"pointId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), "signature-of-" + id);
        }
    }

    @Test
    public void aCommittedPointIsListedWithItsIdentityAndEveryArtifactReadsBackExactly() throws Exception {
        Instant start = Instant.now().minusSeconds(2);
        List<byte[]> data = List.of(bytes(3 * 1024 * 1024 + 17, 1), bytes(100_000, 2), new byte[0], bytes(1, 4));
        Destination.StoredPoint committed;
        ExecutorService pool = Executors.newFixedThreadPool(data.size());
        try (PointWriter w = destination.begin(HOST, STACK, id(1))) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) { // the assets of a point are written at once
                int n = i;
                writes.add(pool.submit(() -> {
                    try (OutputStream out = w.create("a" + n + ".lbe")) {
                        byte[] d = data.get(n);
                        for (int off = 0; off < d.length; off += 65_536) {
                            out.write(d, off, Math.min(65_536, d.length - off));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get();
            }
            committed = w.commit("{\"m\":1}".getBytes(StandardCharsets.UTF_8), "sig");
        } finally {
            pool.shutdown();
        }
        List<Destination.StoredPoint> points = destination.list(HOST, STACK);
        assertEquals(1, points.size(), points.toString());
        Destination.StoredPoint p = points.get(0);
        assertEquals(List.of(HOST, STACK, id(1), committed.location()), List.of(p.host(), p.stack(), p.id(), p.location()));
        assertFalse(p.committedAt().isBefore(start) || p.committedAt().isAfter(Instant.now().plusSeconds(2)), p.toString());
        for (int i = 0; i < data.size(); i++) {
            assertArrayEquals(data.get(i), destination.read(p, "a" + i + ".lbe"), "artifact " + i);
            try (InputStream in = destination.open(p, "a" + i + ".lbe")) {
                assertArrayEquals(data.get(i), in.readAllBytes(), "artifact " + i + " streamed");
            }
        }
        assertArrayEquals("{\"m\":1}".getBytes(StandardCharsets.UTF_8), destination.read(p, StagedDirectory.MANIFEST));
        assertEquals("sig", new String(destination.read(p, StagedDirectory.SIGNATURE), StandardCharsets.US_ASCII).trim());
        assertEquals(1, destination.list(null, null).size());
        assertTrue(destination.list("other", null).isEmpty());
        assertTrue(destination.list(HOST, "other").isEmpty());
    }

    @Test
    public void aPointIsInvisibleUntilCommittedAndClosingWithoutCommitLeavesNothing() throws Exception {
        try (PointWriter w = destination.begin(HOST, STACK, id(2))) {
            try (OutputStream out = w.create("a.lbe")) {
                out.write(bytes(10_000, 5));
            }
            assertTrue(destination.list(null, null).isEmpty(), "listed before its commit");
        }
        assertTrue(destination.list(null, null).isEmpty());
        assertTrue(destination.sweepAbandoned(HOST, STACK, Instant.now().plusSeconds(120), true).isEmpty(),
                "a discarded point leaves no leftover");
    }

    @Test
    public void aKilledRunLeavesNothingListedAndItsLeftoverIsSweptOnlyOnceQuiet() throws Exception {
        PointWriter w = destination.begin(HOST, STACK, id(3)); // the run dies: never committed nor closed
        try (OutputStream out = w.create("a.lbe")) {
            out.write(bytes(50_000, 6));
        }
        assertTrue(destination.list(null, null).isEmpty());
        assertTrue(destination.sweepAbandoned(HOST, STACK, Instant.now().minusSeconds(3600), false).isEmpty(),
                "work that changed after the cut-off is never swept: a backup may still be writing it");
        List<Destination.Abandoned> dry = destination.sweepAbandoned(HOST, STACK, Instant.now().plusSeconds(120), true);
        assertEquals(1, dry.size(), dry.toString());
        assertTrue(dry.get(0).name().contains(id(3)), dry.toString());
        assertEquals(1, destination.sweepAbandoned(HOST, STACK, Instant.now().plusSeconds(120), false).size());
        assertTrue(destination.sweepAbandoned(HOST, STACK, Instant.now().plusSeconds(120), true).isEmpty(), "swept");
        commit(HOST, STACK, id(3), bytes(10, 7)); // the id is free again
        assertEquals(1, destination.list(HOST, STACK).size());
    }

    @Test
    public void deleteRemovesThePointAndItsFilesAndNothingElse() throws Exception {
        Destination.StoredPoint doomed = commit(HOST, STACK, id(4), bytes(70_000, 8), bytes(10, 9));
        commit(HOST, STACK, id(5), bytes(10, 10));
        commit(HOST, "other", id(4), bytes(10, 11));
        destination.delete(destination.list(HOST, STACK).get(0));
        assertEquals(List.of(id(5)), destination.list(HOST, STACK).stream().map(Destination.StoredPoint::id).toList());
        assertEquals(1, destination.list(HOST, "other").size());
        assertThrows(IOException.class, () -> destination.read(doomed, "a0.lbe"));
        assertTrue(destination.sweepAbandoned(HOST, STACK, Instant.now().plusSeconds(120), true).isEmpty(),
                "a completed delete leaves nothing behind");
    }

    @Test
    public void rootFilesAreReplacedWholeAndAMissingOneIsEmpty() throws Exception {
        assertTrue(destination.readRoot("marker.json").isEmpty());
        destination.writeRoot("marker.json", "first".getBytes(StandardCharsets.UTF_8));
        assertEquals("first", new String(destination.readRoot("marker.json").orElseThrow(), StandardCharsets.UTF_8));
        byte[] second = bytes(40_000, 12);
        destination.writeRoot("marker.json", second);
        assertArrayEquals(second, destination.readRoot("marker.json").orElseThrow());
        assertTrue(destination.list(null, null).isEmpty(), "root files are not points");
    }

    @Test
    public void namesThatAreNotPlainPathSegmentsAreRefused() throws Exception {
        for (String[] bad : List.of(new String[] {"..", STACK, id(6)}, new String[] {HOST, "a/b", id(6)},
                new String[] {HOST, STACK, ".partial-x"}, new String[] {HOST, STACK, "../escape"}, new String[] {"", STACK, id(6)})) {
            assertThrows(LifeboatException.class, () -> destination.begin(bad[0], bad[1], bad[2]).close(), String.join("|", bad));
        }
        try (PointWriter w = destination.begin(HOST, STACK, id(6))) {
            for (String file : List.of("../x", ".hidden", StagedDirectory.MANIFEST, StagedDirectory.SIGNATURE, "a/b")) {
                assertThrows(IllegalArgumentException.class, () -> w.create(file), file);
            }
        }
        assertTrue(destination.list(null, null).isEmpty());
    }

    @Test
    public void readsStayInsideThePoint() throws Exception {
        Destination.StoredPoint p = commit(HOST, STACK, id(7), bytes(10, 13));
        commit(HOST, STACK, id(8), bytes(10, 14));
        assertThrows(LifeboatException.class, () -> destination.read(p, "../" + id(8) + "/a0.lbe"));
        assertThrows(LifeboatException.class, () -> destination.read(p, ".."));
        Destination.StoredPoint forged = new Destination.StoredPoint(HOST, STACK, id(7), p.location() + "/../" + id(8), p.committedAt());
        assertThrows(LifeboatException.class, () -> destination.read(forged, "a0.lbe"), "a location that is not the point's own");
    }

    // ---- the WAL area (ADR 24) ----

    private static final String SEGMENT = "000000010000000000000003.lbe";

    @Test
    public void walFilesAreWrittenWholeListedReadAndDeletedBesideThePointsWhichStayAsTheyWere() throws Exception {
        commit(HOST, STACK, id(13), bytes(10, 20));
        Destination.WalArchive wal = destination.wal(HOST, STACK, "db");
        assertEquals(List.of(), wal.list());
        byte[] segment = bytes(2 * 1024 * 1024 + 3, 21);
        try (OutputStream out = wal.create(SEGMENT)) {
            out.write(segment, 0, 1000);
            assertEquals(List.of(), wal.list(), "a WAL file is not there until it is whole");
            out.write(segment, 1000, segment.length - 1000);
        }
        try (OutputStream out = wal.create("00000002.history.lbe")) {
            out.write(bytes(40, 22));
        }
        assertEquals(List.of(SEGMENT, "00000002.history.lbe").stream().sorted().toList(), wal.list());
        try (InputStream in = wal.open(SEGMENT)) {
            assertArrayEquals(segment, in.readAllBytes());
        }
        try (OutputStream out = wal.create(SEGMENT)) { // shipped again after a crash: the same name, replaced
            out.write(segment);
        }
        assertEquals(2, wal.list().size());
        assertEquals(List.of(), destination.wal(HOST, STACK, "other").list(), "each asset has its own archive");
        assertEquals(List.of(id(13)), destination.list(HOST, STACK).stream().map(Destination.StoredPoint::id).toList(),
                "the WAL area is no point");
        assertTrue(destination.sweepAbandoned(HOST, STACK, Instant.now().plusSeconds(120), false).isEmpty(),
                "nor is it a leftover");
        wal.delete(SEGMENT);
        assertEquals(List.of("00000002.history.lbe"), wal.list());
    }

    @Test
    public void walNamesThatAreNotSegmentsOrHistoriesAreRefused() throws Exception {
        Destination.WalArchive wal = destination.wal(HOST, STACK, "db");
        for (String bad : List.of("../x.lbe", "manifest.json", ".partial-" + SEGMENT, "00000001000000000000000G.lbe", "")) {
            assertThrows(LifeboatException.class, () -> wal.create(bad), bad);
            assertThrows(LifeboatException.class, () -> wal.open(bad), bad);
        }
        assertThrows(LifeboatException.class, () -> destination.wal(HOST, STACK, "../db"));
        assertThrows(LifeboatException.class, () -> destination.wal(HOST, STACK, ".hidden"));
    }

    // ---- directory trees on this machine: links planted at the destination are never followed ----

    @Test
    public void aLinkWhereTheWalDirectoryShouldBeIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(localRoot().isPresent(), "an object store has no directories or links");
        Path root = localRoot().get();
        Path elsewhere = Files.createTempDirectory("lb-contract-wal-elsewhere-");
        try {
            commit(HOST, STACK, id(14), bytes(1, 23)); // the stack directory exists
            Files.createSymbolicLink(root.resolve(HOST).resolve(STACK).resolve(Destination.WAL_AREA), elsewhere);
            LifeboatException e = assertThrows(LifeboatException.class,
                    () -> destination.wal(HOST, STACK, "db").create(SEGMENT).close());
            assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
            try (var in = Files.list(elsewhere)) {
                assertEquals(0, in.count(), "nothing written through the link");
            }
        } finally {
            Files.deleteIfExists(root.resolve(HOST).resolve(STACK).resolve(Destination.WAL_AREA));
            deleteTree(elsewhere);
        }
    }

    @Test
    public void aLinkWhereTheStackDirectoryShouldBeIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(localRoot().isPresent(), "an object store has no directories or links");
        Path root = localRoot().get();
        Path elsewhere = Files.createTempDirectory("lb-contract-elsewhere-");
        try {
            commit(HOST, "seed", id(9), bytes(1, 15)); // the host directory exists
            Files.createSymbolicLink(root.resolve(HOST).resolve(STACK), elsewhere);
            LifeboatException e = assertThrows(LifeboatException.class, () -> destination.begin(HOST, STACK, id(9)));
            assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
            try (var in = Files.list(elsewhere)) {
                assertEquals(0, in.count(), "nothing written through the link");
            }
        } finally {
            Files.deleteIfExists(root.resolve(HOST).resolve(STACK));
            deleteTree(elsewhere);
        }
    }

    @Test
    public void linksPlantedAsPointsOrLeftoversAreNeitherListedNorFollowedButRemoved() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(localRoot().isPresent(), "an object store has no directories or links");
        Path root = localRoot().get();
        commit(HOST, STACK, id(10), bytes(1, 16));
        Path victim = Files.createTempDirectory("lb-contract-victim-");
        try {
            Files.writeString(victim.resolve(StagedDirectory.MANIFEST), "{}");
            Files.writeString(victim.resolve("precious"), "keep me");
            Path stackDir = root.resolve(HOST).resolve(STACK);
            Files.createSymbolicLink(stackDir.resolve(id(11)), victim);
            Files.createSymbolicLink(stackDir.resolve(".deleting-" + id(12)), victim);
            assertEquals(List.of(id(10)), destination.list(HOST, STACK).stream().map(Destination.StoredPoint::id).toList());
            List<Destination.Abandoned> swept = destination.sweepAbandoned(HOST, STACK, Instant.now().plusSeconds(120), false);
            assertEquals(1, swept.size(), swept.toString());
            assertFalse(Files.exists(stackDir.resolve(".deleting-" + id(12)), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertEquals("keep me", Files.readString(victim.resolve("precious")), "the link's target is untouched");
        } finally {
            deleteTree(victim);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
