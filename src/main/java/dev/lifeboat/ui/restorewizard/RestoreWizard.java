package dev.lifeboat.ui.restorewizard;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.pitr.Coverage;
import dev.lifeboat.core.pitr.PitrRestore;
import dev.lifeboat.core.proof.RestoreTestReport;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.core.restore.RestoreOptions;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreReport;
import dev.lifeboat.core.status.StackStatusService;
import dev.lifeboat.core.verify.VerifyReport;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.WizardFrame;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.CheckBoxTreeItem;
import javafx.scene.control.ListView;
import javafx.scene.control.TreeItem;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The restore wizard: stack → point → scope → target → validation → plan → preview (in place only) →
 * confirmation → progress → result, one view per step in one window-modal stage. Every step calls core services in the background;
 * the production phrase is checked by the core's {@link ConfirmationPolicy}, exactly.
 */
public final class RestoreWizard {
    static final String[] STEPS = {"Stack", "Point", "Scope", "Target", "Validation", "Plan", "Preview", "Confirmation",
        "Progress", "Result"};
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private final AppContext app;
    private final Jobs jobs;
    private final RestoreWizardModel model;
    private final WizardFrame frame;
    private java.util.function.Consumer<String> showActivity;

    public RestoreWizard(Window owner, AppContext app, Jobs jobs, String host, String stack) {
        this(owner, app, jobs, host, stack, null);
    }

    /** With {@code pointId} chosen on the first step (from the timeline), else the newest verified point. */
    public RestoreWizard(Window owner, AppContext app, Jobs jobs, String host, String stack, String pointId) {
        this.app = app;
        this.jobs = jobs;
        this.model = new RestoreWizardModel(host, stack);
        jobs.read(() -> Map.entry(new StackStatusService(app.history(), Clock.systemUTC()).knownStacks().stream()
                .map(hs -> hs[0] + "/" + hs[1]).toList(), app.history().hosts().all()), r -> {
                    model.stacks.setAll(r.getKey());
                    model.hosts.setAll(r.getValue());
                }, e -> model.validation.set("Cannot read the history: " + e.getMessage()));
        load(pointId);
        model.chosen.addListener((o, a, b) -> load(null));
        List<WizardFrame.Step> steps = List.of(
                WizardFrame.step(STEPS[0], this::stackStep, model.stepComplete(0)),
                WizardFrame.step(STEPS[1], this::pointStep, model.stepComplete(1)),
                WizardFrame.step(STEPS[2], this::scopeStep, model.stepComplete(2)),
                WizardFrame.step(STEPS[3], this::targetStep, model.stepComplete(3)),
                WizardFrame.step(STEPS[4], () -> {
                    validate();
                    return text(model.validation, "validation");
                }, model.stepComplete(4)),
                WizardFrame.step(STEPS[5], () -> {
                    plan();
                    return planStep();
                }, model.stepComplete(5)),
                WizardFrame.step(STEPS[6], this::previewStep, previewDone),
                WizardFrame.confirm(STEPS[7], this::confirmStep, model.canRestore(), "Restore", "wizard-restore", this::start),
                WizardFrame.outcome(STEPS[8], this::progressStep, model.done),
                WizardFrame.outcome(STEPS[9], this::resultStep, model.done));
        // the preview reads the live stack a restore in place replaces; elsewhere there is nothing live to compare
        frame = new WizardFrame(owner, "Restore", () -> inPlace() ? steps
                : steps.stream().filter(st -> !st.title().equals(STEPS[6])).toList());
        frame.actionButton().getStyleClass().add("danger");
        frame.start();
    }

    public Stage stage() {
        return frame.stage();
    }

    /** The point chosen on the point step. */
    public String pointId() {
        return model.point.get() == null ? null : model.point.get().id();
    }

    private boolean inPlace() {
        return model.target.get() == RestoreWizardModel.Target.IN_PLACE && !model.toAMoment();
    }

    /** The step on screen, 0 to 9 as in {@link #STEPS}. */
    public int step() {
        return List.of(STEPS).indexOf(frame.currentStep());
    }

    /** The chosen stack's points; {@code pointId} chosen if given, else the newest verified one. */
    private void load(String pointId) {
        model.point.unbind();
        if (model.chosen.get() == null) {
            model.points.clear();
            model.point.set(null);
            return;
        }
        String host = model.host();
        String stack = model.stack();
        String chosen = model.chosen.get();
        jobs.read(() -> new Loaded(app.history().points().of(host, stack), app.history().runs().provenPoints("verify"),
                        app.history().runs().provenPoints("restore-test"),
                        app.history().pitr().of(host, stack).stream().map(c -> Coverage.of(app.history().pitr(), c)).toList(),
                        app.timeline(host, stack, null, java.time.Instant.now())),
                r -> {
                    if (chosen.equals(model.chosen.get())) {
                        show(r, pointId);
                        model.coverages.setAll(r.coverages());
                        model.walAsset.set(r.coverages().isEmpty() ? null : r.coverages().get(0));
                        model.moment.set(model.walAsset.get() == null ? null : model.walAsset.get().newest().orElse(null));
                    }
                }, e -> model.validation.set("Cannot read the points of " + chosen + ": " + e.getMessage()));
    }

