package dev.lifeboat.core.pipeline;

import dev.lifeboat.core.LifeboatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryKeyTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedKeyIsReadableOnlyByItsOwnerAndLoadsBack() throws IOException {
        Path file = dir.resolve("repo.key");
        RepositoryKey k = RepositoryKey.generate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(k.id(), RepositoryKey.load(file).id());
    }

    @Test
    void generateNeverOverwritesAnExistingKey() {
        Path file = dir.resolve("repo.key");
        RepositoryKey.generate(file);
        LifeboatException e = assertThrows(LifeboatException.class, () -> RepositoryKey.generate(file));
        assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
    }

    @Test
    void aMissingKeyFileSaysHowToCreateOne() {
        LifeboatException e = assertThrows(LifeboatException.class, () -> RepositoryKey.load(dir.resolve("nope.key")));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("lifeboat key generate"), e.getMessage());
    }

    @Test
    void aDamagedKeyFileIsRefused() throws IOException {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "lifeboat-key-v1:c2hvcnQ=\n");
        LifeboatException e = assertThrows(LifeboatException.class, () -> RepositoryKey.load(file));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void toStringNeverShowsKeyMaterial() throws IOException {
        Path file = dir.resolve("repo.key");
        RepositoryKey k = RepositoryKey.generate(file);
        String secret = Files.readString(file).trim().substring("lifeboat-key-v1:".length());
        assertFalse(k.toString().contains(secret));
        assertTrue(k.toString().contains(k.id()));
    }
}
