package dev.lifeboat.ui.drillwizard;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.proof.Check;
import dev.lifeboat.core.proof.DrillReport;
import dev.lifeboat.core.proof.DrillReports;
import dev.lifeboat.core.proof.DrillService;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.Theme;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    private final Stage stage = new Stage();
    private final BorderPane root = new BorderPane();
    private final Label title = new Label();
    private final Button back = new Button("Back");
    private final Button next = new Button("Next");
    private final Button run = new Button("Run drill");
    private final Button save = new Button("Save");
    private final Button close = new Button("Cancel");
    final StringProperty scenario = new SimpleStringProperty("complete-failure");
    final SimpleBooleanProperty inPlace = new SimpleBooleanProperty(false);
    final StringProperty phrase = new SimpleStringProperty("");
    final ObservableList<String> phases = FXCollections.observableArrayList();
    final StringProperty current = new SimpleStringProperty("");
    final ObjectProperty<DrillReport> report = new SimpleObjectProperty<>();
    final StringProperty notes = new SimpleStringProperty("");
    private DatePicker nextDate;
    private int step;
    private long started;

    public DrillWizard(Window owner, AppContext app, Jobs jobs, String host, String stack) {
        this.app = app;
        this.jobs = jobs;
        this.host = host;
        this.stack = stack;
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("DR drill of " + host + "/" + stack);
        title.getStyleClass().add("section-title");
        title.setId("drill-step");
        back.setId("drill-back");
        next.setId("drill-next");
        run.setId("drill-run");
        save.setId("drill-save");
        close.setId("drill-cancel");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, close, spacer, back, next, run, save);
        buttons.setPadding(new Insets(12));
        root.setTop(title);
        BorderPane.setMargin(title, new Insets(12, 12, 0, 12));
        root.setBottom(buttons);
        back.setOnAction(e -> go(step - 1));
        next.setOnAction(e -> go(step + 1));
        run.setOnAction(e -> start());
        save.setOnAction(e -> save());
        close.setOnAction(e -> stage.close());
        run.disableProperty().bind(Bindings.createBooleanBinding(() -> inPlace.get()
                && !ConfirmationPolicy.PRODUCTION_PHRASE.equals(phrase.get()), inPlace, phrase));
        Scene scene = new Scene(root, 760, 520);
        scene.getStylesheets().add(Theme.stylesheet());
        stage.setScene(scene);
        go(0);
    }

    public Stage stage() {
        return stage;
    }

    public int step() {
        return step;
    }

    private void go(int to) {
        if (to < 0 || to >= STEPS.length) {
            return;
        }
        step = to;
        title.setText("Step " + (step + 1) + " of " + STEPS.length + ": " + STEPS[step]);
        Node view = switch (step) {
            case 0 -> scenarioStep();
            case 1 -> targetStep();
            case 2 -> runStep();
            case 3 -> resultStep();
            default -> notesStep();
        };
        root.setCenter(view);
        BorderPane.setMargin(view, new Insets(12));
        back.setDisable(step == 0 || step >= 2);
        next.setVisible(step == 0 || step == 3);
        run.setVisible(step == 1);
        save.setVisible(step == 4);
        close.setText(step >= 3 ? "Close" : "Cancel");
        close.setDisable(step == 2);
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
        RadioButton sandbox = new RadioButton("In a sandbox copy of the stack (production untouched)");
        sandbox.setId("drill-sandbox");
        RadioButton live = new RadioButton("In place, on the live stack (a real restore with safety backup)");
        live.setId("drill-in-place");
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
        go(2);
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
                app.history().typicalDuration("drill", host, stack).orElse(null), progress -> app.drills().run(req, (ph, msg) -> {
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
            go(3);
        }, e -> {
            timer.stop();
            current.set("The drill could not run: " + e.getMessage());
            close.setDisable(false);
        });
    }

    private Node resultStep() {
        DrillReport r = report.get();
        StringBuilder b = new StringBuilder();
        b.append("Drill ").append(r.scenario()).append(" (").append(r.mode()).append("): ").append(r.ok() ? "PASSED" : "FAILED")
                .append("\n\nRTO measured ").append(fmt(r.rto())).append(" against ").append(fmt(r.rtoTarget()))
                .append(r.rtoMet() ? " (met)" : " (missed)").append("\nRPO measured ").append(fmt(r.rpo())).append(" against ")
                .append(fmt(r.rpoTarget())).append(r.rpoMet() ? " (met)" : " (missed)").append("\nPoint ").append(r.pointId())
                .append("\n\nPhases:\n");
        for (RunStep p : r.phases()) {
            b.append(String.format(Locale.ROOT, "  %-20s %7.1f s%n", p.name(), p.durationMs() / 1000.0));
        }
        b.append("\nChecks:\n");
        for (Check c : r.checks()) {
            b.append("  ").append(c.ok() ? "ok    " : "FAIL  ").append(c.name()).append("  ").append(c.detail()).append('\n');
        }
        TextArea area = new TextArea(b.toString());
        area.setId("drill-result");
        area.setEditable(false);
        area.setStyle("-fx-font-family: monospace;");
        VBox.setVgrow(area, Priority.ALWAYS);
        return new VBox(area);
    }

    private Node notesStep() {
        TextArea area = new TextArea();
        area.setId("drill-notes");
        area.setPromptText("Notes and issues found (e.g. the runbook missed the Redis password step)");
        area.textProperty().bindBidirectional(notes);
        nextDate = new DatePicker(report.get().nextDue());
        nextDate.setId("drill-next-date");
        return new VBox(8, new Label("Notes and issues found"), area, new Label("Next drill"), nextDate);
    }

    private void save() {
        DrillReport r = report.get();
        java.time.LocalDate due = nextDate.getValue() == null ? r.nextDue() : nextDate.getValue();
        String text = notes.get();
        jobs.submit("Save drill notes", p -> {
            app.history().annotateDrill(r.id(), text, due);
            return r.id();
        }, id -> stage.close(), e -> current.set("Could not save: " + e.getMessage()));
    }

    /** Writes the stack's drill report (Markdown, or HTML for a .html file). */
    public void exportReport(Path file) throws IOException {
        String body = file.toString().endsWith(".html")
                ? DrillReports.html(app.history(), host, stack, AppContext.VERSION)
                : DrillReports.markdown(app.history(), host, stack, AppContext.VERSION);
        Files.writeString(file, body, StandardCharsets.UTF_8);
    }

    static String fmt(Duration d) {
        if (d == null) {
            return "n/a";
        }
        long s = d.getSeconds();
        return s < 120 ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0) : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }
}
