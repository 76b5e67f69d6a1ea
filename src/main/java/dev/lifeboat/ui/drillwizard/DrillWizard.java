package dev.lifeboat.ui.drillwizard;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.Units;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.proof.DrillReport;
import dev.lifeboat.core.proof.DrillReports;
import dev.lifeboat.core.proof.DrillService;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.WizardFrame;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The DR drill wizard: scenario → target (sandbox, or in place with the production phrase) → run with
 * live phase timers → result (measured RTO and RPO against the targets, checks) → notes, issues found
 * and the next drill date, saved with the drill; the report can be exported. All work is the core's
 * {@link DrillService}, in the background.
 */
public final class DrillWizard {
    static final String[] STEPS = {"Scenario", "Target", "Run", "Result", "Notes"};
    private final AppContext app;
    private final Jobs jobs;
    private final String host;
    private final String stack;
    private final WizardFrame frame;
    final StringProperty scenario = new SimpleStringProperty("complete-failure");
    final SimpleBooleanProperty inPlace = new SimpleBooleanProperty(false);
    final StringProperty phrase = new SimpleStringProperty("");
    final ObservableList<String> phases = FXCollections.observableArrayList();
    final StringProperty current = new SimpleStringProperty("");
    final ObjectProperty<DrillReport> report = new SimpleObjectProperty<>();
    final StringProperty notes = new SimpleStringProperty("");
    /** The run is over (the report is in, or it failed): Close is enabled. */
    final SimpleBooleanProperty finished = new SimpleBooleanProperty(false);
    private DatePicker nextDate;
    private long started;

    public DrillWizard(Window owner, AppContext app, Jobs jobs, String host, String stack) {
        this.app = app;
        this.jobs = jobs;
        this.host = host;
        this.stack = stack;
        var canRun = Bindings.createBooleanBinding(() -> !inPlace.get()
                || ConfirmationPolicy.PRODUCTION_PHRASE.equals(phrase.get()), inPlace, phrase);
        var always = Bindings.createBooleanBinding(() -> true);
        List<WizardFrame.Step> steps = List.of(
                WizardFrame.step(STEPS[0], this::scenarioStep, always),
                WizardFrame.confirm(STEPS[1], this::targetStep, canRun, "Run drill", "drill-run", this::start),
                WizardFrame.outcome(STEPS[2], this::runStep, finished),
                WizardFrame.step(STEPS[3], this::resultStep, always),
                WizardFrame.confirm(STEPS[4], this::notesStep, always, "Save", "drill-save", this::save));
        frame = new WizardFrame(owner, "DR drill of " + host + "/" + stack, () -> steps);
        frame.start();
    }

    public Stage stage() {
        return frame.stage();
    }

    /** The step on screen, 0 to 4 as in {@link #STEPS}. */
    public int step() {
        return List.of(STEPS).indexOf(frame.currentStep());
    }

    private Node scenarioStep() {
        ToggleGroup g = new ToggleGroup();
        VBox box = new VBox(8, new Label("Which disaster do you rehearse?"));
        for (String s : DrillService.SCENARIOS) {
            RadioButton r = new RadioButton(switch (s) {
                case "database-corruption" -> "Database corruption: the database volume is destroyed; restore the databases";
                case "complete-failure" -> "Complete failure: containers, volumes and config are gone; rebuild from backup";
                case "accidental-deletion" -> "Accidental deletion: rows deleted from a table; restore that table";
                default -> "Redis loss: the Redis data is gone; restore it";
            });
            r.setId("scenario-" + s);
            r.setToggleGroup(g);
            r.setSelected(s.equals(scenario.get()));
            r.setOnAction(e -> scenario.set(s));
            box.getChildren().add(r);
        }
        return box;
    }

    private Node targetStep() {
        RadioButton sandbox = Forms.radio("drill-sandbox", "In a sandbox copy of the stack (production untouched)");
        RadioButton live = Forms.radio("drill-in-place", "In place, on the live stack (a real restore with safety backup)");
        Forms.either(inPlace, live, sandbox);
        TextField confirm = new TextField();
        confirm.setId("drill-phrase");
        confirm.setPromptText(ConfirmationPolicy.PRODUCTION_PHRASE);
        confirm.textProperty().bindBidirectional(phrase);
        confirm.disableProperty().bind(inPlace.not());
        return new VBox(8, new Label("Where?"), sandbox, live, new Label("In place needs the exact phrase "
                + ConfirmationPolicy.PRODUCTION_PHRASE + ":"), confirm);
    }

    private Node runStep() {
        ListView<String> list = new ListView<>(phases);
        list.setId("drill-phases");
        Label now = new Label();
        now.setId("drill-current");
        now.textProperty().bind(current);
        VBox.setVgrow(list, Priority.ALWAYS);
        return new VBox(8, now, list);
    }

