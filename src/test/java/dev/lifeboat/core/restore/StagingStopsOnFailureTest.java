package dev.lifeboat.core.restore;

import dev.lifeboat.core.MemoryHome;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.backup.BackupService;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.kinds.BuiltInKinds;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restore whose staging fails (a damaged artifact, say) stops the other kinds' staging at once instead of letting
 * them stream to their end, and what they had staged when stopped is removed, although their threads were
 * interrupted (I/O on an interrupted thread fails, as the in-memory engine's does like the real one's socket).
 */
class StagingStopsOnFailureTest {
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
    void aKindFailingToStageStopsAVolumeStillStreamingAndNothingStagedIsLeftInTheVolume() throws Exception {
        stoppedWhile("write lifeboat-helper-");
    }

    @Test
    void aVolumeStoppedJustAfterItsStagingDirectoryWasMadeRemovesIt() throws Exception {
        // the exec that made it ran, and the stop cut its connection: not "this volume cannot be staged"
        stoppedWhile("mkdir shop_uploads .lifeboat-new-");
    }

    /** A restore whose gamma kind fails to stage while the volume's staging is held at {@code step} until stopped. */
    private void stoppedWhile(String step) throws Exception {
        home = MemoryHome.under(tmp).app("shop-app", Map.of("lifeboat.gamma", "yes"),
                new MountSpec("volume", "shop_uploads", "/uploads", false));
        InMemoryEngine engine = home.engine;
        Repositories repositories = home.repositories;
        engine.putFile("shop-app", "/uploads/a.txt", "upload a\n");
        // gamma's staging fails once the volume's staged copy is being written (held until its thread is interrupted)
        GatedKind gamma = new GatedKind("gamma", 27, kind -> { }, ctx -> Set.of()).stagingFirstPasses(kind -> {
            if (!engine.holding().await(20, TimeUnit.SECONDS)) {
                throw new IOException("the volume was never staged");
            }
            throw new IOException("gamma's artifact is damaged");
        });
        AssetKinds kinds = BuiltInKinds.all().with(gamma);
        BackupService backups = new BackupService(repositories, h -> engine, kinds, "test");
        RestoreService restores = new RestoreService(repositories, h -> engine, kinds,
                new IntegrityVerifier(repositories, h -> engine, kinds), backups);
        String point = backups.backup("mem", "shop", "disk", "manual", Progress.NONE).id();
        engine.putFile("shop-app", "/uploads/b.txt", "written after the point\n");
        Set<String> containersBefore = engine.containerNames();

        engine.holdUntilInterrupted(step);
        Exception e = assertThrows(Exception.class, () -> restores.restore(point,
                new RestoreOptions(null, true, RestoreScope.ALL, null), Progress.NONE));

        assertTrue(e.getMessage().contains("gamma's artifact is damaged"), e.getMessage());
        assertTrue(engine.holdInterrupted(), "the volume's staging was stopped, not left to stream to its end");
        assertEquals(List.of("/a.txt", "/b.txt"), engine.volumeEntries("shop_uploads"),
                "what the stopped staging had made is removed, the live files untouched");
        assertEquals(containersBefore, engine.containerNames(), "no helper left behind");
        Throwable staging = e.getCause() == null ? e : e.getCause();
        assertTrue(List.of(staging.getSuppressed()).stream().anyMatch(x -> x.getMessage().contains("interrupted")),
                "what the stop did to the volume's staging is kept with the failure: " + List.of(staging.getSuppressed()));
        assertTrue(engine.running("shop-app"));
        assertFalse(engine.events().stream().anyMatch(x -> x.startsWith("stop shop-app")), engine.events().toString());
    }
}