    /** What the wizard reads of a stack: its points, those proven, and the moments its PostgreSQL can be restored to. */
    private record Loaded(List<RecoveryPoint> points, Set<String> verified, Set<String> tested, List<Coverage> coverages,
                          dev.lifeboat.core.status.Timeline timeline) {
    }

    /** What the point table shows beside each point: proven how, and where it is held. */
    private Loaded loaded = new Loaded(List.of(), Set.of(), Set.of(), List.of(), null);
    private final javafx.beans.property.StringProperty recommendation = new javafx.beans.property.SimpleStringProperty("");

    private void show(Loaded r, String pointId) {
        loaded = r;
        List<RecoveryPoint> unique = new ArrayList<>(r.points().stream().collect(Collectors.toMap(RecoveryPoint::id, p -> p,
                (a, b) -> a, java.util.LinkedHashMap::new)).values());
        unique.sort(Comparator.comparing(RecoveryPoint::createdAt).reversed());
        java.util.Optional<RecoveryPoint> recommended = unique.stream().filter(p -> !p.isSafety()
                && (r.tested().contains(p.id()) || r.verified().contains(p.id()))).findFirst();
        recommendation.set(recommended.map(p -> "Recommended: " + p.id() + ", the newest point that was "
                + (r.tested().contains(p.id()) ? "restore-tested" : "verified") + ".")
                .orElse(unique.isEmpty() ? "" : "No point is verified yet: the newest is chosen; the validation step verifies it."));
        model.points.setAll(unique);
        model.point.set(unique.stream().filter(p -> p.id().equals(pointId)).findFirst()
                .or(() -> recommended)
                .orElse(unique.isEmpty() ? null : unique.get(0)));
    }