    private void start() {
        frame.show(STEPS[2]);
        started = System.nanoTime();
        javafx.animation.Timeline timer = new javafx.animation.Timeline(new javafx.animation.KeyFrame(
                javafx.util.Duration.millis(250), e -> {
                    String text = current.get().replaceAll(" · [0-9.]+ s$", "");
                    current.set(text + String.format(Locale.ROOT, " · %.1f s", (System.nanoTime() - started) / 1e9));
                }));
        timer.setCycleCount(javafx.animation.Animation.INDEFINITE);
        timer.play();
        DrillService.Request req = new DrillService.Request(host, stack, scenario.get(), inPlace.get(),
                inPlace.get() ? phrase.get() : null, null, null);
        long[] phaseStart = {System.nanoTime()};
        jobs.submit("Drill " + scenario.get() + " of " + host + "/" + stack,
                () -> app.history().runs().typicalDuration("drill", host, stack).orElse(null), progress -> app.drills().run(req, (ph, msg) -> {
            progress.phase(ph, msg);
            long t = System.nanoTime();
            long ms = (t - phaseStart[0]) / 1_000_000;
            phaseStart[0] = t;
            Platform.runLater(() -> {
                if (!phases.isEmpty()) {
                    int last = phases.size() - 1;
                    phases.set(last, phases.get(last) + String.format(Locale.ROOT, "  (%.1f s)", ms / 1000.0));
                }
                phases.add(ph);
                current.set(msg);
            });
        }), r -> {
            timer.stop();
            report.set(r);
            finished.set(true);
            frame.show(STEPS[3]);
        }, e -> {
            timer.stop();
            current.set("The drill could not run: " + e.getMessage());
            finished.set(true);
        });
    }

    private Node resultStep() {
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(DrillResultView.of(report.get()));
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        return new VBox(scroll);
    }

    private Node notesStep() {
        TextArea area = new TextArea();
        area.setId("drill-notes");
        area.setPromptText("Notes and issues found (e.g. the runbook missed the Redis password step)");
        area.textProperty().bindBidirectional(notes);
        nextDate = new DatePicker(report.get().nextDue());
        nextDate.setId("drill-next-date");
        Button export = new Button("Save and export report…");
        export.setId("drill-export");
        Label exported = new Label();
        exported.setId("drill-exported");
        exported.setWrapText(true);
        export.setOnAction(e -> {
            javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
            chooser.setInitialFileName("drills-" + host + "-" + stack + ".html");
            chooser.getExtensionFilters().addAll(new javafx.stage.FileChooser.ExtensionFilter("HTML", "*.html"),
                    new javafx.stage.FileChooser.ExtensionFilter("Markdown", "*.md"));
            java.io.File file = chooser.showSaveDialog(frame.stage());
            if (file != null) {
                exportTo(file.toPath(), exported::setText);
            }
        });
        return new VBox(8, new Label("Notes and issues found"), area, new Label("Next drill"), nextDate,
                new HBox(8, export, exported));
    }

    /** Saves the notes and the next date, then writes the stack's drill report (HTML for .html, else Markdown). */
    public void exportTo(Path file, java.util.function.Consumer<String> said) {
        DrillReport r = report.get();
        java.time.LocalDate due = nextDate.getValue() == null ? r.nextDue() : nextDate.getValue();
        String text = notes.get();
        jobs.submit("Export drill report", p -> {
            app.history().proof().annotateDrill(r.id(), text, due);
            try {
                exportReport(file);
            } catch (IOException ex) {
                throw new dev.lifeboat.core.LifeboatException("Cannot write " + file + ": " + ex.getMessage(), ex);
            }
            return file;
        }, f -> said.accept("Saved; report written to " + f), ex -> said.accept("Not exported: " + ex.getMessage()));
    }

    private void save() {
        DrillReport r = report.get();
        java.time.LocalDate due = nextDate.getValue() == null ? r.nextDue() : nextDate.getValue();
        String text = notes.get();
        jobs.submit("Save drill notes", p -> {
            app.history().proof().annotateDrill(r.id(), text, due);
            return r.id();
        }, id -> frame.stage().close(), e -> current.set("Could not save: " + e.getMessage()));
    }

    /** Writes the stack's drill report (Markdown, or HTML for a .html file). */
    public void exportReport(Path file) throws IOException {
        String body = file.toString().endsWith(".html")
                ? DrillReports.html(app.history(), host, stack, AppContext.VERSION)
                : DrillReports.markdown(app.history(), host, stack, AppContext.VERSION);
        Files.writeString(file, body, StandardCharsets.UTF_8);
    }
}
