package dev.lifeboat.core.backup;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.RetentionPolicy;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.storage.Repositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lifeboat's own recovery: a fresh home brought back from a self-backup, with a real destination and its key. */
class SelfBackupTest {
    @TempDir
    Path tmp;

    private Path keyFile;
    private Path store;

    /** Home A as an admin's: a host, a destination, a plan, points, a drill. */
    private Path oldWorkstation() {
        Path home = tmp.resolve("old-home");
        keyFile = tmp.resolve("keys/nas.key");
        store = tmp.resolve("nas");
        RepositoryKey.generate(keyFile);
        try (AppContext app = new AppContext(home)) {
            app.repositories().register(new Repositories.Registration("nas", "local", store.toString(), keyFile.toString()),
                    "ada", null);
            app.history().hosts().add(new Host("db1", "unix:///var/run/docker.sock", true));
            app.history().plans().save(new BackupPlan("nightly", "db1", "shop", "nas", List.of(), RetentionPolicy.defaults(),
                    "0 2 * * *", BackupPlan.DEFAULT_VERIFY, true, BackupPlan.DEFAULT_PRUNE, "UTC", List.of()));
            for (int i = 1; i <= 3; i++) {
                app.history().points().record(new RecoveryPoint("p" + i, "db1", "shop", "nas",
                        Instant.parse("2026-11-2" + i + "T02:00:00Z"), "db1/shop/p" + i, i << 20, "scheduled"), "0".repeat(64));
            }
            OffsetDateTime at = OffsetDateTime.of(2026, 11, 24, 9, 0, 0, 0, ZoneOffset.UTC);
            app.history().proof().recordDrill(new DrillRecord("d1", "db1", "shop", "complete-failure", "sandbox", "ada", at, "p3",
                    at, 200_000L, 3_600_000L, 3_600_000L, 86_400_000L, true, "[]", "[]", "paper check", LocalDate.of(2026, 12, 24)));
        }
        return home;
    }

    private static List<String> points(AppContext app) {
        return app.history().points().of(null, null).stream().map(p -> p.id() + "@" + p.destination()).toList();
    }

    @Test
    void aFreshHomeComesBackWithTheHistoryHostsDestinationsPlansPointsAndDrillsAndTheKeyWhereItWas() throws Exception {
        Path old = oldWorkstation();
        List<String> before;
        try (AppContext app = new AppContext(old)) {
            before = points(app);
            SelfBackup.Written w = SelfBackup.backup(old, app.history(), app.repositories(), "nas", true, "test", "old-ws");
            assertEquals(List.of("history", "the key of nas"), w.contents());
            assertTrue(app.history().destinations().all().size() == 1);
        }
        // the old workstation is gone: only the destination and a copy of its key survive
        Path keyCopy = tmp.resolve("usb/nas.key");
        Files.createDirectories(keyCopy.getParent());
        Files.copy(keyFile, keyCopy);
        String key = Files.readString(keyFile);
        Files.delete(keyFile);

        Path fresh = tmp.resolve("new-home");
        SelfBackup.Staged staged;
        try (AppContext app = new AppContext(fresh)) {
            app.repositories().register(new Repositories.Registration("nas", "local", store.toString(), keyCopy.toString()),
                    "bob", null);
            staged = SelfBackup.stage(fresh, app.repositories(), "nas", null, null);
            assertEquals("old-ws", staged.machine());
            app.history().close();
            SelfBackup.Applied applied = SelfBackup.apply(fresh, staged);
            assertTrue(applied.restored().contains(keyFile.toString()), applied.toString());
            assertEquals(1, applied.setAside().size(), "the fresh home's own history is moved aside, not lost");
        }
        assertEquals(key, Files.readString(keyFile), "the key is back where the destination's record says");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        try (AppContext app = new AppContext(fresh)) {
            assertEquals(before, points(app));
            assertEquals(List.of("db1"), app.history().hosts().all().stream().map(Host::name).toList());
            assertTrue(app.history().hosts().all().get(0).production());
            assertEquals(List.of("nightly"), app.history().plans().all().stream().map(BackupPlan::name).toList());
            assertEquals("paper check", app.history().proof().drills("db1", "shop").get(0).notes());
            assertEquals(keyFile.toString(), app.history().destinations().require("nas").keyFile());
        }
    }

    @Test
    void aTamperedSelfBackupIsRefusedBeforeTheHomeChangesAndKeysNeverGoThroughALink() throws Exception {
        Path old = oldWorkstation();
        try (AppContext app = new AppContext(old)) {
            SelfBackup.backup(old, app.history(), app.repositories(), "nas", false, "test", "old-ws");
        }
        Path artifact;
        try (var walk = Files.walk(store)) {
            artifact = walk.filter(p -> p.getFileName().toString().startsWith("history.zip")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(artifact);
        b[b.length / 2] ^= 1;
        Files.write(artifact, b);
        Path fresh = tmp.resolve("new-home");
        try (AppContext app = new AppContext(fresh)) {
            app.repositories().register(new Repositories.Registration("nas", "local", store.toString(), keyFile.toString()),
                    "bob", null);
            assertThrows(IntegrityException.class, () -> SelfBackup.stage(fresh, app.repositories(), "nas", null, null));
            assertEquals(List.of(), points(app), "nothing of the home changed");
        }
        try (var left = Files.list(fresh.resolve("tmp"))) {
            assertEquals(0, left.count(), "nothing staged is left behind");
        }

        Path real = Files.createDirectories(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("keys-link"), real);
        assertFalse(SelfBackup.unsafe(link.resolve("nas.key")) == null, "a key is never written through a link");
        assertTrue(SelfBackup.unsafe(keyFile).contains("already"), "nor over a file that is there");
        assertEquals(null, SelfBackup.unsafe(tmp.resolve("keys/other.key")));
    }

    @Test
    void aHistoryZipWithAnEntryOutsideItsDirectoryIsRefusedAndTheHomeKeepsItsHistory() throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve("history"));
        Files.writeString(home.resolve("history/lifeboat.mv.db"), "the home's own history");
        Path staging = Files.createDirectories(tmp.resolve("staged"));
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(staging.resolve("history.zip.lbe")))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("lifeboat.mv.db"));
            zip.write(1);
            zip.putNextEntry(new java.util.zip.ZipEntry("../escaped.db"));
            zip.write(2);
        }
        var artifact = new dev.lifeboat.core.model.Artifact("history.zip.lbe", "history", null, 1, "x", 1, "x", "zstd", "aes");
        var staged = new SelfBackup.Staged("p1", "old-ws", Instant.now(), staging, List.of(artifact));
        assertThrows(IntegrityException.class, () -> SelfBackup.apply(home, staged));
        assertFalse(Files.exists(tmp.resolve("escaped.db")) || Files.exists(staging.resolve("escaped.db")), "nothing written outside");
        assertEquals("the home's own history", Files.readString(home.resolve("history/lifeboat.mv.db")), "the home is as it was");
    }

    @Test
    void theReservedHostNameCannotBeAHost() {
        assertThrows(dev.lifeboat.core.LifeboatException.class, () -> new Host(SelfBackup.HOST, "unix:///x", false));
    }
}
