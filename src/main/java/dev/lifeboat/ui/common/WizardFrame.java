package dev.lifeboat.ui.common;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.List;
import java.util.function.Supplier;

/**
 * The frame every wizard shares: one window-modal stage owned by the main window, a step title, the
 * current step's view, and Cancel / Back / Next plus the wizard's finishing button on the last step.
 * Back and Next only swap the view; Next is enabled by the step's own {@code complete} value. The list
 * of steps is asked for again on every move, so a choice (say, local Docker or SSH) can skip steps.
 */
public final class WizardFrame {
    /** One step: a title, its view (built when the step is entered) and when it is complete. */
    public interface Step {
        String title();

        Node view();

        ObservableBooleanValue complete();
    }

    /** A step from its parts. */
    public static Step step(String title, Supplier<Node> view, ObservableBooleanValue complete) {
        return new Step() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public Node view() {
                return view.get();
            }

            @Override
            public ObservableBooleanValue complete() {
                return complete;
            }
        };
    }

    private final Stage stage = new Stage();
    private final BorderPane root = new BorderPane();
    private final Label stepTitle = new Label();
    private final Button back = new Button("Back");
    private final Button next = new Button("Next");
    private final Button cancel = new Button("Cancel");
    private final Button finish;
    private final Supplier<List<Step>> steps;
    private Step current;

    public WizardFrame(Window owner, String title, String finishText, Supplier<List<Step>> steps) {
        this.steps = steps;
        this.finish = new Button(finishText);
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(title);
        back.setId("wizard-back");
        next.setId("wizard-next");
        cancel.setId("wizard-cancel");
        finish.setId("wizard-finish");
        next.setDefaultButton(true);
        cancel.setCancelButton(true);
        finish.getStyleClass().add("accent");
        stepTitle.getStyleClass().add("section-title");
        stepTitle.setId("wizard-step");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, cancel, spacer, back, next, finish);
        buttons.setPadding(new Insets(12));
        root.setTop(new VBox(stepTitle));
        BorderPane.setMargin(root.getTop(), new Insets(12, 12, 0, 12));
        root.setBottom(buttons);
        back.setOnAction(e -> move(-1));
        next.setOnAction(e -> move(1));
        cancel.setOnAction(e -> stage.close());
        Scene scene = new Scene(root, 780, 560);
        scene.getStylesheets().add(Theme.stylesheet());
        stage.setScene(scene);
    }

    /** What the finishing button (shown on the last step, enabled once it is complete) does. */
    public void onFinish(Runnable action) {
        finish.setOnAction(e -> action.run());
    }

    /** Shows the first step. */
    public void start() {
        show(steps.get().get(0));
    }

    public Stage stage() {
        return stage;
    }

    /** The title of the step on screen. */
    public String currentStep() {
        return current == null ? "" : current.title();
    }

    /** While the wizard finishes (a save in the background), nothing can be pressed twice. */
    public void busy(boolean busy) {
        finish.disableProperty().unbind();
        if (busy) {
            finish.setDisable(true);
        } else {
            finish.disableProperty().bind(Bindings.createBooleanBinding(() -> !current.complete().get(), current.complete()));
        }
        back.setDisable(busy || index() == 0);
        cancel.setDisable(busy);
    }

    private int index() {
        List<String> titles = steps.get().stream().map(Step::title).toList();
        return Math.max(0, titles.indexOf(current.title()));
    }

    private void move(int delta) {
        List<Step> all = steps.get();
        int to = index() + delta;
        if (to >= 0 && to < all.size()) {
            show(all.get(to));
        }
    }

    private void show(Step step) {
        current = step;
        List<Step> all = steps.get();
        int i = index();
        stepTitle.setText("Step " + (i + 1) + " of " + all.size() + ": " + step.title());
        Node view = step.view();
        root.setCenter(view);
        BorderPane.setMargin(view, new Insets(12));
        boolean last = i == all.size() - 1;
        next.disableProperty().unbind();
        next.disableProperty().bind(Bindings.createBooleanBinding(() -> !step.complete().get(), step.complete()));
        next.setVisible(!last);
        next.setManaged(!last);
        finish.setVisible(last);
        finish.setManaged(last);
        busy(false);
    }
}
