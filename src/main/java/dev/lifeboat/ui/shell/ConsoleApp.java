package dev.lifeboat.ui.shell;

import dev.lifeboat.AppContext;
import dev.lifeboat.ui.common.Theme;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.prefs.Preferences;

/**
 * The console application: the main window on the embedded default (H2 under the Lifeboat home, the
 * local Docker engine). The history is opened off the FX thread; the window opens at once and says
 * what it is waiting for. Its size, position and theme are remembered.
 */
public final class ConsoleApp extends Application {
    private static volatile Path home;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lifeboat-console-job");
        t.setDaemon(true);
        return t;
    });
    private final Preferences prefs = Preferences.userNodeForPackage(ConsoleApp.class);
    private AppContext app;

    public static void launchConsole(Path lifeboatHome) {
        home = lifeboatHome;
        Application.launch(ConsoleApp.class);
    }

    @Override
    public void start(Stage stage) {
        Theme.apply(prefs.getBoolean("dark", false));
        MainWindow window = new MainWindow(executor);
        Path where = home == null ? AppContext.defaultHome() : home;
        Task<AppContext> load = new Task<>() {
            @Override
            protected AppContext call() {
                return new AppContext(where, new dev.lifeboat.ui.common.MasterPasswordDialog(() -> stage));
            }
        };
        load.setOnSucceeded(e -> {
            app = load.getValue();
            LoggerFactory.getLogger(ConsoleApp.class).info("console attached to the history in {}", where);
            window.attach(app, stage);
            window.checkDocker();
        });
        load.setOnFailed(e -> window.failed(load.getException().getMessage()));
        executor.submit(load);
        stage.setTitle("Lifeboat");
        stage.setScene(new Scene(window.root(), prefs.getDouble("width", 1200), prefs.getDouble("height", 780)));
        if (!Double.isNaN(prefs.getDouble("x", Double.NaN))) {
            stage.setX(prefs.getDouble("x", 0));
            stage.setY(prefs.getDouble("y", 0));
        }
        stage.setOnCloseRequest(e -> {
            prefs.putDouble("width", stage.getWidth());
            prefs.putDouble("height", stage.getHeight());
            prefs.putDouble("x", stage.getX());
            prefs.putDouble("y", stage.getY());
            prefs.putBoolean("dark", Theme.darkProperty().get());
        });
        stage.setOnShown(e -> LoggerFactory.getLogger(ConsoleApp.class).info(
                "console window shown: Lifeboat {} on Java {}, home {}", AppContext.VERSION,
                System.getProperty("java.version"), where));
        stage.show();
    }

    @Override
    public void stop() {
        executor.shutdownNow();
        if (app != null) {
            app.close();
        }
        Platform.exit();
    }
}
