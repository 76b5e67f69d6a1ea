package dev.lifeboat.ui.timeline;

import dev.lifeboat.core.status.TimelineEntry;
import dev.lifeboat.ui.common.Theme;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.shape.Circle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline driven as an admin drives it (headless): wheel, drag, clusters, arrow keys, click to open. */
@ExtendWith(ApplicationExtension.class)
class TimelineViewTest {
    private TimelineView view;
    private Stage stage;
    private final List<TimelineEntry> opened = new ArrayList<>();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Theme.apply(false);
        view = new TimelineView();
        view.setOnOpen(opened::add);
        Scene scene = new Scene(view.root(), 1100, 380);
        scene.getStylesheets().add(Theme.stylesheet());
        stage.setScene(scene);
        stage.show();
        view.show(NinetyDays.timeline());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            return condition.getAsBoolean();
        });
    }

    private Node canvas(FxRobot robot) {
        return robot.lookup("#timeline").query();
    }

    /** A point on the canvas at {@code fraction} of its width, on the backups lane's row. */
    private Point2D at(FxRobot robot, double fraction) {
        Bounds b = canvas(robot).localToScreen(canvas(robot).getBoundsInLocal());
        return new Point2D(b.getMinX() + 12 + (b.getWidth() - 24) * fraction, b.getMinY() + 30);
    }

    private List<Circle> clusters(FxRobot robot) {
        return robot.lookup(".timeline-cluster").queryAllAs(Circle.class).stream()
                .filter(c -> c.getUserData() instanceof TimelineModel.Cluster).toList();
    }

    @Test
    void itOpensOnAllNinetyDaysWithClustersCountedAndALegend(FxRobot robot) throws Exception {
        await(() -> !clusters(robot).isEmpty());
        assertEquals(NinetyDays.START, view.model().from());
        long points = NinetyDays.timeline().entries().stream().filter(e -> e.status() != TimelineEntry.Status.FAILED).count();
        assertEquals(points, view.model().visiblePoints().size(), "fitted: every point in view");
        assertTrue(robot.lookup(".timeline-count").tryQuery().isPresent(), "clusters show how many they hold");
        assertEquals(1, robot.lookup(".timeline-gap").queryAll().size(), "the two days without a backup");
        assertEquals(5, robot.lookup(".timeline-marker").queryAll().size(), "three drills and two restores");
        assertTrue(robot.lookup("#timeline-legend").tryQuery().isPresent());
        assertTrue(robot.lookup(n -> n instanceof javafx.scene.text.Text t && "Copies on offsite".equals(t.getText()))
                .tryQuery().isPresent(), "a lane for the copies");
        dev.lifeboat.ui.Shots.shotLightAndDark(robot, stage, "timeline-90-days");
    }

    @Test
    void theWheelZoomsAboutThePointerAndADragPans(FxRobot robot) throws Exception {
        await(() -> !clusters(robot).isEmpty());
        Point2D p = at(robot, 0.75);
        Instant under = view.model().from().plusMillis(Math.round(view.model().span().toMillis() * 0.75));
        robot.moveTo(p);
        // the wheel turned away from the user (a positive deltaY, which TestFX's glass robot sends for DOWN) zooms in
        for (int i = 0; i < 10; i++) {
            robot.scroll(1, VerticalDirection.DOWN);
        }
        await(() -> view.model().span().compareTo(Duration.ofDays(30)) < 0);
        Instant still = view.model().from().plusMillis(Math.round(view.model().span().toMillis() * 0.75));
        assertTrue(Duration.between(under, still).abs().compareTo(view.model().span().dividedBy(20)) < 0,
                "the instant under the pointer stays there: " + under + " / " + still);
        int visible = view.model().visiblePoints().size();
        assertTrue(visible < 120, "zoomed in: " + visible + " points in view");

        Instant from = view.model().from();
        robot.drag(at(robot, 0.5), MouseButton.PRIMARY).moveTo(at(robot, 0.7)).release(MouseButton.PRIMARY);
        await(() -> view.model().from().isBefore(from));
        Duration moved = Duration.between(view.model().from(), from);
        assertTrue(Math.abs(moved.toMillis() - view.model().span().toMillis() * 0.2) < view.model().span().toMillis() * 0.05,
                "a drag of a fifth of the width shows a fifth earlier: " + moved);
    }

    @Test
    void clickingAClusterZoomsUntilItsPointsStandAloneAndClickingAPointOpensIt(FxRobot robot) throws Exception {
        await(() -> !clusters(robot).isEmpty());
        Circle cluster = clusters(robot).stream().filter(c -> ((TimelineModel.Cluster) c.getUserData()).lane().equals("Backups"))
                .findFirst().orElseThrow();
        List<String> inside = ((TimelineModel.Cluster) cluster.getUserData()).entries().stream().map(TimelineEntry::id).toList();
        robot.clickOn(cluster);
        await(() -> view.model().span().compareTo(Duration.ofDays(10)) < 0);
        assertTrue(view.model().visiblePoints().containsAll(inside.stream().filter(id -> id.startsWith("p")).toList()));
        List<Circle> singles = robot.lookup(".timeline-point").queryAllAs(Circle.class).stream()
                .filter(c -> c.getUserData() instanceof TimelineEntry e && inside.contains(e.id())).toList();
        assertEquals(inside.size() * 1L, singles.stream().map(c -> ((TimelineEntry) c.getUserData()).id()).distinct().count(),
                "each of the cluster's points now stands alone");
        Circle first = singles.get(0);
        robot.clickOn(first);
        await(() -> !opened.isEmpty());
        assertEquals(first.getUserData(), opened.get(0), "a click on a point opens it");
        dev.lifeboat.ui.Shots.shot(robot, stage, "timeline-zoomed");
    }

    @Test
    void arrowKeysStepBetweenPointsAndEnterOpensTheSelection(FxRobot robot) throws Exception {
        await(() -> !clusters(robot).isEmpty());
        robot.clickOn(robot.lookup("#timeline-fit").queryButton()); // nothing selected yet; then focus the timeline
        robot.moveTo(at(robot, 0.5)).press(MouseButton.PRIMARY).release(MouseButton.PRIMARY);
        robot.type(KeyCode.RIGHT);
        await(() -> view.model().selected().isPresent());
        assertEquals("p360", view.model().selected().orElseThrow().id(), "the newest point first");
        robot.type(KeyCode.LEFT, 3);
        await(() -> view.model().selected().map(e -> e.id().equals("p357")).orElse(false));
        assertEquals(2, robot.lookup(".timeline-selected").queryAll().size(),
                "the selection is ringed in each lane that holds it (p357 is a midnight point, copied offsite)");
        robot.type(KeyCode.ENTER);
        await(() -> !opened.isEmpty());
        assertEquals("p357", opened.get(0).id());
    }
}
