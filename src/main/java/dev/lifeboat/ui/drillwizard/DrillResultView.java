package dev.lifeboat.ui.drillwizard;

import dev.lifeboat.core.Units;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.proof.DrillReport;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

import java.time.Duration;
import java.util.List;

/**
 * A drill's result as an admin reads it: the verdict; the phases as a waterfall against the RTO target
 * line (phases that keep the stack down marked apart from those that keep it serving); the RPO as a bar
 * against its target; the checks as a table with pass or fail and their figures.
 */
public final class DrillResultView {
    static final double WIDTH = 640;
    private static final double LABEL = 150;
    private static final double ROW = 22;

    private DrillResultView() {
    }

    public static Node of(DrillReport r) {
        Label verdict = new Label((r.ok() ? "Passed" : "Failed") + ": " + r.scenario() + " (" + r.mode() + "), point " + r.pointId());
        verdict.setId("drill-verdict");
        verdict.getStyleClass().addAll("drill-verdict", r.ok() ? "drill-pass" : "drill-fail");
        Label rto = new Label("RTO " + Units.duration(r.rto()) + " against " + Units.duration(r.rtoTarget())
                + (r.rtoMet() ? " (met)" : " (missed)") + (r.downtime() == null ? ""
                : "; the stack was down for " + Units.duration(r.downtime()) + " of it"));
        rto.setId("drill-rto");
        VBox box = new VBox(8, verdict, rto, gantt(r), new Label("RPO: how much data the point would lose"), rpoBar(r),
                new Label("Checks"), checks(r.checks()));
        box.setPadding(new Insets(4));
        box.setId("drill-result");
        return box;
    }

    /** The phases one after another, to scale, and the RTO target as a line across them. */
    static Pane gantt(DrillReport r) {
        Pane pane = new Pane();
        pane.setId("drill-gantt");
        List<RunStep> phases = r.phases();
        long total = phases.stream().mapToLong(RunStep::durationMs).sum();
        double scale = (WIDTH - LABEL - 10) / Math.max(1, Math.max(total, r.rtoTarget().toMillis()) * 1.05);
        double at = 0;
        int i = 0;
        for (RunStep p : phases) {
            double y = i * ROW;
            Text name = new Text(0, y + 15, p.name());
            name.getStyleClass().add("drill-phase-name");
            // a phase of kinds restored side by side is named after them all: cut at the bars, whole in its tooltip
            name.setClip(new Rectangle(0, y, LABEL - 6, ROW));
            Tooltip.install(name, new Tooltip(p.name()));
            Rectangle bar = new Rectangle(LABEL + at * scale, y + 3, Math.max(2, p.durationMs() * scale), ROW - 6);
            bar.getStyleClass().addAll("drill-phase-bar", RunStep.keepsServing(p.name()) ? "serving" : "down",
                    "ok".equals(p.status()) || p.status() == null ? "ok" : "failed");
            bar.setUserData(p);
            Tooltip.install(bar, new Tooltip(p.name() + ": " + Units.duration(Duration.ofMillis(p.durationMs()))
                    + (RunStep.keepsServing(p.name()) ? " (the stack serves)" : " (the stack is down)")
                    + (p.detail() == null ? "" : "\n" + p.detail())));
            Text took = new Text(bar.getX() + bar.getWidth() + 4, y + 15, Units.duration(Duration.ofMillis(p.durationMs())));
            took.getStyleClass().add("drill-phase-time");
            pane.getChildren().addAll(name, bar, took);
            at += p.durationMs();
            i++;
        }
        double height = Math.max(1, phases.size()) * ROW;
        double x = LABEL + r.rtoTarget().toMillis() * scale;
        Line target = new Line(x, 0, x, height);
        target.setId("drill-rto-target");
        target.getStyleClass().add("drill-target");
        Text label = new Text(Math.min(x + 4, WIDTH - 120), height + 14, "RTO target " + Units.duration(r.rtoTarget()));
        label.getStyleClass().add("drill-target-label");
        pane.getChildren().addAll(target, label);
        pane.setPrefSize(WIDTH, height + 20);
        pane.setMinHeight(height + 20);
        return pane;
    }

    /** The measured RPO as a bar, the target as a line. */
    static Pane rpoBar(DrillReport r) {
        Pane pane = new Pane();
        pane.setId("drill-rpo");
        long rpo = r.rpo() == null ? 0 : r.rpo().toMillis();
        double scale = (WIDTH - LABEL - 10) / Math.max(1, Math.max(rpo, r.rpoTarget().toMillis()) * 1.05);
        Text name = new Text(0, 15, "RPO " + Units.duration(r.rpo()));
        Rectangle bar = new Rectangle(LABEL, 3, Math.max(2, rpo * scale), ROW - 6);
        bar.setId("drill-rpo-bar");
        bar.getStyleClass().addAll("drill-rpo-bar", r.rpoMet() ? "ok" : "failed");
        double x = LABEL + r.rpoTarget().toMillis() * scale;
        Line target = new Line(x, 0, x, ROW);
        target.setId("drill-rpo-target");
        target.getStyleClass().add("drill-target");
        Text label = new Text(Math.min(x + 4, WIDTH - 120), 15, "target " + Units.duration(r.rpoTarget()));
        label.getStyleClass().add("drill-target-label");
        pane.getChildren().addAll(name, bar, target, label);
        pane.setPrefSize(WIDTH, ROW + 4);
        pane.setMinHeight(ROW + 4);
        return pane;
    }

    static TableView<Check> checks(List<Check> checks) {
        TableView<Check> table = new TableView<>();
        table.setId("drill-checks");
        TableColumn<Check, String> result = new TableColumn<>("");
        result.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().ok() ? "✔" : "✖"));
        result.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                getStyleClass().removeAll("check-pass", "check-fail");
                if (!empty) {
                    getStyleClass().add("✔".equals(item) ? "check-pass" : "check-fail");
                }
            }
        });
        result.setPrefWidth(32);
        TableColumn<Check, String> name = new TableColumn<>("Check");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        name.setPrefWidth(200);
        TableColumn<Check, String> figures = new TableColumn<>("Figures");
        figures.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().detail()));
        figures.setPrefWidth(400);
        table.getColumns().addAll(List.of(result, name, figures));
        table.getItems().setAll(checks);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefHeight(Math.min(260, 30 + 26 * Math.max(1, checks.size())));
        VBox.setVgrow(table, Priority.ALWAYS);
        return table;
    }
}
