package dev.lifeboat.core.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The destination contract on a local directory, and the layout people browse. */
class LocalDestinationContractTest extends DestinationContract {
    @TempDir
    Path root;

    @Override
    protected Destination create() {
        return StagedDirectory.local("d", root.resolve("dest"));
    }

    @Override
    protected Optional<Path> localRoot() {
        return Optional.of(root.resolve("dest"));
    }

    @Test
    void commitPublishesThePointUnderABrowsableLayoutWithTheManifestLast() throws IOException {
        try (PointWriter w = destination.begin("host1", "shop", "20260101T000000Z-abc")) {
            try (OutputStream out = w.create("a.lbe")) {
                out.write("data".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(Files.isDirectory(root.resolve("dest/host1/shop/.partial-20260101T000000Z-abc")));
            w.commit("{}".getBytes(StandardCharsets.UTF_8), "sig");
        }
        Path dir = root.resolve("dest/host1/shop/20260101T000000Z-abc");
        assertEquals(dir.toString(), destination.list("host1", "shop").get(0).location());
        assertTrue(Files.exists(dir.resolve("manifest.json")));
        assertTrue(Files.exists(dir.resolve("manifest.sig")));
        assertEquals("data", Files.readString(dir.resolve("a.lbe")));
        assertFalse(Files.exists(root.resolve("dest/host1/shop/.partial-20260101T000000Z-abc")));
    }
}
