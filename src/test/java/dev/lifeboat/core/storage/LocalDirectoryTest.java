package dev.lifeboat.core.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalDirectoryTest {
    @TempDir
    Path root;

    @Test
    void aPointWithoutManifestIsNeverListed() throws IOException {
        LocalDirectory d = new LocalDirectory("d", root);
        PointWriter w = d.begin("h", "s", "p1");
        try (OutputStream out = w.create("a.lbe")) {
            out.write(1);
        }
        // simulate a crash: the writer is never committed nor closed
        assertTrue(d.list(null, null).isEmpty());
        assertTrue(Files.exists(root.resolve("h/s/.partial-p1/a.lbe")));
    }

    @Test
    void commitPublishesThePointUnderABrowsableLayoutWithTheManifestLast() throws IOException {
        LocalDirectory d = new LocalDirectory("d", root);
        try (PointWriter w = d.begin("host1", "shop", "20260101T000000Z-abc")) {
            try (OutputStream out = w.create("a.lbe")) {
                out.write("data".getBytes(StandardCharsets.UTF_8));
            }
            w.commit("{}".getBytes(StandardCharsets.UTF_8), "sig");
        }
        var points = d.list("host1", "shop");
        assertEquals(1, points.size());
        Path dir = root.resolve("host1/shop/20260101T000000Z-abc");
        assertEquals(dir.toString(), points.get(0).location());
        assertTrue(Files.exists(dir.resolve("manifest.json")));
        assertTrue(Files.exists(dir.resolve("manifest.sig")));
        assertFalse(Files.exists(root.resolve("host1/shop/.partial-20260101T000000Z-abc")));
    }

    @Test
    void closingWithoutCommitDiscardsTheStagedArtifacts() throws IOException {
        LocalDirectory d = new LocalDirectory("d", root);
        try (PointWriter w = d.begin("h", "s", "p2")) {
            try (OutputStream out = w.create("a.lbe")) {
                out.write(1);
            }
        }
        assertFalse(Files.exists(root.resolve("h/s/.partial-p2")));
        assertTrue(d.list(null, null).isEmpty());
    }
}
