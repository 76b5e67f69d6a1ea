package dev.lifeboat.ui.shell;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first console view, headless (Monocle); also writes docs/screenshots/console-hello.png. */
@ExtendWith(ApplicationExtension.class)
class ShellViewTest {
    @TempDir
    static Path home;
    private ShellView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        view = new ShellView();
        stage.setScene(new Scene(view.root(), 720, 420));
        stage.show();
    }

    @Test
    void showsWhatTheHistoryHolds(FxRobot robot) throws IOException {
        try (AppContext app = new AppContext(home)) {
            app.history().addHost(new Host("db1", "unix:///var/run/docker.sock", true));
            app.history().addDestination(new DestinationRecord("nas", "local", "/srv/backups", "/root/lifeboat.key", "0123abcd"));
            app.history().recordPoint(new RecoveryPoint("20261123T020000Z-4f2a9c", "db1", "shop", "nas",
                    Instant.parse("2026-11-23T02:00:00Z"), "/srv/backups/db1/shop/20261123T020000Z-4f2a9c", 1 << 20,
                    "backup"), "0".repeat(64));
            ConsoleApp.Loaded loaded = ConsoleApp.Loaded.from(app);
            robot.interact(() -> view.show(loaded.summary(), loaded.points()));
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#status").queryAs(Label.class).getText().startsWith("1 hosts, 1 destinations, 1 recovery points"));
        assertEquals(1, robot.lookup("#points").queryAs(ListView.class).getItems().size());
        Path dir = Path.of(System.getProperty("lifeboat.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = stage.getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", dir.resolve("console-hello.png").toFile());
    }
}
