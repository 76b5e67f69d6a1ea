package dev.lifeboat.ui.common;

import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.Window;

/**
 * All dialogs go through here, owned by the main window. Errors show the admin's message; the
 * technical detail (the cause chain, never a stack trace) sits behind "Details".
 */
public final class DialogService {
    private final Window owner;

    public DialogService(Window owner) {
        this.owner = owner;
    }

    public Window owner() {
        return owner;
    }

    public void error(String title, Throwable e) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(title);
        alert.setContentText(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        StringBuilder causes = new StringBuilder();
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            causes.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
        }
        if (!causes.isEmpty()) {
            TextArea details = new TextArea(causes.toString());
            details.setEditable(false);
            alert.getDialogPane().setExpandableContent(details);
        }
        alert.show();
    }

    /**
     * Asks before something that cannot be undone; {@code onConfirm} runs (on the FX thread) only when the admin
     * presses {@code action}. The dialog does not block the caller.
     */
    public void confirm(String title, String message, String action, Runnable onConfirm) {
        javafx.scene.control.ButtonType yes = new javafx.scene.control.ButtonType(action,
                javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", yes, javafx.scene.control.ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(title);
        alert.getDialogPane().setContent(wrapped(message));
        alert.setOnHidden(e -> {
            if (alert.getResult() == yes) {
                onConfirm.run();
            }
        });
        alert.show();
    }

    public void info(String title, String message) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(title);
        alert.getDialogPane().setContent(wrapped(message));
        alert.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        alert.show();
    }

    /** A message wrapped at a readable width and sized to it: a long last sentence (where the key must go) is never cut off. */
    private static Label wrapped(String message) {
        Label text = new Label(message);
        text.setWrapText(true);
        text.setMaxWidth(520);
        text.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return text;
    }
}
