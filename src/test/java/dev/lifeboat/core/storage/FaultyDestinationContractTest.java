package dev.lifeboat.core.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The destination contract on a tree that fails on cue; then a fault at every step of the protocol:
 * a point is listed whole or not at all, and whatever a failure leaves is swept.
 */
class FaultyDestinationContractTest extends DestinationContract {
    @TempDir
    Path dir;
    private FaultyTree tree;

    @Override
    protected Destination create() {
        tree = new FaultyTree(dir.resolve("dest"));
        return new StagedDirectory("faulty", tree);
    }

    @Override
    protected Optional<Path> localRoot() {
        return Optional.of(dir.resolve("dest"));
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private void assertNothingListedAndSweptClean(String id) throws IOException {
        assertTrue(destination.list(null, null).isEmpty(), "a point listed after a failed commit");
        destination.sweepAbandoned("h", "s", Instant.now().plusSeconds(120), false);
        assertTrue(destination.sweepAbandoned("h", "s", Instant.now().plusSeconds(120), true).isEmpty());
        try (PointWriter w = destination.begin("h", "s", id)) { // and the id can be written again
            w.commit("{}".getBytes(StandardCharsets.UTF_8), "sig");
        }
        assertEquals(1, destination.list("h", "s").size());
    }

    @Test
    void twoFirstBackupsOfOneHostBothGetTheHostsDirectory() throws Exception {
        tree.madeFirstByAnother("/h", null); // another stack's first backup created it between the check and the mkdir
        try (PointWriter w = destination.begin("h", "s", "p1")) {
            w.commit("{}".getBytes(StandardCharsets.UTF_8), "sig");
        }
        assertEquals(1, destination.list("h", "s").size());
    }

    @Test
    void aLinkPlantedInPlaceOfANewDirectoryIsNotWrittenThrough() throws Exception {
        Path outside = java.nio.file.Files.createDirectories(dir.resolve("outside"));
        tree.madeFirstByAnother("/h", outside);
        dev.lifeboat.core.LifeboatException e = assertThrows(dev.lifeboat.core.LifeboatException.class,
                () -> destination.begin("h", "s", "p1"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        try (var listed = java.nio.file.Files.list(outside)) {
            assertEquals(0, listed.count(), "nothing written through the link");
        }
    }

    @Test
    void anArtifactWriteThatFailsMidStreamLeavesNoPoint() throws Exception {
        tree.failNext(FaultyTree.Op.WRITE, "a.lbe", 100_000);
        try (PointWriter w = destination.begin("h", "s", "p1")) {
            assertThrows(IOException.class, () -> {
                try (OutputStream out = w.create("a.lbe")) {
                    out.write(data(300_000));
                }
            });
        }
        assertEquals(1, tree.injected());
        assertNothingListedAndSweptClean("p1");
    }

    @Test
    void aCrashAtAnyStepBeforeThePublishingRenameNeverShowsAPoint() throws Exception {
        List<Object[]> steps = List.of(
                new Object[] {FaultyTree.Op.CREATE, StagedDirectory.SIGNATURE},
                new Object[] {FaultyTree.Op.CREATE, ".manifest.tmp"},
                new Object[] {FaultyTree.Op.RENAME, StagedDirectory.MANIFEST},
                new Object[] {FaultyTree.Op.SYNC, ".partial-"},
                new Object[] {FaultyTree.Op.RENAME, "s/"});
        int n = 0;
        for (Object[] step : steps) {
            String id = "p" + (++n);
            String part = (String) step[1];
            tree.failNext((FaultyTree.Op) step[0], part.endsWith("-") || part.endsWith("/") ? part + id : part, 0);
            PointWriter w = destination.begin("h", "s", id); // the process dies: the writer is never closed
            try (OutputStream out = w.create("a.lbe")) {
                out.write(data(50_000));
            }
            assertThrows(IOException.class, () -> w.commit("{}".getBytes(StandardCharsets.UTF_8), "sig"), step[0] + " " + step[1]);
            assertNothingListedAndSweptClean(id);
            destination.delete(destination.list("h", "s").get(0));
        }
        assertEquals(steps.size(), tree.injected());
    }

    @Test
    void aFailureAfterThePublishingRenameLeavesTheWholePoint() throws Exception {
        byte[] a = data(70_000);
        tree.failNext(FaultyTree.Op.SYNC, "/h/s", 0); // the parent's sync, after the rename
        try (PointWriter w = destination.begin("h", "s", "p1")) {
            try (OutputStream out = w.create("a.lbe")) {
                out.write(a);
            }
            assertThrows(IOException.class, () -> w.commit("{}".getBytes(StandardCharsets.UTF_8), "sig"));
        }
        List<Destination.StoredPoint> points = destination.list("h", "s");
        assertEquals(1, points.size(), "published whole");
        assertArrayEquals(a, destination.read(points.get(0), "a.lbe"));
    }

    @Test
    void aDeleteCutOffMidwayHidesThePointAndTheSweepFinishesIt() throws Exception {
        try (PointWriter w = destination.begin("h", "s", "p1")) {
            for (String f : List.of("a.lbe", "b.lbe")) {
                try (OutputStream out = w.create(f)) {
                    out.write(data(1000));
                }
            }
            w.commit("{}".getBytes(StandardCharsets.UTF_8), "sig");
        }
        tree.failNext(FaultyTree.Op.DELETE, "b.lbe", 0);
        assertThrows(IOException.class, () -> destination.delete(destination.list("h", "s").get(0)));
        assertTrue(destination.list(null, null).isEmpty(), "half deleted is not listed");
        assertEquals(1, destination.sweepAbandoned("h", "s", Instant.now().plusSeconds(120), false).size());
        assertTrue(destination.sweepAbandoned("h", "s", Instant.now().plusSeconds(120), true).isEmpty());
    }

    @Test
    void aRootFileWhoseReplaceFailsKeepsTheOldOneWhole() throws Exception {
        destination.writeRoot("marker.json", "old".getBytes(StandardCharsets.UTF_8));
        tree.failNext(FaultyTree.Op.REPLACE, "/marker.json", 0);
        assertThrows(IOException.class, () -> destination.writeRoot("marker.json", "new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("old", new String(destination.readRoot("marker.json").orElseThrow(), StandardCharsets.UTF_8));
        destination.writeRoot("marker.json", "new".getBytes(StandardCharsets.UTF_8)); // the temporary file left is no obstacle
        assertEquals("new", new String(destination.readRoot("marker.json").orElseThrow(), StandardCharsets.UTF_8));
    }
}
