package dev.lifeboat.ui.planwizard;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.schedule.PlanService;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.WizardFrame;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The backup-plan wizard: stack and the discovered assets to back up → schedule (presets or cron, the
 * next five runs shown) → retention (GFS presets) → destinations (primary and copies) → encryption
 * key (create or import, with the warning to keep a copy) → RTO/RPO targets → review. Saving goes
 * through the same core {@link PlanService} as {@code lifeboat plan add}; the agent runs the plan.
 */
public final class PlanWizard {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm z");
    private final AppContext app;
    private final Jobs jobs;
    private final PlanWizardModel model = new PlanWizardModel();
    private final WizardFrame frame;
    private final Label saveError = new Label();

    public PlanWizard(Window owner, AppContext app, Jobs jobs, String host, String stack, Consumer<BackupPlan> saved) {
        this.app = app;
        this.jobs = jobs;
        model.newDir.set(app.home().resolve("backups").toString());
        model.keyFile.addListener((o, a, b) -> statKeyFile());
        model.host.addListener((o, a, b) -> discoverStacks());
        model.stack.addListener((o, a, b) -> discoverAssets());
        if (stack != null) {
            model.stacks.setAll(stack);
        }
        model.discovery.set("Reading the hosts and destinations…");
        jobs.read(() -> Map.entry(app.history().hosts().all().stream().map(h -> h.name()).toList(), app.history().destinations().all()),
                r -> {
                    model.hosts.setAll(r.getKey());
                    model.destinations.setAll(r.getValue());
                    model.newDestination.set(model.destinations.isEmpty());
                    if (!model.destinations.isEmpty()) {
                        model.primary.set(model.destinations.get(0));
                    }
                    model.discovery.set(model.hosts.isEmpty() ? "No hosts yet: add a host first (Hosts → Add host)." : "");
                    model.host.set(host != null ? host : model.hosts.isEmpty() ? null : model.hosts.get(0));
                    if (stack != null) {
                        model.stack.set(stack);
                    }
                }, e -> model.discovery.set("Cannot read the history: " + e.getMessage()));
        List<WizardFrame.Step> steps = List.of(
                WizardFrame.step("Stack and assets", this::stackStep, model.stackComplete()),
                WizardFrame.step("Schedule", this::scheduleStep, model.scheduleComplete()),
                WizardFrame.step("Retention", this::retentionStep, model.retentionComplete()),
                WizardFrame.step("Destinations", this::destinationStep, model.destinationComplete()),
                WizardFrame.step("Encryption key", this::keyStep, model.keyComplete()),
                WizardFrame.step("Recovery targets", this::targetsStep, model.targetsComplete()),
                WizardFrame.confirm("Review", this::reviewStep, model.reviewComplete(), "Save plan", "wizard-finish",
                        () -> save(saved)));
        frame = new WizardFrame(owner, "Backup plan", () -> steps);
        frame.start();
    }

    public WizardFrame frame() {
        return frame;
    }

    /** Finds out on a worker what is at the key file's path, for the key step's check. */
    private void statKeyFile() {
        String file = model.keyFile.get().trim();
        model.keyFileState.set(null);
        if (file.isEmpty()) {
            return;
        }
        jobs.read(() -> PlanWizardModel.stat(file), state -> {
            if (file.equals(model.keyFile.get().trim())) {
                model.keyFileState.set(state);
            }
        }, e -> { });
    }

    /** Lists the host's stacks; the chosen stack stays chosen while the host still has it. */
    private void discoverStacks() {
        String h = model.host.get();
        if (h == null) {
            return;
        }
        model.discovery.set("Looking for stacks on " + h + "…");
        jobs.load("Stacks on " + h, p -> {
            try (var docker = app.connector().apply(app.history().hosts().require(h))) {
                return List.copyOf(app.discovery(docker).stacks().keySet());
            }
        }, names -> {
            model.discovery.set(names.isEmpty() ? "No stacks on " + h + " (no containers with a Compose project label)." : "");
            String keep = model.stack.get();
            if (!names.equals(model.stacks)) {
                model.stacks.setAll(names);
            }
            model.stack.set(keep != null && names.contains(keep) ? keep : names.isEmpty() ? null : names.get(0));
        }, e -> model.discovery.set("Cannot list the stacks on " + h + ": " + e.getMessage()));
    }

