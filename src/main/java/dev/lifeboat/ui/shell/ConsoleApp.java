package dev.lifeboat.ui.shell;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RecoveryPoint;
import javafx.application.Application;
import javafx.concurrent.Task;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;

/**
 * The console application. For now one window ({@link ShellView}); the dashboard, timeline and
 * wizards come with the console issue. The history is opened off the FX thread.
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
        ShellView view = new ShellView();
        Path where = home == null ? AppContext.defaultHome() : home;
        Task<Loaded> load = new Task<>() {
            @Override
            protected Loaded call() {
                app = new AppContext(where);
                return Loaded.from(app);
            }
        };
        load.setOnSucceeded(e -> view.show(load.getValue().summary(), load.getValue().points()));
        load.setOnFailed(e -> view.failed(load.getException().getMessage()));
        Thread t = new Thread(load, "lifeboat-console-load");
        t.setDaemon(true);
        t.start();
        stage.setTitle("Lifeboat");
        stage.setScene(new Scene(view.root(), 720, 420));
        stage.show();
    }

    /** What the first view shows, read from the history. */
    record Loaded(String summary, List<String> points) {
        static Loaded from(AppContext app) {
            List<RecoveryPoint> all = app.history().points(null, null);
            List<String> latest = all.subList(Math.max(0, all.size() - 10), all.size()).stream()
                    .map(p -> p.id() + "   " + p.host() + "/" + p.stack() + "   " + p.kind() + "   " + p.destination())
                    .toList();
            String summary = app.history().hosts().size() + " hosts, " + app.history().destinations().size()
                    + " destinations, " + all.size() + " recovery points";
            return new Loaded(summary, latest);
        }
    }

    @Override
    public void stop() {
        if (app != null) {
            app.close();
        }
    }
}
