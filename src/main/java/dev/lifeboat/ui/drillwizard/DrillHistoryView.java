package dev.lifeboat.ui.drillwizard;

import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.model.StackSettings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack's drills over time: RTO and RPO of its last twelve drills against their targets, and when the next
 * drill is due (overdue in red). Built from records already read, off the FX thread.
 */
public final class DrillHistoryView {
    static final int LAST = 12;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yy-MM-dd");

    private DrillHistoryView() {
    }

    /** {@code drills} newest first, as the history gives them. */
    public static Node of(String stack, List<DrillRecord> drills, StackSettings settings, LocalDate today) {
        List<DrillRecord> last = new ArrayList<>(drills.subList(0, Math.min(LAST, drills.size())));
        java.util.Collections.reverse(last); // oldest on the left
        Label due = new Label();
        due.setId("drill-next-due");
        if (drills.isEmpty()) {
            due.setText("No drill recorded yet for " + stack + ": one is due now.");
            due.getStyleClass().add("drill-trend-overdue");
        } else {
            LocalDate next = drills.get(0).nextDue();
            boolean overdue = next.isBefore(today);
            due.setText("Next drill due " + next + (overdue ? " (overdue by " + java.time.temporal.ChronoUnit.DAYS.between(next, today)
                    + " days)" : ""));
            if (overdue) {
                due.getStyleClass().add("drill-trend-overdue");
            }
        }
        LineChart<String, Number> rto = chart("drill-rto-trend", "RTO, minutes", last, d -> d.rtoMs(),
                settings.rto().toMillis(), 60_000.0);
        LineChart<String, Number> rpo = chart("drill-rpo-trend", "RPO, hours", last, d -> d.rpoMs(),
                settings.rpo().toMillis(), 3_600_000.0);
        Label title = new Label("Drills of " + stack + (last.isEmpty() ? "" : ": the last " + last.size()));
        title.getStyleClass().add("section-title");
        VBox box = new VBox(8, title, due, rto, rpo);
        box.setPadding(new Insets(12));
        box.setId("drill-history");
        return box;
    }

    private static LineChart<String, Number> chart(String id, String unit, List<DrillRecord> drills,
                                                   java.util.function.Function<DrillRecord, Long> measured, long target, double per) {
        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis();
        y.setLabel(unit);
        LineChart<String, Number> chart = new LineChart<>(x, y);
        chart.setId(id);
        chart.setAnimated(false);
        chart.setPrefHeight(220);
        XYChart.Series<String, Number> got = new XYChart.Series<>();
        got.setName("measured");
        XYChart.Series<String, Number> goal = new XYChart.Series<>();
        goal.setName("target");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (DrillRecord d : drills) {
            String at = DAY.format(d.startedAt()) + (d.ok() ? "" : " ✖"); // failures marked
            for (int k = 2; !seen.add(at); k++) { // two drills on one day stay two points
                at = DAY.format(d.startedAt()) + (d.ok() ? "" : " ✖") + " (" + k + ")";
            }
            Long v = measured.apply(d);
            if (v != null) {
                got.getData().add(new XYChart.Data<>(at, v / per));
            }
            goal.getData().add(new XYChart.Data<>(at, target / per));
        }
        chart.getData().addAll(List.of(got, goal));
        return chart;
    }
}