    private void discoverAssets() {
        String h = model.host.get();
        String s = model.stack.get();
        model.assets.clear();
        model.ticked.clear();
        if (h == null || s == null) {
            return;
        }
        jobs.read(() -> app.history().plans().settings(h, s), settings -> {
            if (s.equals(model.stack.get())) {
                model.rto.set(StackSettings.format(settings.rto()));
                model.rpo.set(StackSettings.format(settings.rpo()));
            }
        }, e -> model.discovery.set("Cannot read the settings of " + s + ": " + e.getMessage()));
        model.discovery.set("Discovering what holds data in " + s + "…");
        jobs.load("Discover " + h + "/" + s, p -> {
            try (var docker = app.connector().apply(app.history().hosts().require(h))) {
                List<Asset> found = app.discovery(docker).discover(s).assets();
                found.forEach(a -> model.descriptions.put(a.name(), a.describe()));
                return found.stream().map(Asset::name).toList();
            }
        }, names -> {
            if (!s.equals(model.stack.get())) {
                return;
            }
            model.ticked.setAll(names);
            model.assets.setAll(names);
            model.discovery.set(names.isEmpty() ? s + " holds no data Lifeboat can see." : "");
        }, e -> model.discovery.set("Cannot discover " + s + ": " + e.getMessage()));
    }

    private Node stackStep() {
        ComboBox<String> host = new ComboBox<>(model.hosts);
        host.setId("plan-host");
        host.valueProperty().bindBidirectional(model.host);
        ComboBox<String> stack = new ComboBox<>(model.stacks);
        stack.setId("plan-stack");
        stack.valueProperty().bindBidirectional(model.stack);
        VBox assets = new VBox(6);
        assets.setId("plan-assets");
        Runnable fill = () -> {
            assets.getChildren().clear();
            for (String a : model.assets) {
                CheckBox box = new CheckBox(a + "   " + model.descriptions.getOrDefault(a, ""));
                box.setMnemonicParsing(false);
                box.setId("asset-" + a.replaceAll("[^A-Za-z0-9_-]", "-"));
                box.setSelected(model.ticked.contains(a));
                box.selectedProperty().addListener((o, was, on) -> {
                    if (on && !model.ticked.contains(a)) {
                        model.ticked.add(a);
                    } else if (!on) {
                        model.ticked.remove(a);
                    }
                });
                assets.getChildren().add(box);
            }
        };
        model.assets.addListener((ListChangeListener<String>) c -> fill.run());
        fill.run();
        Label status = new Label();
        status.textProperty().bind(model.discovery);
        status.setWrapText(true);
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Host"), host);
        grid.addRow(1, new Label("Stack"), stack);
        return new VBox(12, grid, new Label("Back up these assets (untick what needs no backup):"), assets, status);
    }

