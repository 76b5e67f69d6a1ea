package dev.lifeboat.ui.shell;

import dev.lifeboat.core.Units;
import dev.lifeboat.ui.common.Jobs;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * A notice in the corner of the console when a job of the panel ends, so a backup that finished (or a
 * restore that failed) is not just a line that disappears. Finished jobs fade after a few seconds; a failed
 * one stays until dismissed (its dialog says why). Cancelled jobs say so. What a view merely loads (its
 * dashboard, timeline, a wizard's plan) is not announced ({@code Jobs.load}). An alert that opens while the
 * console runs gets a notice too, which stays until dismissed.
 */
final class JobNotices {
    private JobNotices() {
    }

    static String title(Jobs.Ended e) {
        return e.name() + (e.ok() ? " finished" : e.cancelled() ? " cancelled" : " failed");
    }

    static String text(Jobs.Ended e) {
        String took = "after " + Units.duration(java.time.Duration.ofMillis(e.elapsedMs()));
        return e.ok() || e.message() == null ? took : took + ": " + e.message();
    }

    static void show(Window owner, Jobs.Ended e) {
        if (owner == null || !owner.isShowing()) {
            return;
        }
        Notifications n = Notifications.create().owner(owner).position(Pos.BOTTOM_RIGHT).title(title(e)).text(text(e))
                .hideAfter(e.ok() || e.cancelled() ? Duration.seconds(6) : Duration.INDEFINITE);
        if (e.ok() || e.cancelled()) {
            n.showInformation();
        } else {
            n.showError();
        }
        // the notice's popup takes its owner scene's stylesheets, Lifeboat's among them (Theme.styleSceneOf)
    }

    static String title(dev.lifeboat.core.model.Alert a) {
        return "Alert: " + a.title();
    }

    static String text(dev.lifeboat.core.model.Alert a) {
        return (a.host() == null ? "" : a.host() + (a.stack() == null ? "" : "/" + a.stack()) + ": ") + a.message();
    }

    /** A new alert: it stays until dismissed, like a failed job; the Alerts tab acknowledges or resolves it. */
    static void show(Window owner, dev.lifeboat.core.model.Alert a) {
        if (owner == null || !owner.isShowing()) {
            return;
        }
        Notifications.create().owner(owner).position(Pos.BOTTOM_RIGHT).title(title(a)).text(text(a))
                .hideAfter(Duration.INDEFINITE).showWarning();
    }
}
