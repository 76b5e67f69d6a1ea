package dev.lifeboat.ui.shell;

import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.ui.common.Forms;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** The activity tab: the filter field, the table of runs and audit events, and the CSV export. */
final class ActivityPane {
    private final TextField filter = new TextField();
    private final TableView<RunRecord> table = new TableView<>();
    private final VBox root;
    private ActivityViewModel model;

    ActivityPane() {
        filter.setPromptText("Filter: kind, stack, status (audit for audit events), who or text");
        filter.setId("activity-filter");
        table.setId("activity");
        Forms.column(table, "Started", r -> r.startedAt().toString().substring(0, 19).replace('T', ' '));
        Forms.column(table, "Kind", RunRecord::kind);
        Forms.column(table, "Host", RunRecord::host);
        Forms.column(table, "Stack", RunRecord::stack);
        Forms.column(table, "Status", RunRecord::status);
        Forms.column(table, "By", RunRecord::actor);
        Forms.column(table, "Message", RunRecord::message);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Button export = new Button("Export CSV…");
        export.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName("lifeboat-activity.csv");
            var file = chooser.showSaveDialog(export.getScene().getWindow());
            if (file != null && model != null) {
                model.export(file.toPath());
            }
        });
        HBox bar = new HBox(8, filter, export);
        HBox.setHgrow(filter, Priority.ALWAYS);
        root = new VBox(8, bar, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        root.setPadding(new Insets(8));
    }

    /** Shows the model's rows; what is typed filters them. */
    void attach(ActivityViewModel model) {
        this.model = model;
        table.setItems(model.rows());
        model.filterProperty().bind(filter.textProperty());
    }

    /** Filters by {@code text} as if typed. */
    void filter(String text) {
        filter.setText(text);
    }

    Parent root() {
        return root;
    }
}