    private Node scheduleStep() {
        ComboBox<String> preset = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(PlanWizardModel.SCHEDULES.keySet()));
        preset.setId("plan-schedule-preset");
        preset.valueProperty().bindBidirectional(model.schedulePreset);
        TextField cron = Forms.field("plan-cron", model.backupCron);
        cron.editableProperty().bind(model.schedulePreset.isEqualTo(PlanWizardModel.CUSTOM));
        TextField zone = Forms.field("plan-zone", model.zone);
        ListView<String> next = new ListView<>();
        next.setId("plan-next-runs");
        next.setPrefHeight(210);
        Label error = new Label();
        error.setId("plan-cron-error");
        error.getStyleClass().add("danger-text");
        error.setWrapText(true);
        Runnable update = () -> {
            var runs = model.nextRuns();
            ZoneId z = runs.getKey().isEmpty() ? ZoneId.systemDefault() : ZoneId.of(model.zone.get().trim());
            next.getItems().setAll(runs.getKey().stream().map(i -> WHEN.format(i.atZone(z))).toList());
            error.setText(runs.getValue());
        };
        model.backupCron.addListener((o, a, b) -> update.run());
        model.zone.addListener((o, a, b) -> update.run());
        update.run();
        CheckBox restoreTest = new CheckBox("Prove it weekly: a sandbox restore test of the newest point (Sundays 03:30)");
        restoreTest.setId("plan-restore-test");
        restoreTest.selectedProperty().bindBidirectional(model.restoreTest);
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Back up"), preset);
        grid.addRow(1, new Label("Cron"), cron);
        grid.addRow(2, new Label("Time zone"), zone);
        return new VBox(10, grid, error, new Label("Next five backups:"), next, restoreTest,
                Forms.hint("Old points are pruned daily at 04:15 by the retention of the next step."));
    }

    private Node retentionStep() {
        ComboBox<String> preset = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(PlanWizardModel.RETENTION.keySet()));
        preset.setId("plan-retention-preset");
        preset.valueProperty().bindBidirectional(model.retentionPreset);
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Preset"), preset);
        int row = 1;
        for (var e : List.of(java.util.Map.entry("Daily", model.daily), java.util.Map.entry("Weekly", model.weekly),
                java.util.Map.entry("Monthly", model.monthly))) {
            Spinner<Integer> s = new Spinner<>(0, 400, e.getValue().get());
            s.setId("plan-keep-" + e.getKey().toLowerCase(java.util.Locale.ROOT));
            s.setEditable(true);
            s.disableProperty().bind(model.retentionPreset.isNotEqualTo("Custom"));
            e.getValue().addListener((o, a, b) -> s.getValueFactory().setValue(b.intValue()));
            s.valueProperty().addListener((o, a, b) -> e.getValue().set(b));
            grid.addRow(row++, new Label(e.getKey()), s);
        }
        Label summary = new Label();
        summary.textProperty().bind(Bindings.createStringBinding(() -> "Keeps the newest point of each of the last "
                + model.daily.get() + " days, " + model.weekly.get() + " weeks and " + model.monthly.get()
                + " months: at most " + (model.daily.get() + model.weekly.get() + model.monthly.get())
                + " points, plus any point a restore or test is reading.", model.daily, model.weekly, model.monthly));
        summary.setWrapText(true);
        return new VBox(12, grid, summary);
    }

    private Node destinationStep() {
        ToggleGroup primary = new ToggleGroup();
        VBox options = new VBox(6);
        for (DestinationRecord d : model.destinations) {
            RadioButton r = new RadioButton(d.name() + "  (" + d.kind() + ", " + d.location() + ")");
            r.setId("plan-dest-" + d.name());
            r.setToggleGroup(primary);
            r.setSelected(!model.newDestination.get() && d.equals(model.primary.get()));
            r.setOnAction(e -> {
                model.newDestination.set(false);
                model.primary.set(d);
            });
            options.getChildren().add(r);
        }
        RadioButton fresh = Forms.radio("plan-dest-new", "A new local directory");
        fresh.setToggleGroup(primary);
        fresh.setSelected(model.newDestination.get());
        fresh.setOnAction(e -> model.newDestination.set(true));
        TextField name = Forms.field("plan-dest-name", model.newName);
        TextField dir = Forms.field("plan-dest-dir", model.newDir);
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Name"), name);
        grid.addRow(1, new Label("Directory"), dir);
        grid.disableProperty().bind(model.newDestination.not());
        options.getChildren().addAll(fresh, grid);
        VBox copies = new VBox(6);
        for (DestinationRecord d : model.destinations) {
            CheckBox c = new CheckBox(d.name());
            c.setId("plan-copy-" + d.name());
            c.setSelected(model.copies.contains(d.name()));
            c.selectedProperty().addListener((o, was, on) -> {
                if (on) {
                    model.copies.add(d.name());
                } else {
                    model.copies.remove(d.name());
                }
            });
            c.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.newDestination.get()
                    && d.equals(model.primary.get()), model.newDestination, model.primary));
            copies.getChildren().add(c);
        }
        if (model.destinations.isEmpty()) {
            copies.getChildren().add(Forms.hint("None yet: add S3 or SFTP destinations with 'lifeboat dest add' for off-site copies."));
        }
        return new VBox(10, new Label("Primary destination"), options,
                new Label("Copies after each backup (3-2-1: keep one off this machine)"), copies);
    }

    private Node keyStep() {
        if (!model.newDestination.get()) {
            DestinationRecord d = model.primary.get();
            return new VBox(12, Forms.hint("Destination " + d.name() + " encrypts every point with its repository key "
                    + d.keyId() + " (" + d.keyFile() + "). Copies are re-encrypted with their own destination's key."),
                    warning());
        }
        if (model.keyFile.get().isBlank()) {
            model.keyFile.set(app.home().resolve("keys").resolve(model.newName.get().trim() + ".key").toString());
        }
        RadioButton create = Forms.radio("plan-key-create", "Create a new random 256-bit key");
        RadioButton imp = Forms.radio("plan-key-import", "Import a key file I already have");
        Forms.either(model.createKey, create, imp);
        TextField file = Forms.field("plan-key-file", model.keyFile);
        CheckBox stored = new CheckBox("I will store a copy of this key off this machine (password manager or safe)");
        stored.setId("plan-key-stored");
        stored.selectedProperty().bindBidirectional(model.keyStoredSafely);
        stored.disableProperty().bind(model.createKey.not());
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Key file"), file);
        return new VBox(12, create, imp, grid, warning(), stored);
    }

    private static Label warning() {
        Label w = Forms.hint("Without the key no backup can be restored, and nobody can recover it for you. A key kept only "
                + "on the machine you back up is lost with it.");
        w.setId("plan-key-warning");
        w.getStyleClass().add("warning-text");
        return w;
    }

    private Node targetsStep() {
        TextField rto = Forms.field("plan-rto", model.rto);
        TextField rpo = Forms.field("plan-rpo", model.rpo);
        Label check = new Label();
        check.setId("plan-targets-check");
        check.setWrapText(true);
        check.textProperty().bind(Bindings.createStringBinding(() -> {
            var rpoD = PlanWizardModel.duration(model.rpo.get());
            if (PlanWizardModel.duration(model.rto.get()).isEmpty() || rpoD.isEmpty()) {
                return "Give durations such as 30m, 4h or 1d.";
            }
            List<Instant> runs = model.nextRuns().getKey();
            Duration gap = Duration.ZERO;
            for (int i = 1; i < runs.size(); i++) {
                Duration d = Duration.between(runs.get(i - 1), runs.get(i));
                gap = d.compareTo(gap) > 0 ? d : gap;
            }
            return gap.compareTo(rpoD.get()) > 0 ? "Backups up to " + StackSettings.format(gap) + " apart cannot meet an RPO of "
                    + model.rpo.get().trim() + ": back up more often or accept more data loss."
                    : "The schedule meets the RPO. Drills measure the RTO against this target.";
        }, model.rto, model.rpo));
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("RTO (time to recover)"), rto);
        grid.addRow(1, new Label("RPO (data you may lose)"), rpo);
        CheckBox pitr = new CheckBox(model.hasPostgres() ? "Ship the PostgreSQL WAL continuously to the primary destination:"
                + " restore to any second, an RPO of seconds"
                : "Point-in-time recovery needs a PostgreSQL asset, and this stack has none");
        pitr.setId("plan-pitr");
        pitr.setWrapText(true);
        pitr.setDisable(!model.hasPostgres());
        pitr.selectedProperty().bindBidirectional(model.pitr);
        return new VBox(12, grid, check, pitr, Forms.hint("The dashboard turns red when the newest backup is older than the RPO; "
                + "drills and restore tests are measured against both. With the WAL shipped, every backup also takes a base "
                + "backup that the WAL rolls forward from."));
    }

    private Node reviewStep() {
        TextField name = Forms.field("plan-name", model.name);
        BackupPlan p = model.plan();
        StringBuilder b = new StringBuilder();
        b.append("Stack      ").append(p.host()).append('/').append(p.stack()).append('\n')
                .append("Assets     ").append(p.assets().isEmpty() ? "all (" + String.join(", ", model.assets) + ")"
                        : String.join(", ", p.assets())).append('\n')
                .append("Backups    '").append(p.backupCron()).append("' in ").append(p.zone()).append('\n')
                .append("Verify     ").append(p.restoreTest() ? "weekly sandbox restore test" : "off").append('\n')
                .append("Retention  ").append(p.retention()).append('\n')
                .append("Primary    ").append(p.destination()).append(model.newDestination.get()
                        ? " (new: " + model.newDir.get().trim() + ", key " + (model.createKey.get() ? "created in " : "imported from ") + model.keyFile.get().trim() + ")" : "").append('\n')
                .append("Copies     ").append(p.copies().isEmpty() ? "none" : String.join(", ", p.copies())).append('\n')
                .append("Targets    RTO ").append(model.rto.get().trim()).append(", RPO ").append(model.rpo.get().trim()).append('\n')
                .append("PITR       ").append(model.pitr.get() ? "WAL shipped continuously to " + p.destination() : "off")
                .append('\n');
        TextArea summary = new TextArea(b.toString());
        summary.setId("plan-summary");
        summary.setEditable(false);
        summary.setWrapText(true);
        summary.setStyle("-fx-font-family: monospace;");
        VBox.setVgrow(summary, Priority.ALWAYS);
        saveError.setId("plan-error");
        saveError.setWrapText(true);
        saveError.getStyleClass().add("danger-text");
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Plan name"), name);
        return new VBox(10, grid, summary, saveError);
    }

    private void save(Consumer<BackupPlan> saved) {
        BackupPlan plan = model.plan();
        boolean fresh = model.newDestination.get();
        String dir = model.newDir.get().trim();
        Path keyFile = Path.of(model.keyFile.get().trim());
        boolean create = model.createKey.get();
        Duration rto = PlanWizardModel.duration(model.rto.get()).orElseThrow();
        Duration rpo = PlanWizardModel.duration(model.rpo.get()).orElseThrow();
        String actor = app.actor();
        boolean pitr = model.pitr.get();
        frame.busy(true);
        saveError.setText("");
        jobs.submit("Save plan " + plan.name(), p -> {
            if (fresh) {
                if (create) {
                    RepositoryKey.generate(keyFile);
                } else {
                    RepositoryKey.load(keyFile);
                }
                app.repositories().register(new dev.lifeboat.core.storage.Repositories.Registration(plan.destination(), "local",
                        Path.of(dir).normalize().toString(), keyFile.toAbsolutePath().toString()), actor,
                        create ? "(new key)" : "(imported key)");
            }
            if (pitr) {
                try {
                    app.walShipping().enable(plan.host(), plan.stack(), null, plan.destination(), 30, 120, false, null);
                } catch (dev.lifeboat.core.ConfirmationRequiredException restart) {
                    throw new dev.lifeboat.core.LifeboatException(restart.reason() + ". Untick WAL shipping to save the plan without it, then switch it on from the stack's dashboard,"
                            + " where the restart can be confirmed");
                }
            }
            StackSettings s = app.history().plans().settings(plan.host(), plan.stack());
            app.history().plans().saveSettings(s.withTargets(rto, rpo));
            return new PlanService(app.history()).save(plan, actor);
        }, done -> {
            frame.stage().close();
            saved.accept(done);
        }, e -> {
            saveError.setText("The plan was not saved: " + e.getMessage());
            frame.busy(false);
            // a destination registered before the failure is now an existing one to choose
            jobs.read(() -> app.history().destinations().all(), all -> {
                model.destinations.setAll(all);
                model.destinations.stream().filter(d -> d.name().equals(plan.destination())).findFirst().ifPresent(d -> {
                    model.newDestination.set(false);
                    model.primary.set(d);
                });
            }, failure -> { });
        });
    }
}
