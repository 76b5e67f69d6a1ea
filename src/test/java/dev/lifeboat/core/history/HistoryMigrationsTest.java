package dev.lifeboat.core.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening a current history skips Flyway; the version that decides it is the newest migration file. */
class HistoryMigrationsTest {
    @TempDir
    Path home;

    @Test
    void theNewestMigrationIsTheOneAnOpenChecksFor() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration/h2"))) {
            int newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            assertEquals(newest, HistoryStore.LATEST_H2_MIGRATION);
        }
    }

    @Test
    void aHistoryIsCurrentOnlyOnceEveryMigrationHasRunWithoutFailure() throws Exception {
        String url = "jdbc:h2:file:" + home.resolve("probe") + ";AUTO_SERVER=TRUE";
        try (var c = DriverManager.getConnection(url, "sa", "")) {
            assertFalse(HistoryStore.current(c), "no schema yet");
        }
        HistoryStore.open(home).close();
        String history = "jdbc:h2:file:" + home.resolve("history/lifeboat") + ";AUTO_SERVER=TRUE";
        try (var c = DriverManager.getConnection(history, "sa", "")) {
            assertTrue(HistoryStore.current(c));
            c.createStatement().execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '15'");
            assertFalse(HistoryStore.current(c), "a failed migration sends the open through Flyway, which reports it");
        }
    }
}
