package dev.lifeboat.ui.shell;

import dev.lifeboat.ui.common.Jobs;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/** The jobs panel: every running job with its progress, phase, elapsed time against the estimate, and Cancel. */
final class JobsPanel {
    private final VBox root;

    JobsPanel(Jobs jobs) {
        ListView<Jobs.Job> list = new ListView<>(jobs.running());
        list.setId("jobs");
        list.setPrefHeight(96);
        list.setPlaceholder(new Label("No running jobs."));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Jobs.Job job, boolean empty) {
                super.updateItem(job, empty);
                if (empty || job == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                Label name = new Label(job.name());
                name.setMinWidth(260);
                Label phase = new Label();
                phase.textProperty().bind(job.phaseProperty());
                Label elapsed = new Label();
                elapsed.getStyleClass().add("job-elapsed");
                // the estimate arrives from the worker after the job is shown: the text follows it
                elapsed.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
                    java.time.Duration expected = job.expectedProperty().get();
                    return job.elapsedProperty().get() + " s"
                            + (expected == null ? "" : " of about " + Math.max(1, expected.toSeconds()) + " s");
                }, job.elapsedProperty(), job.expectedProperty()));
                ProgressBar bar = new ProgressBar();
                bar.progressProperty().bind(job.progressProperty());
                bar.setPrefWidth(120);
                Button cancel = new Button("Cancel");
                cancel.getStyleClass().add("job-cancel");
                cancel.disableProperty().bind(job.cancelledProperty());
                cancel.setOnAction(e -> job.cancel());
                Region spacer = new Region();
                HBox.setHgrow(spacer, Priority.ALWAYS);
                HBox row = new HBox(10, name, bar, phase, spacer, elapsed, cancel);
                row.setAlignment(Pos.CENTER_LEFT);
                setGraphic(row);
                setText(null);
            }
        });
        javafx.animation.Timeline ticker = new javafx.animation.Timeline(new KeyFrame(Duration.seconds(1), e -> jobs.tick()));
        ticker.setCycleCount(Animation.INDEFINITE);
        ticker.play();
        Label title = new Label("Jobs");
        title.getStyleClass().add("card-title");
        root = new VBox(4, title, list);
        root.setPadding(new Insets(4, 8, 8, 8));
    }

    Parent root() {
        return root;
    }
}
