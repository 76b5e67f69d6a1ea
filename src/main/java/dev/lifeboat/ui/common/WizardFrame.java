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
import org.controlsfx.control.BreadCrumbBar;

import java.util.List;
import java.util.function.Supplier;

/**
 * The frame every wizard shares: one window-modal stage owned by the main window, a step title, the
 * current step's view, and Cancel / Back / Next. Back and Next only swap the view; a step's own
 * {@code complete} value enables Next. A confirming step shows its action button (Restore, Run drill,
 * Save plan) instead of Next; an outcome step (progress, result) is shown by the wizard's code once the
 * action runs, and from then on there is no way back, and Cancel becomes Close (disabled while the
 * outcome step is not complete, i.e. while the work runs). The list of steps is asked for again on every
 * move, so a choice (say, local Docker or SSH) can skip steps. Above the step, a bar of crumbs names the
 * steps taken so far; clicking one goes back to it, as far as Back could.
 */
public final class WizardFrame {
    /** What a step is for: input (Next), confirming (its action), or outcome (shown by the wizard). */
    public enum Kind { INPUT, CONFIRM, OUTCOME }

    /** One step: a title, its view (built when the step is entered), when it is complete, and its kind. */
    public record Step(String title, Supplier<Node> view, ObservableBooleanValue complete, Kind kind, String actionText,
                       String actionId, Runnable action) {
    }

    public static Step step(String title, Supplier<Node> view, ObservableBooleanValue complete) {
        return new Step(title, view, complete, Kind.INPUT, null, null, null);
    }

    /** A step whose button ({@code actionText}, id {@code actionId}) runs {@code action} once complete. */
    public static Step confirm(String title, Supplier<Node> view, ObservableBooleanValue complete, String actionText,
                               String actionId, Runnable action) {
        return new Step(title, view, complete, Kind.CONFIRM, actionText, actionId, action);
    }

    /** A step the wizard shows itself after an action; {@code done} enables Close. */
    public static Step outcome(String title, Supplier<Node> view, ObservableBooleanValue done) {
        return new Step(title, view, done, Kind.OUTCOME, null, null, null);
    }

    private final Stage stage = new Stage();
    private final BorderPane root = new BorderPane();
    private final Label stepTitle = new Label();
    private final BreadCrumbBar<String> crumbs = new BreadCrumbBar<>();
    private final Button back = new Button("Back");
    private final Button next = new Button("Next");
    private final Button cancel = new Button("Cancel");
    private final Button action = new Button();
    private final Supplier<List<Step>> steps;
    private Step current;
    private volatile String shown = "";
    private boolean busy;

