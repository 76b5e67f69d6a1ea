package dev.lifeboat.core.backup;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.MemoryHome;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.kinds.BuiltInKinds;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.it.notekind.NoteKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backup whose asset fails ends at that failure: the assets still running are cancelled, not awaited to their end. */
class BackupFailsFastTest {
    @TempDir
    Path tmp;
    private MemoryHome home;

    @AfterEach
    void close() {
        if (home != null) {
            home.close();
        }
    }

    @Test
    void theFirstFailedAssetEndsTheBackupAndTheOthersAreCancelled() throws Exception {
        home = MemoryHome.under(tmp).app("shop-app", Map.of(NoteKind.LABEL, "/srv/note.txt"),
                new MountSpec("volume", "shop_uploads", "/uploads", false));
        InMemoryEngine engine = home.engine;
        Repositories repositories = home.repositories;
        engine.putFile("shop-app", "/srv/note.txt", "a note\n");
        engine.putFile("shop-app", "/uploads/a.txt", "upload a\n");
        BackupService backups = new BackupService(repositories, h -> engine, BuiltInKinds.all().with(new NoteKind()), "test");

        // the volume's copy hangs (a destination or a host that stopped answering) until it is interrupted; the
        // note's read fails at once
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch volumeHeld = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        engine.reads((container, path) -> {
            if (path.equals("/srv/note.txt")) {
                try {
                    volumeHeld.await(); // the volume's copy is under way when the note fails
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new HostException("Host mem: cannot read /srv/note.txt: injected failure");
            }
            if (path.contains("shop_uploads") || path.startsWith("/uploads")) {
                volumeHeld.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw new HostException("interrupted");
                }
            }
        });
        LifeboatException failed = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(LifeboatException.class,
                () -> backups.backup("mem", "shop", "disk", "manual", Progress.NONE)));
        assertTrue(failed.getMessage().contains("/srv/note.txt"), "the failure that ended it: " + failed.getMessage());
        assertTrue(interrupted.get(), "the volume's copy was cancelled, not awaited");
    }
}
