package dev.lifeboat.ui.drillwizard;

import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.proof.DrillReport;
import dev.lifeboat.ui.common.Theme;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A drill's result and a stack's drill history, drawn from records (headless), light and dark. */
@ExtendWith(ApplicationExtension.class)
class DrillViewsTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Theme.apply(false);
        stage.setScene(new Scene(new Label("loading"), 760, 640));
        stage.show();
    }

    private void show(FxRobot robot, javafx.scene.Node node) {
        robot.interact(() -> {
            ScrollPane scroll = new ScrollPane(node);
            scroll.setFitToWidth(true);
            Scene scene = new Scene(scroll, 760, 640);
            scene.getStylesheets().add(Theme.stylesheet());
            stage.setScene(scene);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    static DrillReport report() {
        List<RunStep> phases = List.of(new RunStep("verify", 4_200, null, "ok", null),
                new RunStep("create sandbox", 2_100, null, "ok", null), new RunStep("config", 100, null, "ok", null),
                new RunStep("volumes + databases + redis", 51_000, null, "ok", null), new RunStep("start", 3_100, null, "ok", null),
                new RunStep("health", 6_000, null, "ok", null), new RunStep("post-restore checks", 2_500, null, "ok", null));
        List<Check> checks = List.of(Check.pass("postgres:shop.public.orders rows", "1204 rows, recorded 1204"),
                Check.pass("redis keys", "{0=3}, as recorded"),
                new Check("probe app", false, "'curl -fs localhost:8080/health' exited 7"));
        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        return new DrillReport("d12", "db1", "shop", "complete-failure", "sandbox", at, "p360", at.minus(Duration.ofHours(5)),
                Duration.ofMillis(69_000), Duration.ofHours(5), Duration.ofMinutes(1), Duration.ofHours(24), phases, checks, null,
                LocalDate.of(2026, 12, 30));
    }

    @Test
    void theResultIsAWaterfallAgainstTheRtoLineAnRpoBarAndAChecksTable(FxRobot robot) throws Exception {
        DrillReport r = report();
        show(robot, DrillResultView.of(r));
        assertEquals("Failed: complete-failure (sandbox), point p360", robot.lookup("#drill-verdict").queryAs(Label.class).getText());
        List<Rectangle> bars = robot.lookup(".drill-phase-bar").queryAllAs(Rectangle.class).stream().toList();
        assertEquals(7, bars.size());
        Line rto = robot.lookup("#drill-rto-target").queryAs(Line.class);
        double end = bars.stream().mapToDouble(b -> b.getX() + b.getWidth()).max().orElseThrow();
        assertTrue(end > rto.getStartX(), "69 s of phases run past the 60 s target line");
        assertEquals(5, bars.stream().filter(b -> b.getStyleClass().contains("down")).count(),
                "create sandbox, config, the kinds restored side by side, start and health would keep the stack down");
        for (javafx.scene.text.Text name : robot.lookup(".drill-phase-name").queryAllAs(javafx.scene.text.Text.class)) {
            assertTrue(name.getBoundsInParent().getMaxX() <= bars.get(0).getX(), "a phase's name stays left of the bars: "
                    + name.getText() + " " + name.getBoundsInParent());
        }
        Rectangle rpo = robot.lookup("#drill-rpo-bar").queryAs(Rectangle.class);
        assertTrue(rpo.getX() + rpo.getWidth() < robot.lookup("#drill-rpo-target").queryAs(Line.class).getStartX(), "5 h under 24 h");
        var checks = robot.lookup("#drill-checks").queryTableView();
        assertEquals(3, checks.getItems().size());
        dev.lifeboat.ui.Shots.shotLightAndDark(robot, stage, "drill-result");
    }

    @Test
    void theHistoryTrendsTheLastTwelveDrillsAgainstTheTargetsAndFlagsAnOverdueOne(FxRobot robot) throws Exception {
        List<DrillRecord> drills = new ArrayList<>();
        OffsetDateTime first = OffsetDateTime.of(2025, 10, 1, 9, 0, 0, 0, ZoneOffset.UTC);
        for (int i = 14; i >= 1; i--) { // newest first, as the history gives them
            OffsetDateTime at = first.plusMonths(i);
            long rto = (50 + (i * 7) % 30) * 1000L;
            drills.add(new DrillRecord("d" + i, "db1", "shop", "complete-failure", "sandbox", "ada", at, "p" + i, at, rto,
                    (3 + i % 5) * 3_600_000L, 60_000L, 86_400_000L, rto <= 60_000L, "[]", "[]", null,
                    at.toLocalDate().plusMonths(1)));
        }
        StackSettings settings = new StackSettings("db1", "shop", Duration.ofMinutes(1), Duration.ofHours(24), 0, Map.of(),
                Map.of(), null, 30);
        show(robot, DrillHistoryView.of("db1/shop", drills, settings, LocalDate.of(2027, 1, 20)));
        @SuppressWarnings("unchecked")
        LineChart<String, Number> rto = robot.lookup("#drill-rto-trend").queryAs(LineChart.class);
        assertEquals(12, rto.getData().get(0).getData().size(), "the last twelve drills");
        assertEquals(12, rto.getData().get(1).getData().size(), "and the target beside each");
        assertEquals(1.0, rto.getData().get(1).getData().get(0).getYValue().doubleValue(), 1e-9, "the 1 min target");
        Label due = robot.lookup("#drill-next-due").queryAs(Label.class);
        assertTrue(due.getText().startsWith("Next drill due 2027-01-01 (overdue by 19 days)"), due.getText());
        assertTrue(due.getStyleClass().contains("drill-trend-overdue"));
        dev.lifeboat.ui.Shots.shotLightAndDark(robot, stage, "drill-history");
    }
}
