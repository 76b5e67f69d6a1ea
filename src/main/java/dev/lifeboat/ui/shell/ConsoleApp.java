package dev.lifeboat.ui.shell;

import dev.lifeboat.AppContext;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.nio.file.Path;

/**
 * The console's first window: for now it greets the admin and shows what the history holds,
 * loaded off the FX thread. The dashboard, timeline and wizards come with the console issue.
 */
public final class ConsoleApp extends Application {
    private static volatile Path home;
    private AppContext app;

    public static void launchConsole(Path lifeboatHome) {
        home = lifeboatHome;
        Application.launch(ConsoleApp.class);
    }

    @Override
    public void start(Stage stage) {
        Label title = new Label("Hello from Lifeboat");
        title.setStyle("-fx-font-size: 22px; -fx-font-weight: bold;");
        Label status = new Label("Opening history…");
        VBox root = new VBox(12, title, status);
        root.setPadding(new Insets(24));
        Task<String> load = new Task<>() {
            @Override
            protected String call() {
                app = new AppContext(home == null ? AppContext.defaultHome() : home);
                return app.history().hosts().size() + " hosts, " + app.history().destinations().size()
                        + " destinations, " + app.history().points(null, null).size() + " recovery points in " + app.home();
            }
        };
        load.setOnSucceeded(e -> status.setText(load.getValue()));
        load.setOnFailed(e -> status.setText("Could not open the history: " + load.getException().getMessage()));
        Thread t = new Thread(load, "lifeboat-console-load");
        t.setDaemon(true);
        t.start();
        stage.setTitle("Lifeboat");
        stage.setScene(new Scene(root, 640, 360));
        stage.show();
    }

    @Override
    public void stop() {
        if (app != null) {
            app.close();
        }
        Platform.exit();
    }
}
