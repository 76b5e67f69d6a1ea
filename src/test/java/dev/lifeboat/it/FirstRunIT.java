package dev.lifeboat.it;

import dev.lifeboat.ui.Shots;
import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.storage.DefaultDestination;
import dev.lifeboat.ui.shell.MainWindow;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.lifeboat.it.Screens.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First run on the real engine: an empty home explains the first step; "Use this machine's Docker"
 * adds the host and the embedded default destination (a directory under the home, with a new key the
 * admin is told about); then a demo stack and its first backup take two clicks.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ApplicationExtension.class)
class FirstRunIT {
    @TempDir
    Path tmp;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private MainWindow window;
    private Stage stage;
    private AppContext app;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        window = Screens.mainWindow(stage, executor);
    }

    /** Before the temporary home goes: the first backup's follow-up work still writes the history. */
    @AfterEach
    void stopTheConsole() throws Exception {
        Screens.stopConsole(window, executor, app);
        app = null;
    }

    @AfterAll
    void removeDemo() {
        Rig.removeByLabel("demo");
    }

    @Test
    void fromAnEmptyHomeToAFirstBackupOfTheDemoStack(FxRobot robot) throws Exception {
        Rig.removeByLabel("demo");
        Path home = tmp.resolve("home");
        app = new AppContext(home);
        robot.interact(() -> window.attach(app, stage));
        await(() -> robot.lookup("#empty-state").tryQuery().isPresent());
        Shots.shotLightAndDark(robot, stage, "first-run-1-empty");

        robot.interact(() -> robot.lookup("#use-local-docker").queryButton().fire());
        await(() -> !app.history().hosts().all().isEmpty() && !app.history().destinations().all().isEmpty());
        DestinationRecord d = app.history().destinations().require(DefaultDestination.NAME);
        assertEquals(home.resolve("backups").toAbsolutePath().normalize().toString(), d.location());
        Path key = Path.of(d.keyFile());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        await(() -> robot.lookup(n -> n instanceof Label l && l.getText() != null && l.getText().contains(key.toString()))
                .tryQuery().isPresent());

        // what the console shows decides, not a look at the engine beforehand: another test's stack may come or go
        // between the two (the suite runs in two forks on one engine)
        await(() -> robot.lookup("#no-stacks").tryQuery().isPresent() || robot.lookup("#dashboard-title").tryQuery().isPresent());
        if (robot.lookup("#no-stacks").tryQuery().isPresent()) {
            Shots.shotLightAndDark(robot, stage, "first-run-2-no-stacks");
        }
        Host local = app.history().hosts().require("local");
        robot.interact(() -> robot.lookup("#create-demo").tryQuery().ifPresentOrElse(
                b -> ((javafx.scene.control.Button) b).fire(), () -> window.createDemoStack(local, () -> { })));
        await(() -> robot.lookup("#dashboard-title").tryQuery().map(n -> ((Label) n).getText().contains("local/demo"))
                .orElse(false));
        robot.interact(() -> robot.lookup("#backup-now").queryButton().fire());
        await(() -> app.history().points().of("local", "demo").size() == 1);
        assertEquals(DefaultDestination.NAME, app.history().points().of("local", "demo").get(0).destination());
        assertTrue(Files.isRegularFile(home.resolve("backups").resolve("local").resolve("demo")
                .resolve(app.history().points().of("local", "demo").get(0).id()).resolve("manifest.json")));
    }
}
