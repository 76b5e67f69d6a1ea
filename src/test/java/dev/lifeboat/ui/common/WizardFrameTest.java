package dev.lifeboat.ui.common;

import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wizard frame's crumbs: the steps taken so far; a click goes back as far as Back could, never past an action. */
@ExtendWith(ApplicationExtension.class)
class WizardFrameTest {
    private Stage owner;
    private WizardFrame frame;
    private final SimpleBooleanProperty done = new SimpleBooleanProperty(false);
    private final AtomicInteger actions = new AtomicInteger();

    @Start
    void start(Stage stage) {
        owner = stage;
        stage.setScene(new Scene(new StackPane(new Label("console")), 400, 300));
        stage.show();
        SimpleBooleanProperty complete = new SimpleBooleanProperty(true);
        List<WizardFrame.Step> steps = List.of(
                WizardFrame.step("Stack", () -> new Label("stack"), complete),
                WizardFrame.step("Point", () -> new Label("point"), complete),
                WizardFrame.step("Preview", () -> new Label("preview"), complete),
                WizardFrame.confirm("Confirm", () -> new Label("confirm"), complete, "Restore", "restore", () -> {
                    actions.incrementAndGet();
                    frame.show("Result");
                }),
                WizardFrame.outcome("Result", () -> {
                    Label verdict = new Label("Passed");
                    verdict.setId("result-verdict");
                    return new javafx.scene.control.ScrollPane(verdict);
                }, done));
        frame = new WizardFrame(owner, "Restore", () -> steps);
        frame.start();
        frame.stage().show();
    }

    @Test
    void crumbsNameTheStepsTakenAndAClickGoesBackButNeverPastTheAction(FxRobot robot) {
        assertEquals(List.of("Stack"), fx(frame::crumbs));
        robot.clickOn("#wizard-next").clickOn("#wizard-next").clickOn("#wizard-next");
        assertEquals("Confirm", frame.currentStep());
        assertEquals(List.of("Stack", "Point", "Preview", "Confirm"), fx(frame::crumbs));

        robot.clickOn(crumb(robot, "Point"));
        assertEquals("Point", frame.currentStep());
        assertEquals(List.of("Stack", "Point"), fx(frame::crumbs));

        robot.clickOn("#wizard-next").clickOn("#wizard-next").clickOn("#restore");
        assertEquals("Result", frame.currentStep());
        assertEquals(1, actions.get());
        robot.clickOn(crumb(robot, "Stack"));
        assertEquals("Result", frame.currentStep(), "no way back once the restore ran");
    }

    @Test
    void aStepReportedShownHasItsNodesInTheSceneEvenInsideAScrollPane() {
        // whoever waits for currentStep() (a test on another thread) looks the step's nodes up at once,
        // possibly before the next pulse would have made the ScrollPane's skin and put its content in the graph
        boolean found = fx(() -> {
            frame.show("Result");
            return "Result".equals(frame.currentStep()) && frame.stage().getScene().getRoot().lookup("#result-verdict") != null;
        });
        assertEquals(true, found, "the result's verdict is in the scene graph when the step is reported shown");
    }

    private static Node crumb(FxRobot robot, String title) {
        return robot.lookup("#wizard-crumbs").lookup((Node n) -> n instanceof Button b && title.equals(b.getText())).query();
    }

    private static <T> T fx(java.util.concurrent.Callable<T> c) {
        return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(c));
    }
}
