package dev.lifeboat.ui.drillwizard;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.Units;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.proof.DrillReport;
import dev.lifeboat.core.proof.DrillService;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.WizardFrame;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * "Record a manual drill": a drill done by hand, outside Lifeboat (a recovery on spare hardware, say),
 * entered afterwards: scenario, when it started, each phase with its measured time, the data lost
 * (RPO), the result and notes. Saved through the core's {@link DrillService#recordManual}; the RTO is
 * the sum of the phases, as for drills Lifeboat runs itself.
 */
public final class ManualDrillForm {
    /** One phase row: its name and the time it took ("25m", "1h30m" is not accepted: "90m"). */
    record Phase(StringProperty name, StringProperty took) {
        Optional<Duration> duration() {
            try {
                Duration d = StackSettings.parseDuration(took.get());
                return d.isNegative() ? Optional.empty() : Optional.of(d);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    private final AppContext app;
    private final Jobs jobs;
    private final String host;
    private final String stack;
    private final WizardFrame frame;
    final StringProperty scenario = new SimpleStringProperty("complete-failure");
    final ObjectProperty<LocalDate> date = new SimpleObjectProperty<>(LocalDate.now());
    final StringProperty time = new SimpleStringProperty("09:00");
    final ObservableList<Phase> phases = FXCollections.observableArrayList();
    final StringProperty dataLost = new SimpleStringProperty("");
    final BooleanProperty passed = new SimpleBooleanProperty(true);
    final StringProperty notes = new SimpleStringProperty("");
    private final Label error = new Label();

    public ManualDrillForm(Window owner, AppContext app, Jobs jobs, String host, String stack, Consumer<DrillReport> recorded) {
        this.app = app;
        this.jobs = jobs;
        this.host = host;
        this.stack = stack;
        for (String p : List.of("assessment", "restore", "verification")) {
            phases.add(new Phase(new SimpleStringProperty(p), new SimpleStringProperty("")));
        }
        BooleanBinding phasesComplete = Bindings.createBooleanBinding(() -> date.get() != null && startedAt().isPresent()
                        && !phases.isEmpty() && phases.stream().allMatch(p -> !p.name().get().isBlank() && p.duration().isPresent()),
                phases, date, time);
        BooleanBinding resultComplete = Bindings.createBooleanBinding(() -> dataLost.get().isBlank() || rpo().isPresent(), dataLost);
        List<WizardFrame.Step> steps = List.of(
                WizardFrame.step("Scenario and phases", () -> phasesStep(phasesComplete), phasesComplete),
                WizardFrame.confirm("Result and notes", this::resultStep, resultComplete, "Record drill", "wizard-finish",
                        () -> save(recorded)));
        frame = new WizardFrame(owner, "Record a manual drill of " + host + "/" + stack, () -> steps);
        frame.start();
    }

    public WizardFrame frame() {
        return frame;
    }

    private Optional<Instant> startedAt() {
        try {
            return Optional.of(date.get().atTime(LocalTime.parse(time.get().trim())).atZone(ZoneId.systemDefault()).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Duration> rpo() {
        try {
            return Optional.of(StackSettings.parseDuration(dataLost.get()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Node phasesStep(BooleanBinding complete) {
        ComboBox<String> scenarioBox = new ComboBox<>(FXCollections.observableArrayList(DrillService.SCENARIOS));
        scenarioBox.setId("manual-scenario");
        scenarioBox.valueProperty().bindBidirectional(scenario);
        DatePicker day = new DatePicker();
        day.setId("manual-date");
        day.valueProperty().bindBidirectional(date);
        TextField at = new TextField();
        at.setId("manual-time");
        at.setPrefColumnCount(5);
        at.textProperty().bindBidirectional(time);
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Scenario"), scenarioBox);
        grid.addRow(1, new Label("Started"), new HBox(8, day, at));
        VBox rows = new VBox(6);
        Runnable fill = () -> {
            rows.getChildren().clear();
            for (int i = 0; i < phases.size(); i++) {
                Phase p = phases.get(i);
                TextField name = new TextField();
                name.setId("manual-phase-" + i);
                name.textProperty().bindBidirectional(p.name());
                TextField took = new TextField();
                took.setId("manual-took-" + i);
                took.setPromptText("25m");
                took.setPrefColumnCount(6);
                took.textProperty().bindBidirectional(p.took());
                took.textProperty().addListener((o, a, b) -> complete.invalidate());
                name.textProperty().addListener((o, a, b) -> complete.invalidate());
                Button remove = new Button("Remove");
                remove.setOnAction(e -> phases.remove(p));
                HBox row = new HBox(8, name, took, remove);
                HBox.setHgrow(name, Priority.ALWAYS);
                rows.getChildren().add(row);
            }
        };
        phases.addListener((javafx.collections.ListChangeListener<Phase>) c -> fill.run());
        fill.run();
        Button add = new Button("Add phase");
        add.setId("manual-add-phase");
        add.setOnAction(e -> phases.add(new Phase(new SimpleStringProperty(""), new SimpleStringProperty(""))));
        return new VBox(10, grid, new Label("Phases and the time each took (e.g. 10m, 1h, 45s); the RTO is their sum:"), rows, add);
    }

    private Node resultStep() {
        RadioButton pass = Forms.radio("manual-pass", "Passed: the stack came back and its data checked out");
        RadioButton fail = Forms.radio("manual-fail", "Failed");
        Forms.either(passed, pass, fail);
        TextField lost = new TextField();
        lost.setId("manual-rpo");
        lost.setPromptText("e.g. 4h: the age of the point you recovered from");
        lost.textProperty().bindBidirectional(dataLost);
        TextArea area = new TextArea();
        area.setId("manual-notes");
        area.setPromptText("Notes and issues found");
        area.textProperty().bindBidirectional(notes);
        VBox.setVgrow(area, Priority.ALWAYS);
        Duration rto = phases.stream().map(Phase::duration).flatMap(Optional::stream).reduce(Duration.ZERO, Duration::plus);
        Label measured = Forms.hint("Measured RTO " + Units.duration(rto) + ".");
        jobs.read(() -> app.history().plans().settings(host, stack), targets -> measured.setText("Measured RTO "
                + Units.duration(rto) + " against the target " + Units.duration(targets.rto())
                + (rto.compareTo(targets.rto()) <= 0 ? " (met)" : " (missed)") + "."), e -> { });
        error.setId("manual-error");
        error.getStyleClass().add("danger-text");
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Data lost (RPO)"), lost);
        return new VBox(10, measured, pass, fail, grid, new Label("Notes and issues found"), area, error);
    }

    private void save(Consumer<DrillReport> recorded) {
        Instant started = startedAt().orElseThrow();
        List<RunStep> steps = new ArrayList<>();
        for (Phase p : phases) {
            steps.add(new RunStep(p.name().get().trim(), p.duration().orElseThrow().toMillis(), null, "ok", null));
        }
        Duration rpo = dataLost.get().isBlank() ? null : rpo().orElseThrow();
        String s = scenario.get();
        boolean ok = passed.get();
        String text = notes.get();
        frame.busy(true);
        jobs.submit("Record drill of " + host + "/" + stack, p -> app.drills().recordManual(host, stack, s, started, steps, ok, rpo,
                text), r -> {
                    frame.stage().close();
                    recorded.accept(r);
                }, e -> {
                    error.setText("The drill was not recorded: " + e.getMessage());
                    frame.busy(false);
                });
    }
}
