package dev.lifeboat.core.backup;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.kinds.BuiltInKinds;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.secrets.MasterPassword;
import dev.lifeboat.core.secrets.SecretStore;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.it.notekind.NoteKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backup whose asset fails ends at that failure: the assets still running are cancelled, not awaited to their end. */
class BackupFailsFastTest {
    @TempDir
    Path tmp;
    private HistoryStore history;

    @AfterEach
    void close() {
        if (history != null) {
            history.close();
        }
    }

    @Test
    void theFirstFailedAssetEndsTheBackupAndTheOthersAreCancelled() throws Exception {
        InMemoryEngine engine = new InMemoryEngine("mem").image("shop/app:1", "sha256:app1");
        Path config = Files.createDirectories(tmp.resolve("stacks/shop"));
        Files.writeString(config.resolve("compose.yaml"), "services: {app: {image: shop/app:1}}\n");
        engine.run(new ContainerSpec("shop-app", "shop/app:1", "sha256:app1", List.of("serve"), List.of(), List.of(),
                Map.of(StackDiscovery.PROJECT, "shop", StackDiscovery.WORKING_DIR, config.toString(), NoteKind.LABEL,
                        "/srv/note.txt"), null, null, null, "no", List.of(new MountSpec("volume", "shop_uploads", "/uploads", false)),
                null, true));
        engine.putFile("shop-app", "/srv/note.txt", "a note\n");
        engine.putFile("shop-app", "/uploads/a.txt", "upload a\n");
        Path home = tmp.resolve("home");
        history = HistoryStore.open(home);
        history.hosts().add(engine.host());
        Repositories repositories = new Repositories(history, new SecretStore(home, MasterPassword.standard(null)), "tester");
        Path key = tmp.resolve("repo.key");
        RepositoryKey.generate(key);
        repositories.register(new Repositories.Registration("disk", "local", tmp.resolve("backups").toString(), key.toString()),
                "tester", null);
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
