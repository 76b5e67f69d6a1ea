package dev.lifeboat.ui.shell;

import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.Theme;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's notice in the corner is drawn in the console's theme: ControlsFX's own stylesheet looks up
 * Modena's colours, which AtlantaFX does not define, and every notice used to log a CSS
 * ClassCastException warning and draw dark text on the dark theme.
 */
@ExtendWith(ApplicationExtension.class)
class JobNoticesTest {
    private final List<String> cssWarnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            cssWarnings.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        StackPane root = new StackPane(new Label("console"));
        stage.setScene(new Scene(root, 800, 500));
        Theme.styleSceneOf(root); // as the main window does
        stage.show();
    }

    @BeforeEach
    void listen() {
        Logger.getLogger("javafx.css").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("javafx.css").removeHandler(capture);
        Theme.apply(false);
    }

    @ParameterizedTest
    @CsvSource({"false,true", "true,true", "false,false", "true,false"})
    void aNoticeIsDrawnInTheThemeWithoutCssWarnings(boolean dark, boolean ok, FxRobot robot) {
        robot.interact(() -> {
            Theme.apply(dark);
            JobNotices.show(stage, new Jobs.Ended("Back up demo/shop", ok, false, 4200, ok ? null : "no Docker engine answers"));
        });
        WaitForAsyncUtils.waitForFxEvents();
        Node title = WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(JobNoticesTest::titleNode));
        assertNotNull(title, "a notice is shown");
        assertEquals(List.of(), cssWarnings, "ControlsFX's stylesheet resolves in the theme");
        Color fill = (Color) ((Label) title).getTextFill();
        double brightness = fill.getBrightness();
        assertTrue(dark ? brightness > 0.6 : brightness < 0.4,
                "the title reads on the " + (dark ? "dark" : "light") + " theme: " + fill);
        robot.interact(() -> Window.getWindows().stream().filter(w -> w instanceof PopupWindow).toList()
                .forEach(Window::hide));
    }

    private static Node titleNode() {
        for (Window w : Window.getWindows()) {
            if (w instanceof PopupWindow p && p.getScene() != null) {
                Node n = p.getScene().getRoot().lookup(".notification-bar .title");
                if (n != null) {
                    return n;
                }
            }
        }
        return null;
    }
}
