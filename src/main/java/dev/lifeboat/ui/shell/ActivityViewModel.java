package dev.lifeboat.ui.shell;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.ui.common.Background;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The activity log: runs and audit events, filtered by what the admin types (a kind, a stack, a
 * status, who, a point id or any text), and exported as CSV on {@link Background}.
 */
public final class ActivityViewModel {
    private final Background background;
    private final StringProperty filter = new SimpleStringProperty("");
    private final FilteredList<RunRecord> rows;
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    public ActivityViewModel(ObservableList<RunRecord> activity, Background background) {
        this.background = background;
        this.rows = new FilteredList<>(activity);
        filter.addListener((o, was, text) -> rows.setPredicate(r -> matches(r, text)));
    }

    /** Whether a row matches the filter text: any of its fields contains it, ignoring case. */
    static boolean matches(RunRecord r, String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        String row = r.kind() + " " + r.host() + "/" + r.stack() + " " + r.status() + " " + r.actor() + " " + r.pointId() + " "
                + r.message();
        return row.toLowerCase(Locale.ROOT).contains(text.trim().toLowerCase(Locale.ROOT));
    }

    /** What the admin typed; the rows follow it. */
    public StringProperty filterProperty() {
        return filter;
    }

    /** The rows the filter lets through, newest first. */
    public ObservableList<RunRecord> rows() {
        return rows;
    }

    /** Writes the rows shown now to {@code file} as CSV. */
    public void export(Path file) {
        List<RunRecord> shown = new ArrayList<>(rows);
        background.run("Export activity", p -> {
            try {
                writeCsv(shown, file);
                return file;
            } catch (IOException e) {
                throw new LifeboatException("Cannot write " + file + ": " + e.getMessage(), e);
            }
        }, f -> {
            error.set("");
            message.set("Activity written to " + f);
        }, e -> error.set(e.getMessage() == null ? e.toString() : e.getMessage()));
    }

    /** What the last export did, empty before one. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Why the last export failed, empty when it did not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The activity rows as RFC 4180 CSV. */
    static void writeCsv(List<RunRecord> runs, Path file) throws IOException {
        StringBuilder b = new StringBuilder("started,finished,kind,host,stack,point,destination,actor,status,message\r\n");
        for (RunRecord r : runs) {
            b.append(String.join(",", List.of(csv(r.startedAt()), csv(r.finishedAt()), csv(r.kind()), csv(r.host()), csv(r.stack()),
                    csv(r.pointId()), csv(r.destination()), csv(r.actor()), csv(r.status()), csv(r.message())))).append("\r\n");
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static String csv(Object o) {
        String s = o == null ? "" : o.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
