package dev.lifeboat.core.retention;

import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.RetentionPolicy;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.storage.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruneServiceTest {
    @TempDir
    Path tmp;

    @Test
    void neverDeletesAPointThatARunningVerifyOrRestoreIsReading() throws IOException {
        RepositoryKey.generate(tmp.resolve("k"));
        Path stack = tmp.resolve("dest/db1/shop");
        for (String id : List.of("20260101T000000Z-aaaaaa", "20260102T000000Z-bbbbbb", "20260103T000000Z-cccccc")) {
            Files.createDirectories(stack.resolve(id));
            Files.writeString(stack.resolve(id).resolve("manifest.json"), "{}");
        }
        try (HistoryStore history = HistoryStore.open(tmp.resolve("home"))) {
            history.addDestination(Repository.initialiseLocal("disk", tmp.resolve("dest"), tmp.resolve("k")));
            String restore = history.startRun("restore", "db1", "shop", "20260101T000000Z-aaaaaa", "disk", "ada");
            PruneService prune = new PruneService(new dev.lifeboat.core.storage.Repositories(history, dev.lifeboat.core.secrets.Secrets.NONE));
            RetentionPolicy keepNewestOnly = new RetentionPolicy(0, 0, 0, 0, 0);

            List<PruneService.Entry> result = prune.prune("db1", "shop", "disk", keepNewestOnly, ZoneOffset.UTC, false);

            PruneService.Entry oldest = result.stream().filter(e -> e.pointId().startsWith("20260101")).findFirst().orElseThrow();
            assertTrue(oldest.keep() && oldest.reasons().contains("in use"), oldest.toString());
            assertTrue(Files.exists(stack.resolve("20260101T000000Z-aaaaaa")));
            assertTrue(Files.notExists(stack.resolve("20260102T000000Z-bbbbbb")));

            history.finishRun(restore, "ok", null, null, List.of());
            prune.prune("db1", "shop", "disk", keepNewestOnly, ZoneOffset.UTC, false);
            try (var s = Files.list(stack)) {
                assertEquals(List.of("20260103T000000Z-cccccc"), s.map(p -> p.getFileName().toString()).toList());
            }
        }
    }
}
