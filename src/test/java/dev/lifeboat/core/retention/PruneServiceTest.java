package dev.lifeboat.core.retention;

import dev.lifeboat.core.history.AuditEvent;
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
        try (HistoryStore history = HistoryStore.open(tmp.resolve("home"))) {
            history.destinations().add(Repository.initialiseLocal("disk", tmp.resolve("dest"), tmp.resolve("k")));
            for (String id : List.of("20260101T000000Z-aaaaaa", "20260102T000000Z-bbbbbb", "20260103T000000Z-cccccc")) {
                dev.lifeboat.core.storage.TestPoints.write(tmp.resolve("dest"), tmp.resolve("k"), "db1", "shop", id);
            }
            String restore = history.runs().start("restore", "db1", "shop", "20260101T000000Z-aaaaaa", "disk", "ada");
            PruneService prune = new PruneService(new dev.lifeboat.core.storage.Repositories(history, dev.lifeboat.core.secrets.Secrets.NONE, "tester"));
            RetentionPolicy keepNewestOnly = new RetentionPolicy(0, 0, 0, 0, 0);

            List<PruneService.Entry> result = prune.prune("db1", "shop", "disk", keepNewestOnly, ZoneOffset.UTC, false);

            PruneService.Entry oldest = result.stream().filter(e -> e.pointId().startsWith("20260101")).findFirst().orElseThrow();
            assertTrue(oldest.keep() && oldest.reasons().contains("in use"), oldest.toString());
            assertTrue(Files.exists(stack.resolve("20260101T000000Z-aaaaaa")));
            assertTrue(Files.notExists(stack.resolve("20260102T000000Z-bbbbbb")));

            AuditEvent audit = history.runs().auditEvents(1).get(0);
            assertEquals(List.of("tester", "prune"), List.of(audit.actor(), audit.action()), "the acting user is the one passed in");

            history.runs().finish(restore, "ok", null, null, List.of());
            prune.prune("db1", "shop", "disk", keepNewestOnly, ZoneOffset.UTC, false);
            try (var s = Files.list(stack)) {
                assertEquals(List.of("20260103T000000Z-cccccc"), s.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    private static void age(Path dir, java.time.Duration by) throws IOException {
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(by));
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    @Test
    void leftoversOfKilledRunsAreSweptOnceADayOldAndNeverWhileTheStackIsBusy() throws IOException {
        RepositoryKey.generate(tmp.resolve("k"));
        Path stack = tmp.resolve("dest/db1/shop");
        Path point = stack.resolve("20260103T000000Z-cccccc");
        Files.createDirectories(point);
        Files.writeString(point.resolve("manifest.json"), "{}");
        Path dead = stack.resolve(".partial-20260104T000000Z-dddddd");
        Path halfDeleted = stack.resolve(".deleting-20260101T000000Z-aaaaaa");
        Path slow = stack.resolve(".partial-20260105T000000Z-eeeeee");
        for (Path p : List.of(dead, halfDeleted, slow)) {
            Files.createDirectories(p);
            Files.writeString(p.resolve("postgres-shop.dump.lbe"), "x".repeat(1000));
        }
        age(point, java.time.Duration.ofDays(30));
        age(dead, java.time.Duration.ofDays(2));
        age(halfDeleted, java.time.Duration.ofDays(3));
        age(slow, java.time.Duration.ofDays(2));
        Files.setLastModifiedTime(slow.resolve("postgres-shop.dump.lbe"), java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        try (HistoryStore history = HistoryStore.open(tmp.resolve("home"))) {
            history.destinations().add(Repository.initialiseLocal("disk", tmp.resolve("dest"), tmp.resolve("k")));
            PruneService prune = new PruneService(new dev.lifeboat.core.storage.Repositories(history, dev.lifeboat.core.secrets.Secrets.NONE, "tester"));
            RetentionPolicy keepAll = RetentionPolicy.defaults();

            String backup = history.runs().start("backup", "db1", "shop", null, "disk", "t");
            assertTrue(history.locks().tryLock("db1", "shop", backup).isEmpty());
            dev.lifeboat.core.StackBusyException busy = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.lifeboat.core.StackBusyException.class,
                    () -> prune.prune("db1", "shop", "disk", keepAll, ZoneOffset.UTC, false));
            assertTrue(busy.getMessage().contains("nothing was deleted"), busy.getMessage());
            assertTrue(Files.exists(dead), "a running backup's stack is not swept");
            history.locks().unlock("db1", "shop", backup);

            List<PruneService.Entry> dry = prune.prune("db1", "shop", "disk", keepAll, ZoneOffset.UTC, true);
            assertEquals(List.of(halfDeleted.getFileName().toString(), dead.getFileName().toString()), dry.stream()
                    .filter(PruneService.Entry::leftover).map(PruneService.Entry::pointId).sorted().toList());
            assertTrue(Files.exists(dead) && Files.exists(halfDeleted), "a dry run removes nothing");

            List<PruneService.Entry> done = prune.prune("db1", "shop", "disk", keepAll, ZoneOffset.UTC, false);
            assertTrue(done.stream().filter(PruneService.Entry::leftover).allMatch(PruneService.Entry::deleted));
            assertTrue(Files.notExists(dead) && Files.notExists(halfDeleted));
            assertTrue(Files.exists(slow), "a staging directory still being written is kept");
            assertTrue(Files.exists(point.resolve("manifest.json")), "points are retention's business only");
        }
    }
}