    private Node stackStep() {
        model.point.unbind();
        ListView<String> list = new ListView<>(model.stacks);
        list.setId("stacks");
        list.getSelectionModel().select(model.chosen.get());
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.chosen.set(b);
            }
        });
        list.setPlaceholder(new Label("No stack has a recovery point yet."));
        Label count = new Label();
        count.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> model.chosen.get() == null ? ""
                : model.points.isEmpty() ? model.chosen.get() + " has no recovery point." : model.points.size() + " recovery points of "
                + model.chosen.get() + ".", model.chosen, model.points));
        return new VBox(8, new Label("Which stack? Every stack with recovery points is listed, also one that is gone."), list, count);
    }

    /** Where "Show it in the activity log" goes (the main window's activity, filtered by the point). */
    public void onShowActivity(java.util.function.Consumer<String> show) {
        this.showActivity = show;
    }

    private Node resultStep() {
        Node text = text(model.result, "result");
        if (showActivity == null) {
            return text;
        }
        javafx.scene.control.Hyperlink audit = new javafx.scene.control.Hyperlink("Show the run and its audit entry in the activity log");
        audit.setId("result-audit");
        String pointId = model.point.get().id();
        audit.setOnAction(e -> {
            frame.stage().close();
            showActivity.accept(pointId);
        });
        VBox box = new VBox(8, text, audit);
        VBox.setVgrow(text, Priority.ALWAYS);
        return box;
    }

    /**
     * The stack's timeline above the points as a sortable table: when taken, how old, how big, whether verified
     * and restore-tested, where held (the primary and its copies), what kind; the recommended point is chosen
     * and marked, with why. A point clicked on the timeline is chosen in the table, and the other way round.
     */
    private Node pointStep() {
        javafx.scene.control.TableView<RecoveryPoint> table = new javafx.scene.control.TableView<>(model.points);
        table.setId("points");
        java.time.Instant now = java.time.Instant.now();
        javafx.scene.control.TableColumn<RecoveryPoint, String> taken = column("Taken (UTC)",
                p -> (isRecommended(p) ? "★ " : "") + WHEN.format(p.createdAt()), 165);
        taken.setComparator(Comparator.comparing(s -> s.replace("★ ", "")));
        table.getColumns().add(taken);
        table.getColumns().add(column("Age", p -> java.time.Duration.between(p.createdAt(), now),
                dev.lifeboat.ui.dashboard.DashboardView::age, 70));
        table.getColumns().add(column("Size", RecoveryPoint::storedBytes, dev.lifeboat.core.Units::bytes, 85));
        table.getColumns().add(column("Verified", p -> loaded.verified().contains(p.id()) ? "✓ yes" : "no", 90));
        table.getColumns().add(column("Restore-tested", p -> loaded.tested().contains(p.id()) ? "✓ yes" : "no", 125));
        table.getColumns().add(column("Held at", p -> loaded.points().stream().filter(x -> x.id().equals(p.id()))
                .map(RecoveryPoint::destination).distinct().sorted().collect(Collectors.joining(", ")), 110));
        table.getColumns().add(column("Kind", RecoveryPoint::kind, 75));
        table.getSelectionModel().select(model.point.get());
        model.point.bind(table.getSelectionModel().selectedItemProperty());
        table.setPlaceholder(new Label("No recovery point of this stack yet."));
        Label why = new Label();
        why.setId("points-recommended");
        why.textProperty().bind(recommendation);
        dev.lifeboat.ui.timeline.TimelineView timeline = new dev.lifeboat.ui.timeline.TimelineView();
        timeline.root().setId("points-timeline");
        timeline.compact(110);
        timeline.setOnOpen(e -> model.points.stream().filter(p -> p.id().equals(e.id())).findFirst()
                .ifPresent(p -> {
                    table.getSelectionModel().select(p);
                    table.scrollTo(p);
                }));
        Runnable fill = () -> {
            if (loaded.timeline() != null) {
                timeline.show(loaded.timeline());
            }
            if (model.point.get() != null) {
                timeline.select(model.point.get().id());
            }
        };
        fill.run();
        javafx.collections.ListChangeListener<RecoveryPoint> refill = c -> fill.run();
        timeline.root().getProperties().put(refill, refill); // held by the view: the weak listener goes with the step's view
        model.points.addListener(new javafx.collections.WeakListChangeListener<>(refill));
        table.getSelectionModel().selectedItemProperty().addListener((o, was, chosen) -> {
            if (chosen != null) {
                timeline.select(chosen.id());
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        return new VBox(8, new Label("Which recovery point? The recommended one is chosen."), timeline.root(), table, why);
    }

    private boolean isRecommended(RecoveryPoint p) {
        return recommendation.get().startsWith("Recommended: " + p.id() + ",");
    }

    private static javafx.scene.control.TableColumn<RecoveryPoint, String> column(String title,
            java.util.function.Function<RecoveryPoint, String> text, double width) {
        return column(title, text, s -> s, width);
    }

    /** A column that sorts by {@code value} and shows it through {@code format}. */
    private static <T extends Comparable<T>> javafx.scene.control.TableColumn<RecoveryPoint, T> column(String title,
            java.util.function.Function<RecoveryPoint, T> value, java.util.function.Function<T, String> format, double width) {
        javafx.scene.control.TableColumn<RecoveryPoint, T> c = new javafx.scene.control.TableColumn<>(title);
        c.setCellValueFactory(cell -> new javafx.beans.property.SimpleObjectProperty<>(value.apply(cell.getValue())));
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : format.apply(item));
            }
        });
        c.setPrefWidth(width);
        return c;
    }

    private Node scopeStep() {
        model.point.unbind();
        ToggleGroup g = new ToggleGroup();
        VBox box = new VBox(8, new Label("What to bring back?"));
        for (RestoreWizardModel.Scope sc : RestoreWizardModel.Scope.values()) {
            RadioButton r = new RadioButton(switch (sc) {
                case EVERYTHING -> "Everything: containers, volumes, databases, Redis and config";
                case DATABASES -> "The PostgreSQL databases only";
                case TABLE -> "One table (its rows; the other tables keep their data)";
                case REDIS -> "Redis only";
                case PARTS -> "Chosen parts of the point: ticked databases, Redis, volumes and config (containers are kept)";
                case MOMENT -> model.coverages.isEmpty() ? "PostgreSQL to a moment (needs WAL shipping: 'lifeboat pitr enable')"
                        : "PostgreSQL to a moment: a base backup rolled forward through the shipped WAL";
            });
            r.setId("scope-" + sc.name().toLowerCase(Locale.ROOT));
            r.setToggleGroup(g);
            r.setSelected(model.scope.get() == sc);
            r.setOnAction(e -> model.scope.set(sc));
            if (sc == RestoreWizardModel.Scope.MOMENT) {
                r.setDisable(model.coverages.isEmpty());
            }
            box.getChildren().add(r);
            if (sc == RestoreWizardModel.Scope.PARTS) {
                box.getChildren().add(partsTree());
            }
            if (sc == RestoreWizardModel.Scope.TABLE) {
                TextField table = new TextField();
                table.setId("scope-table-name");
                table.setPromptText("database.table, e.g. shop.orders");
                table.textProperty().bindBidirectional(model.table);
                table.disableProperty().bind(model.scope.isNotEqualTo(RestoreWizardModel.Scope.TABLE));
                Forms.check(table, RestoreWizardModel::tableProblem);
                box.getChildren().add(table);
            }
        }
        if (!model.coverages.isEmpty()) {
            box.getChildren().add(momentPicker());
        }
        return box;
    }

    /**
     * The point's parts as a tree to tick: one branch per kind, a leaf per part as {@code --only} names it. The
     * parts are read from the point's manifest on a worker when the step is shown.
     */
    private Node partsTree() {
        org.controlsfx.control.CheckTreeView<String> tree = new org.controlsfx.control.CheckTreeView<>();
        tree.setId("scope-parts-tree");
        tree.setShowRoot(true);
        tree.setPrefHeight(150);
        tree.disableProperty().bind(model.scope.isNotEqualTo(RestoreWizardModel.Scope.PARTS));
        Runnable fill = () -> {
            CheckBoxTreeItem<String> root = new CheckBoxTreeItem<>("Every part of the point");
            root.setExpanded(true);
            Map<String, CheckBoxTreeItem<String>> byKind = new java.util.LinkedHashMap<>();
            for (String offer : model.offers) {
                String kind = offer.contains(":") ? offer.substring(0, offer.indexOf(':')) : offer;
                CheckBoxTreeItem<String> branch = byKind.computeIfAbsent(kind, k -> {
                    CheckBoxTreeItem<String> b = new CheckBoxTreeItem<>(kindTitle(k));
                    b.setExpanded(true);
                    root.getChildren().add(b);
                    return b;
                });
                CheckBoxTreeItem<String> leaf = new CheckBoxTreeItem<>(offer);
                leaf.setSelected(model.parts.contains(offer));
                branch.getChildren().add(leaf);
            }
            tree.setRoot(root);
            tree.getCheckModel().getCheckedItems().addListener((javafx.collections.ListChangeListener<TreeItem<String>>) c ->
                    model.parts.setAll(tree.getCheckModel().getCheckedItems().stream()
                            .filter(t -> t.isLeaf() && model.offers.contains(t.getValue())).map(TreeItem::getValue).toList()));
        };
        fill.run();
        javafx.collections.ListChangeListener<String> refill = c -> fill.run();
        tree.getProperties().put(refill, refill);
        model.offers.addListener(new javafx.collections.WeakListChangeListener<>(refill));
        String pointId = model.point.get() == null ? null : model.point.get().id();
        if (pointId != null && !pointId.equals(offersOf)) {
            offersOf = pointId;
            model.parts.clear();
            model.offers.clear(); // another point: its own parts, read anew
            jobs.read(() -> app.restores().offers(pointId), offers -> {
                if (pointId.equals(offersOf)) {
                    model.offers.setAll(offers);
                }
            }, e -> model.validation.set("Cannot read what " + pointId + " holds: " + e.getMessage()));
        }
        return tree;
    }

    /** The point whose parts {@code model.offers} holds. */
    private String offersOf;

    private static String kindTitle(String kind) {
        return switch (kind) {
            case "postgres" -> "PostgreSQL databases";
            case "redis" -> "Redis";
            case "volume" -> "Volumes";
            case "config" -> "Config files";
            default -> kind;
        };
    }

    /** The coverage under the slider: restorable stretches green, gaps red (the timeline's WAL band, small). */
    private static void drawBand(javafx.scene.layout.Pane band, Coverage c, double width) {
        band.getChildren().clear();
        if (c == null || c.spans().isEmpty()) {
            return;
        }
        long from = c.oldest().orElseThrow().toEpochMilli();
        double span = Math.max(1, c.newest().orElseThrow().toEpochMilli() - from);
        double pad = 7; // the slider's thumb radius: the track starts and ends this far in
        java.util.function.BiConsumer<long[], String> draw = (ab, style) -> {
            double x = pad + (width - 2 * pad) * (ab[0] - from) / span;
            double w = Math.max(2, (width - 2 * pad) * (ab[1] - ab[0]) / span);
            javafx.scene.shape.Rectangle r = new javafx.scene.shape.Rectangle(x, 0, w, 6);
            r.getStyleClass().add(style);
            band.getChildren().add(r);
        };
        c.spans().forEach(sp -> draw.accept(new long[] {sp.from().toEpochMilli(), sp.to().toEpochMilli()}, "timeline-wal"));
        c.gaps().forEach(g -> draw.accept(new long[] {g.from().toEpochMilli(), g.to().toEpochMilli()}, "timeline-wal-gap"));
    }

    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * The moment to restore to: a slider over the chosen asset's coverage, from its first base backup's end
     * to the newest WAL shipped, and the moment typed to the second (UTC); gaps cannot be chosen.
     */
    private Node momentPicker() {
        ComboBox<Coverage> asset = new ComboBox<>(model.coverages);
        asset.setId("moment-asset");
        asset.valueProperty().bindBidirectional(model.walAsset);
        asset.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Coverage c) {
                return c == null ? "" : c.asset();
            }

            @Override
            public Coverage fromString(String s) {
                return null;
            }
        });
        javafx.scene.control.Slider slider = new javafx.scene.control.Slider();
        slider.setId("moment-slider");
        slider.setPrefWidth(520);
        TextField typed = new TextField();
        typed.setId("moment");
        typed.setPromptText("yyyy-MM-dd HH:mm:ss (UTC)");
        Label reach = new Label();
        reach.setId("moment-reach");
        reach.setWrapText(true);
        javafx.scene.layout.Pane band = new javafx.scene.layout.Pane();
        band.setId("moment-band");
        band.setPrefHeight(8);
        slider.widthProperty().addListener((o, a, b) -> drawBand(band, model.walAsset.get(), b.doubleValue()));
        Runnable range = () -> {
            Coverage c = model.walAsset.get();
            drawBand(band, c, slider.getWidth() > 0 ? slider.getWidth() : slider.getPrefWidth());
            if (c == null || c.spans().isEmpty()) {
                slider.setDisable(true);
                reach.setText(c == null ? "" : c.asset() + " has no restorable moment yet: a backup of the stack takes the base"
                        + " backup its WAL rolls forward from.");
                return;
            }
            slider.setDisable(false);
            slider.setMin(c.oldest().orElseThrow().toEpochMilli());
            slider.setMax(c.newest().orElseThrow().toEpochMilli());
            reach.setText("Restorable from " + MOMENT.format(c.oldest().orElseThrow()) + " to " + MOMENT.format(c.newest()
                    .orElseThrow()) + " UTC (the newest restorable moment)" + (c.gaps().isEmpty() ? "" : "; not inside "
                    + c.gaps().stream().map(gap -> MOMENT.format(gap.from()) + " – " + MOMENT.format(gap.to()) + " (" + gap.why()
                    + ")").collect(Collectors.joining(", "))) + ".");
        };
        range.run();
        model.walAsset.addListener((o, a, b) -> range.run());
        boolean[] syncing = {false};
        java.util.function.Consumer<java.time.Instant> show = at -> {
            syncing[0] = true;
            try {
                if (at != null) {
                    slider.setValue(at.toEpochMilli());
                    if (!typed.isFocused()) {
                        typed.setText(MOMENT.format(at));
                    }
                }
            } finally {
                syncing[0] = false;
            }
        };
        show.accept(model.moment.get());
        model.moment.addListener((o, a, b) -> show.accept(b));
        slider.valueProperty().addListener((o, a, b) -> {
            if (!syncing[0]) {
                model.scope.set(RestoreWizardModel.Scope.MOMENT);
                model.moment.set(java.time.Instant.ofEpochMilli(b.longValue()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
        });
        typed.textProperty().addListener((o, a, b) -> {
            if (syncing[0] || !typed.isFocused()) {
                return;
            }
            try {
                model.moment.set(java.time.LocalDateTime.parse(b.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC));
            } catch (java.time.format.DateTimeParseException notYet) {
                model.moment.set(null);
            }
        });
        Label outside = new Label();
        outside.setId("moment-outside");
        outside.getStyleClass().add("danger-text");
        outside.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> !model.toAMoment()
                || model.momentReachable() ? "" : "That moment is outside what the base backups and the shipped WAL reach.",
                model.scope, model.moment, model.walAsset));
        VBox box = new VBox(6, new javafx.scene.layout.HBox(8, new Label("Database"), asset), slider, band,
                new javafx.scene.layout.HBox(8, new Label("Moment (UTC)"), typed), reach, outside);
        box.disableProperty().bind(model.scope.isNotEqualTo(RestoreWizardModel.Scope.MOMENT));
        box.setPadding(new javafx.geometry.Insets(0, 0, 0, 24));
        return box;
    }

    private Node targetStep() {
        ToggleGroup g = new ToggleGroup();
        VBox box = new VBox(8, new Label("Where to?"));
        for (RestoreWizardModel.Target t : RestoreWizardModel.Target.values()) {
            RadioButton r = new RadioButton(switch (t) {
                case IN_PLACE -> "In place, on " + model.host() + " (restored beside the live data, then swapped in;"
                        + " what it replaces is kept on the host)";
                case SANDBOX -> "A sandbox on " + model.host() + ": restore, check the data, remove it (production untouched)";
                case OTHER_HOST -> "Another host (a staging clone)";
            });
            r.setId("target-" + t.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            r.setToggleGroup(g);
            r.setSelected(model.target.get() == t);
            r.setOnAction(e -> model.target.set(t));
            box.getChildren().add(r);
        }
        ComboBox<Host> hosts = new ComboBox<>(model.hosts.filtered(h -> !h.name().equals(model.host())));
        hosts.setId("target-host");
        hosts.valueProperty().bindBidirectional(model.otherHost);
        hosts.disableProperty().bind(model.target.isNotEqualTo(RestoreWizardModel.Target.OTHER_HOST));
        box.getChildren().add(hosts);
        return box;
    }

    private Node text(javafx.beans.property.StringProperty p, String id) {
        TextArea area = new TextArea();
        area.setId(id);
        area.setEditable(false);
        area.setStyle("-fx-font-family: monospace;");
        area.setWrapText(true);
        area.textProperty().bind(p);
        VBox.setVgrow(area, Priority.ALWAYS);
        return new VBox(area);
    }

    private void validate() {
        model.validated.set(false);
        if (model.toAMoment()) {
            validateMoment();
            return;
        }
        model.validation.set("Checking the point's integrity (signature, checksums, decryption, structure) and that "
                + model.targetHost(model.hosts).name() + " answers…");
        String pointId = model.point.get().id();
        Host target = model.targetHost(model.hosts);
        jobs.load("Validate " + pointId, progress -> {
            VerifyReport report = app.verifier().verify(pointId, progress);
            String engine;
            try (var docker = app.connector().apply(app.history().hosts().require(target.name()))) {
                engine = "Docker " + docker.serverVersion() + " on " + target.name() + " answers";
            }
            return report.checks().stream().map(c -> (c.ok() ? "ok    " : "FAIL  ") + c.artifact() + "  " + c.detail())
                    .collect(Collectors.joining("\n")) + "\n\n" + engine + (report.ok() ? "\n\nThe point is sound." : "");
        }, text -> {
            model.validation.set(text);
            model.validated.set(!text.contains("\nFAIL") && !text.startsWith("FAIL"));
        }, e -> model.validation.set("Validation failed: " + e.getMessage()));
    }

    /**
     * A restore to a moment: the WAL written up to now is shipped, the base backup and the WAL that reach the
     * moment are found without a gap, and the base backup's point is verified.
     */
    private void validateMoment() {
        model.momentPlan.set(null);
        String container = model.momentContainer();
        java.time.Instant at = model.moment.get();
        String host = model.host();
        String stack = model.stack();
        model.validation.set("Shipping the WAL written up to now, then finding the base backup and the WAL that reach "
                + MOMENT.format(at) + " UTC, and verifying the base backup…");
        jobs.load("Validate a restore of postgres:" + container + " to " + MOMENT.format(at), progress -> {
            PitrRestore.Plan p = app.pitrRestore().plan(host, stack, container, PitrRestore.Target.at(at), progress);
            VerifyReport report = app.verifier().verify(p.basePoint(), progress);
            return Map.entry(p, report.checks().stream().map(c -> (c.ok() ? "ok    " : "FAIL  ") + c.artifact() + "  " + c.detail())
                    .collect(Collectors.joining("\n")) + "\n\nBase backup " + p.basePoint() + " ended " + MOMENT.format(p.baseEndedAt())
                    + " UTC; " + p.wal().size() + " shipped WAL files, from " + p.startWal() + ", reach the moment without a gap."
                    + (report.ok() ? "\n\nThe base backup is sound." : ""));
        }, r -> {
            model.validation.set(r.getValue());
            boolean ok = !r.getValue().contains("\nFAIL") && !r.getValue().startsWith("FAIL");
            model.momentPlan.set(ok ? r.getKey() : null);
            model.validated.set(ok);
        }, e -> model.validation.set("Validation failed: " + e.getMessage()));
    }

    private final javafx.beans.property.StringProperty planText = new javafx.beans.property.SimpleStringProperty("");
    /** What the restore would change against the live stack, read on a worker after the plan (in place only). */
    private final javafx.beans.property.ObjectProperty<dev.lifeboat.core.restore.RestorePreview> preview =
            new javafx.beans.property.SimpleObjectProperty<>();
    private final javafx.beans.property.StringProperty previewState = new javafx.beans.property.SimpleStringProperty("");
    /** The preview step is complete once the preview is read, or could not be (it says why; the restore may still go on). */
    private final javafx.beans.property.BooleanProperty previewDone = new javafx.beans.property.SimpleBooleanProperty(false);

    /** The plan: what is stopped, overwritten and created, the phases and the expected time. */
    private Node planStep() {
        return text(planText, "plan");
    }

    /**
     * What the restore changes against the live stack, read on a worker once the plan is made (nothing is
     * changed): per database its tables with rows now and at the point, per volume the files that change,
     * the config files and images that differ.
     */
    private Node previewStep() {
        VBox changes = new VBox(6);
        changes.setId("restore-preview");
        Label state = new Label();
        state.setId("restore-preview-state");
        state.setWrapText(true);
        state.textProperty().bind(previewState);
        Runnable fill = () -> {
            changes.getChildren().setAll(state);
            var p = preview.get();
            if (p == null) {
                return;
            }
            for (var section : p.sections()) {
                Label title = new Label(section.title() + ": " + section.summary());
                title.getStyleClass().add("preview-title");
                title.setWrapText(true);
                if (section.rows().isEmpty()) {
                    changes.getChildren().add(title); // nothing to list: the summary says so
                    continue;
                }
                javafx.scene.control.TableView<List<String>> table = new javafx.scene.control.TableView<>();
                table.setId("preview-" + section.kind() + "-" + section.asset().replaceAll("[^A-Za-z0-9_-]", "_"));
                for (int i = 0; i < section.head().size(); i++) {
                    int col = i;
                    javafx.scene.control.TableColumn<List<String>, String> c = new javafx.scene.control.TableColumn<>(section.head().get(i));
                    c.setCellValueFactory(r -> new javafx.beans.property.ReadOnlyStringWrapper(r.getValue().get(col)));
                    table.getColumns().add(c);
                }
                table.getItems().setAll(section.kind().equals("postgres") ? section.rows().stream()
                        .sorted(java.util.Comparator.comparing((List<String> r) -> "same".equals(r.get(3)))).toList() : section.rows());
                table.setColumnResizePolicy(javafx.scene.control.TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
                table.setPrefHeight(Math.min(220, 32 + 25 * Math.max(1, section.rows().size())));
                changes.getChildren().addAll(title, table);
            }
            for (var image : p.images()) {
                changes.getChildren().add(new Label("Image of " + image.get(0) + ": " + image.get(1) + " now, " + image.get(2)
                        + " at the point"));
            }
        };
        preview.addListener((o, was, now) -> fill.run());
        fill.run();
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(changes);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        return new VBox(8, new Label("What changes against the live stack (read from it, nothing changed)"), scroll);
    }

    private void plan() {
        if (model.toAMoment()) {
            PitrRestore.Plan p = model.momentPlan.get();
            planText.set(p == null ? "Validate first." : describe(p, model.host(), model.stack()));
            return;
        }
        if (model.target.get() == RestoreWizardModel.Target.SANDBOX) {
            planText.set("A sandbox restore test: throwaway containers and volumes named lbx-<run>-…, no network; the data is "
                    + "checked against the point's figures, then everything is removed. The live stack is not touched.");
            return;
        }
        model.plan.set(null);
        planText.set("Working out the plan…");
        String pointId = model.point.get().id();
        RestoreOptions options = options();
        preview.set(null);
        previewState.set("");
        previewDone.set(false);
        jobs.load("Plan " + pointId, progress -> app.restores().plan(pointId, options), p -> {
            model.plan.set(p);
            planText.set(describe(p));
            if (model.target.get() == RestoreWizardModel.Target.IN_PLACE) {
                previewState.set("Reading the live stack to show what changes (nothing is changed)…");
                jobs.load("Preview " + pointId, progress -> app.restores().preview(pointId, options), r -> {
                    previewState.set(r.summary());
                    preview.set(r);
                    previewDone.set(true);
                }, e -> {
                    previewState.set("Cannot preview the changes: " + e.getMessage() + ". The plan step still says what is "
                            + "overwritten.");
                    previewDone.set(true);
                });
            }
        }, e -> planText.set("Cannot plan the restore: " + e.getMessage()));
    }

    static String describe(RestorePlan p) {
        StringBuilder b = new StringBuilder("Restore " + p.pointId() + " onto " + p.host() + "/" + p.stack() + " (" + p.scope() + ")\n\n");
        b.append("Safety backup first: ").append(p.safetyBackup() ? "yes" : "no").append('\n');
        p.stopped().forEach(s -> b.append("Stop: ").append(s).append('\n'));
        p.overwritten().forEach(s -> b.append("Overwrite: ").append(s).append('\n'));
        p.created().forEach(s -> b.append("Create: ").append(s).append('\n'));
        b.append("\nPhases: ").append(String.join(" → ", p.phases())).append('\n');
        b.append("Expected time: ").append(p.expectedMs() == null ? "unknown (no past restore to compare)"
                : String.format(Locale.ROOT, "about %.0f s (from %d past restores)", p.expectedMs() / 1000.0, p.pastRestores()));
        return b.toString();
    }

    static String describe(PitrRestore.Plan p, String host, String stack) {
        String container = p.config().container();
        return "Restore " + p.config().asset() + " of " + host + "/" + stack + " to " + MOMENT.format(p.target().time()) + " UTC\n\n"
                + "Safety backup first: yes (the whole stack, as it is now)\n"
                + "Stop: " + container + "\n"
                + "Overwrite: the data volume of " + container + " (every database in it)\n"
                + "From: base backup " + p.basePoint() + " (ended " + MOMENT.format(p.baseEndedAt()) + " UTC) and " + p.wal().size()
                + " WAL files\n"
                + "Then: PostgreSQL replays the WAL to the moment and promotes; WAL shipping resumes on the new timeline.\n"
                + "\nTransactions committed after the moment are not brought back; the safety point keeps them.";
    }

    private RestoreOptions options() {
        Host target = model.targetHost(model.hosts);
        return new RestoreOptions(model.typed.get(), true, model.restoreScope(),
                model.target.get() == RestoreWizardModel.Target.OTHER_HOST ? target.name() : null);
    }

    private Node confirmStep() {
        VBox box = new VBox(10);
        Label summary = new Label();
        summary.setId("confirm-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> preview.get() == null
                ? "" : preview.get().summary(), preview));
        box.getChildren().add(summary);
        if (model.production()) {
            Label warn = new Label(model.targetHost(model.hosts).name() + " is a production host. Type "
                    + ConfirmationPolicy.PRODUCTION_PHRASE + " to enable Restore.");
            warn.getStyleClass().add("danger-text");
            TextField phrase = new TextField();
            phrase.setId("confirm-phrase");
            phrase.setPromptText(ConfirmationPolicy.PRODUCTION_PHRASE);
            phrase.textProperty().bindBidirectional(model.typed);
            box.getChildren().addAll(warn, phrase);
        } else {
            CheckBox ack = new CheckBox(model.target.get() == RestoreWizardModel.Target.SANDBOX
                    ? "Run the restore test in a sandbox" : "I understand that the data listed in the plan is overwritten");
            ack.setId("confirm-check");
            ack.selectedProperty().bindBidirectional(model.acknowledged);
            box.getChildren().add(ack);
        }
        return box;
    }

    private Node progressStep() {
        Label phase = new Label();
        phase.setId("progress-phase");
        phase.textProperty().bind(model.phase);
        javafx.scene.control.ProgressIndicator spinner = new javafx.scene.control.ProgressIndicator();
        spinner.visibleProperty().bind(model.done.not());
        return new VBox(12, spinner, phase, new Label("The jobs panel of the main window shows this run too."));
    }

    private void start() {
        java.time.Instant moment = model.toAMoment() ? model.moment.get() : null;
        String momentContainer = model.momentContainer();
        String typed = model.typed.get();
        String pointId = moment != null ? "postgres:" + momentContainer + " to " + MOMENT.format(moment) : model.point.get().id();
        boolean sandbox = model.target.get() == RestoreWizardModel.Target.SANDBOX;
        RestoreOptions options = options();
        frame.show(STEPS[8]);
        Long planned = model.plan.get() == null ? null : model.plan.get().expectedMs();
        String host = model.host();
        String stack = model.stack();
        java.util.function.Supplier<java.time.Duration> expected = sandbox
                ? () -> app.history().runs().typicalDuration("restore-test", host, stack).orElse(null)
                : () -> planned == null ? null : java.time.Duration.ofMillis(planned);
        jobs.submit((sandbox ? "Restore test " : "Restore ") + pointId, expected, progress -> {
            dev.lifeboat.core.Progress both = (ph, msg) -> {
                progress.phase(ph, msg);
                javafx.application.Platform.runLater(() -> model.phase.set(msg));
            };
            if (moment != null) {
                PitrRestore.Result r = app.pitrRestore().restore(host, stack, momentContainer, PitrRestore.Target.at(moment),
                        typed, both);
                return "Restored " + r.asset() + " of " + host + "/" + stack + " to " + MOMENT.format(moment) + " UTC in "
                        + String.format(Locale.ROOT, "%.1f s", r.took().toMillis() / 1000.0) + " from base backup " + r.basePoint()
                        + " and " + r.walFiles() + " WAL files; safety point " + r.safetyPoint() + "\n\nNewest transaction recovered: "
                        + r.newestTransaction() + "\n\nThe audit log has the entry (lifeboat history).";
            }
            if (sandbox) {
                RestoreTestReport r = app.restoreTests().test(pointId, null, both);
                return (r.ok() ? "Restore test passed" : "Restore test FAILED") + " in " + String.format(Locale.ROOT, "%.1f s",
                        r.durationMs() / 1000.0) + " (run " + r.runId() + ")\n\n" + r.checks().stream()
                        .map(c -> (c.ok() ? "ok    " : "FAIL  ") + c.name() + "  " + c.detail()).collect(Collectors.joining("\n"));
            }
            RestoreReport r = app.restores().restore(pointId, options, both);
            return "Restored " + r.pointId() + " onto " + r.host() + "/" + r.stack() + " in " + String.format(Locale.ROOT,
                    "%.1f s", r.totalMs() / 1000.0) + (r.safetyPointId() == null ? "" : "; safety point " + r.safetyPointId())
                    + String.format(Locale.ROOT, "; the stack was down for %.1f s", r.downtimeMs() / 1000.0)
                    + "\n\n" + r.phases().stream().map(p -> String.format(Locale.ROOT, "%-20s %7.1f s  %s", p.name(),
                    p.durationMs() / 1000.0, p.detail() == null ? "" : p.detail())).collect(Collectors.joining("\n"))
                    + (r.keptAside().isEmpty() ? "" : "\n\nKept on the host until " + r.keptAside().get(0).expiresAt()
                    + " (release sooner with lifeboat safety release ID):\n" + r.keptAside().stream()
                    .map(k -> "  " + k.id() + "  " + k.description()).collect(Collectors.joining("\n")))
                    + "\n\nPost-restore checks passed. The audit log has the entry (lifeboat history).";
        }, text -> {
            model.result.set(text);
            model.done.set(true);
            frame.show(STEPS[9]);
        }, e -> {
            model.result.set("Restore failed: " + e.getMessage());
            model.done.set(true);
            frame.show(STEPS[9]);
        });
    }
}