    public WizardFrame(Window owner, String title, Supplier<List<Step>> steps) {
        this.steps = steps;
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(title);
        back.setId("wizard-back");
        next.setId("wizard-next");
        cancel.setId("wizard-cancel");
        next.setDefaultButton(true);
        cancel.setCancelButton(true);
        stepTitle.getStyleClass().add("section-title");
        stepTitle.setId("wizard-step");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, cancel, spacer, back, next, action);
        buttons.setPadding(new Insets(12));
        crumbs.setId("wizard-crumbs");
        crumbs.setAutoNavigationEnabled(false);
        crumbs.setFocusTraversable(false);
        crumbs.setOnCrumbAction(e -> backTo(e.getSelectedCrumb().getValue()));
        root.setTop(new VBox(6, crumbs, stepTitle));
        BorderPane.setMargin(root.getTop(), new Insets(12, 12, 0, 12));
        root.setBottom(buttons);
        back.setOnAction(e -> move(-1));
        next.setOnAction(e -> move(1));
        cancel.setOnAction(e -> stage.close());
        action.setOnAction(e -> current.action().run());
        Scene scene = new Scene(root, 780, 560);
        scene.getStylesheets().add(Theme.stylesheet());
        stage.setScene(scene);
    }

    /** Shows the first step. */
    public void start() {
        show(steps.get().get(0));
    }

    public Stage stage() {
        return stage;
    }

    /**
     * The title of the step on screen: set only once the step's view is in the scene and its buttons are
     * set, so whoever waits for a step (a test, from another thread) finds its nodes there.
     */
    public String currentStep() {
        return shown;
    }

    /** The action button, for a wizard's own look (e.g. a red Restore). */
    public Button actionButton() {
        return action;
    }

    /** Shows the step titled {@code title} (an outcome step, after the wizard's action started). */
    public void show(String title) {
        steps.get().stream().filter(s -> s.title().equals(title)).findFirst().ifPresent(this::show);
    }

    /** While the action's work starts in the background, nothing can be pressed twice. */
    public void busy(boolean isBusy) {
        busy = isBusy;
        buttons();
    }

    private int index() {
        return Math.max(0, steps.get().stream().map(Step::title).toList().indexOf(current.title()));
    }

    private void move(int delta) {
        if (delta > 0 && (current.kind() != Kind.INPUT || !current.complete().get())) {
            return; // Enter on a confirming or outcome step never skips past it
        }
        List<Step> all = steps.get();
        int to = index() + delta;
        if (to >= 0 && to < all.size()) {
            show(all.get(to));
        }
    }

    /** Goes back to an earlier step by its crumb, where Back would get to it: never past an action, never while busy. */
    private void backTo(String title) {
        List<String> titles = steps.get().stream().map(Step::title).toList();
        int to = titles.indexOf(title);
        if (to < 0 || to >= index() || back.isDisabled()) {
            return;
        }
        show(steps.get().get(to));
    }

    /** The crumbs on screen, first to current (for tests and screen readers). */
    public List<String> crumbs() {
        List<String> path = new java.util.ArrayList<>();
        for (javafx.scene.control.TreeItem<String> t = crumbs.getSelectedCrumb(); t != null; t = t.getParent()) {
            path.add(0, t.getValue());
        }
        return path;
    }

    private void show(Step step) {
        current = step;
        List<Step> all = steps.get();
        stepTitle.setText("Step " + (index() + 1) + " of " + all.size() + ": " + step.title());
        String[] path = all.subList(0, index() + 1).stream().map(Step::title).toArray(String[]::new);
        javafx.scene.control.TreeItem<String> last = BreadCrumbBar.buildTreeModel(path);
        crumbs.setSelectedCrumb(last);
        Node view = step.view().get();
        root.setCenter(view);
        BorderPane.setMargin(view, new Insets(12));
        busy = false;
        buttons();
        // A control's children (a ScrollPane's content, a TabPane's tabs) join the scene graph only when its
        // skin is made, at the next CSS pass; make it now, so the step's nodes are there when it is reported shown.
        root.applyCss();
        root.layout();
        shown = step.title(); // last: the step is shown (a volatile write publishes the scene changes above)
    }

    private void buttons() {
        Step step = current;
        List<Step> all = steps.get();
        int i = index();
        boolean pastAction = all.subList(0, i + 1).stream().anyMatch(s -> s.kind() == Kind.OUTCOME);
        boolean last = i == all.size() - 1;
        boolean showNext = step.kind() == Kind.INPUT && !last;
        next.setVisible(showNext);
        next.setManaged(showNext);
        next.setDefaultButton(showNext);
        next.disableProperty().unbind();
        next.disableProperty().bind(Bindings.createBooleanBinding(() -> !step.complete().get(), step.complete()));
        boolean showAction = step.kind() == Kind.CONFIRM;
        action.setVisible(showAction);
        action.setManaged(showAction);
        action.disableProperty().unbind();
        if (showAction) {
            action.setText(step.actionText());
            action.setId(step.actionId());
            if (busy) {
                action.setDisable(true);
            } else {
                action.disableProperty().bind(Bindings.createBooleanBinding(() -> !step.complete().get(), step.complete()));
            }
        }
        back.setDisable(busy || i == 0 || pastAction);
        cancel.setText(pastAction ? "Close" : "Cancel");
        cancel.disableProperty().unbind();
        if (step.kind() == Kind.OUTCOME) {
            cancel.disableProperty().bind(Bindings.createBooleanBinding(() -> !step.complete().get(), step.complete()));
        } else {
            cancel.setDisable(busy);
        }
    }
}
