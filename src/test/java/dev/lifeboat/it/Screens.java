package dev.lifeboat.it;

import dev.lifeboat.ui.common.Theme;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The console's main window for a test, and waiting for its background work (screenshots: {@code Shots}). */
final class Screens {
    private Screens() {
    }

    /** The console's main window in {@code stage} (1200×800, light theme), its work on {@code executor}. */
    static dev.lifeboat.ui.shell.MainWindow mainWindow(Stage stage, java.util.concurrent.ExecutorService executor) {
        Theme.apply(false);
        dev.lifeboat.ui.shell.MainWindow window = new dev.lifeboat.ui.shell.MainWindow(executor);
        stage.setScene(new javafx.scene.Scene(window.root(), 1200, 800));
        stage.show();
        return window;
    }

    /**
     * Ends the console's background work before its home is deleted: waits until the jobs panel is
     * empty (a job's callback submits follow-up work, such as the alert rules after a backup, in the
     * same FX event that removes it, so an empty list on the FX thread means nothing is pending), then
     * lets the reads already submitted finish, refuses new ones, and closes the history.
     */
    static void stopConsole(dev.lifeboat.ui.shell.MainWindow window, java.util.concurrent.ExecutorService executor,
                            AutoCloseable app) throws Exception {
        if (window != null) {
            await(() -> {
                try {
                    return WaitForAsyncUtils.asyncFx(() -> window.jobs().running().isEmpty()).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        executor.shutdown();
        if (!executor.awaitTermination(2, TimeUnit.MINUTES)) {
            executor.shutdownNow();
            throw new AssertionError("The console's background work did not end within two minutes");
        }
        if (app != null) {
            app.close();
        }
    }

    /** Waits (up to two minutes) until {@code condition} holds on the FX thread's latest state. */
    static void await(BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            return condition.getAsBoolean();
        });
    }
}
