package dev.lifeboat.ui.shell;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The console's first view: a greeting, what the history holds, and the latest recovery points.
 * It only shows state; loading happens off the FX thread in {@link ConsoleApp}.
 */
public final class ShellView {
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Opening history…");
    private final ObservableList<String> points = FXCollections.observableArrayList();
    private final VBox root;

    public ShellView() {
        Label title = new Label("Hello from Lifeboat");
        title.setId("title");
        title.setStyle("-fx-font-size: 24px; -fx-font-weight: bold;");
        Label subtitle = new Label("Backups you have proven, for your Docker hosts.");
        Label statusLabel = new Label();
        statusLabel.setId("status");
        statusLabel.textProperty().bind(status);
        Label recent = new Label("Latest recovery points");
        recent.setStyle("-fx-font-weight: bold;");
        ListView<String> list = new ListView<>(points);
        list.setId("points");
        list.setPlaceholder(new Label("No backups yet. Run: lifeboat backup HOST/STACK --to DEST"));
        VBox.setVgrow(list, Priority.ALWAYS);
        root = new VBox(10, title, subtitle, statusLabel, recent, list);
        root.setPadding(new Insets(24));
    }

    public Parent root() {
        return root;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Called on the FX thread with what the background load found. */
    void show(String summary, List<String> latestPoints) {
        status.set(summary);
        points.setAll(latestPoints);
    }

    void failed(String message) {
        status.set("Could not open the history: " + message);
    }
}
