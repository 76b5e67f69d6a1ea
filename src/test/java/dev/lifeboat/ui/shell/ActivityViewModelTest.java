package dev.lifeboat.ui.shell;

import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.ui.common.Background;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activity log's view model, with its work inline: no FX toolkit. */
class ActivityViewModelTest {
    private static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    private final ObservableList<RunRecord> activity = FXCollections.observableArrayList(
            run("r1", "backup", "shop", "ok", "ada", "p-1111", "3 assets"),
            run("r2", "restore", "shop", "failed", "bob", "p-1111", "SHA-256 mismatch, rolled back"),
            run("r3", "backup", "wiki", "ok", "ada", "p-2222", "quoted \"name\", with a comma"));

    @Test
    void theFilterMatchesAnyFieldIgnoringCaseAndFollowsNewRows() {
        ActivityViewModel vm = new ActivityViewModel(activity, Background.inline());
        assertEquals(3, vm.rows().size());
        vm.filterProperty().set("RESTORE");
        assertEquals(List.of("r2"), ids(vm));
        vm.filterProperty().set("p-1111");
        assertEquals(List.of("r1", "r2"), ids(vm), "a point id finds every run of the point");
        vm.filterProperty().set("db1/wiki");
        assertEquals(List.of("r3"), ids(vm));
        activity.add(run("r4", "verify", "wiki", "ok", "ada", "p-2222", null));
        assertEquals(List.of("r3", "r4"), ids(vm), "rows read later are filtered too");
        vm.filterProperty().set("  ");
        assertEquals(4, vm.rows().size());
    }

    @Test
    void anExportWritesTheRowsShownAsCsvAndSaysWhere() throws Exception {
        ActivityViewModel vm = new ActivityViewModel(activity, Background.inline());
        vm.filterProperty().set("ada");
        Path file = dir.resolve("activity.csv");
        vm.export(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(2).endsWith(",ada,ok,\"quoted \"\"name\"\", with a comma\""), lines.get(2));
        assertEquals("Activity written to " + file, vm.messageProperty().get());
    }

    @Test
    void anExportThatCannotWriteSaysWhy() {
        ActivityViewModel vm = new ActivityViewModel(activity, Background.inline());
        vm.export(dir.resolve("missing").resolve("activity.csv"));
        assertTrue(vm.errorProperty().get().startsWith("Cannot write "), vm.errorProperty().get());
        assertEquals("", vm.messageProperty().get());
    }

    private static List<String> ids(ActivityViewModel vm) {
        return vm.rows().stream().map(RunRecord::id).toList();
    }

    private static RunRecord run(String id, String kind, String stack, String status, String actor, String point, String message) {
        return new RunRecord(id, kind, "db1", stack, point, "nas", actor, AT, AT, status, message);
    }
}
