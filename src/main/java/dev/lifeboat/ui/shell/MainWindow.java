package dev.lifeboat.ui.shell;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.fleet.FleetOverview;
import dev.lifeboat.core.host.HostEnrollment;
import dev.lifeboat.core.storage.DefaultDestination;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.status.StackHealth;
import dev.lifeboat.core.status.TimelineEntry;
import dev.lifeboat.ui.alerts.AlertsView;
import dev.lifeboat.ui.common.DialogService;
import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.Theme;
import dev.lifeboat.ui.dashboard.DashboardView;
import dev.lifeboat.ui.drillwizard.ManualDrillForm;
import dev.lifeboat.ui.hostwizard.HostWizard;
import dev.lifeboat.ui.planwizard.PlanWizard;
import dev.lifeboat.ui.pointdetails.PointDetails;
import dev.lifeboat.ui.hostwizard.HostWizardModel;
import dev.lifeboat.ui.restorewizard.RestoreWizard;
import dev.lifeboat.ui.timeline.TimelineView;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.stage.Window;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The main window: hosts and their stacks with health dots in the sidebar; a stack's dashboard,
 * timeline and the activity log in the middle; the running jobs at the bottom. Everything it shows is
 * read from core services on background threads; the FX thread only lays out results.
 */
public final class MainWindow {
    /** The image the demo stack runs (PostgreSQL 15, Redis and busybox; scripts/provision.sh builds it). */
    static final String DEMO_IMAGE = "lifeboat-fixture:bookworm";
    private final BorderPane root = new BorderPane();
    private final TreeView<Item> sidebar = new TreeView<>(new TreeItem<>(new Item("Hosts", null, null, null)));
    private final DashboardView dashboard = new DashboardView();
    private final TimelineView timeline = new TimelineView();
    private final AlertsView alerts = new AlertsView();
    private final TabPane tabs = new TabPane();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Opening history…");
    private final ReadOnlyStringWrapper agent = new ReadOnlyStringWrapper("");
    private FleetViewModel fleet;
    private final Jobs jobs;
    private final BorderPane content = new BorderPane();
    /** The toolbar actions and their keys. */
    private final java.util.Map<javafx.scene.control.ButtonBase, String> shortcuts;
    private final Label fleetSummary = new Label();
    private final ActivityPane activityPane = new ActivityPane();
    /** A stack to select once the sidebar shows it (a demo stack just made, a stack asked for). */
    private StackViewModel.StackRef wanted;
    private AppContext app;
    private DialogService dialogs;
    private StackViewModel stackVm;
    private ActivityViewModel activityVm;

    /** One sidebar entry: a host or a stack (with its health). */
    public record Item(String label, String host, String stack, StackHealth.Level level) {
        @Override
        public String toString() {
            return label;
        }
    }

    public MainWindow(ExecutorService executor) {
        this.jobs = new Jobs(executor);
        root.setId("main");
        Label title = new Label("Lifeboat");
        title.getStyleClass().add("section-title");
        Button backup = new Button("Back up now");
        backup.setId("backup-now");
        backup.setOnAction(e -> backupNow());
        Button restore = new Button("Restore…");
        restore.setId("restore");
        restore.setOnAction(e -> openRestoreWizard());
        javafx.scene.control.MenuItem runDrill = new javafx.scene.control.MenuItem("Run a drill…");
        runDrill.setOnAction(e -> openDrillWizard());
        javafx.scene.control.MenuItem recordDrill = new javafx.scene.control.MenuItem("Record a manual drill…");
        recordDrill.setOnAction(e -> openManualDrill());
        javafx.scene.control.MenuButton drill = new javafx.scene.control.MenuButton("DR drill", null, runDrill, recordDrill);
        drill.setId("drill");
        Button plan = new Button("Backup plan…");
        plan.setId("new-plan");
        plan.setOnAction(e -> openPlanWizard());
        Button addHost = new Button("Add host…");
        addHost.setId("add-host");
        addHost.setOnAction(e -> openHostWizard());
        Button refresh = new Button("Refresh");
        refresh.setId("refresh");
        refresh.setOnAction(e -> refresh());
        ToggleButton dark = new ToggleButton("Dark");
        dark.setId("theme-toggle");
        dark.setSelected(Theme.darkProperty().get());
        dark.setOnAction(e -> Theme.apply(dark.isSelected()));
        Label agentBadge = new Label();
        agentBadge.setId("agent-badge");
        agentBadge.textProperty().bind(agent);
        Label statusLabel = new Label();
        statusLabel.setId("status");
        statusLabel.textProperty().bind(status);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        root.setTop(new ToolBar(title, addHost, plan, backup, restore, drill, refresh, spacer, dark));
        shortcuts = new java.util.LinkedHashMap<>();
        shortcuts.put(addHost, "Shortcut+H");
        shortcuts.put(plan, "Shortcut+P");
        shortcuts.put(backup, "Shortcut+B");
        shortcuts.put(restore, "Shortcut+R");
        shortcuts.put(refresh, "F5");

        sidebar.setId("sidebar");
        sidebar.setShowRoot(false);
        sidebar.setCellFactory(v -> new TreeCell<>() {
            @Override
            protected void updateItem(Item item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                setText(item.label());
                if (item.stack() != null) {
                    Circle dot = new Circle(5);
                    dot.getStyleClass().addAll("health-dot", "health-" + item.level());
                    setGraphic(dot);
                } else {
                    setGraphic(null);
                }
            }
        });
        sidebar.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && b.getValue().stack() != null) {
                select(b.getValue().host(), b.getValue().stack());
            }
        });
        sidebar.setPrefWidth(230);

        tabs.getTabs().addAll(new Tab("Dashboard", dashboard.root()), new Tab("Timeline", timeline.root()),
                new Tab("Activity", activityPane.root()), new Tab("Alerts", alerts.root()));
        tabs.getTabs().forEach(t -> t.setClosable(false));
        tabs.setId("tabs");
        timeline.zoomProperty().addListener((o, a, b) -> {
            if (stackVm != null) {
                stackVm.showSpan(b.span);
            }
        });
        timeline.setOnOpen(this::openPoint);

        fleetSummary.setId("fleet-summary");
        fleetSummary.getStyleClass().add("fleet-summary");
        content.setTop(fleetSummary);
        content.setCenter(tabs);
        SplitPane split = new SplitPane(sidebar, content);
        split.setDividerPositions(0.22);
        root.setCenter(split);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox statusBar = new HBox(12, statusLabel, grow, agentBadge);
        statusBar.setPadding(new Insets(2, 8, 6, 8));
        statusBar.getStyleClass().add("status-bar");
        root.setBottom(new VBox(new JobsPanel(jobs).root(), statusBar));
        Theme.styleSceneOf(root);
    }

    public Parent root() {
        return root;
    }

    public Jobs jobs() {
        return jobs;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Called on the FX thread once the history is open. */
    public void attach(AppContext app, Window window) {
        this.app = app;
        this.dialogs = new DialogService(window);
        jobs.setOnEnded(ended -> JobNotices.show(window, ended));
        alerts.setOnNew(alert -> JobNotices.show(window, alert));
        this.fleet = new FleetViewModel(app.fleet(), jobs);
        this.stackVm = new StackViewModel(app.dashboard()::read, app::timeline, jobs, Clock.systemUTC());
        stackVm.showSpan(timeline.zoomProperty().get().span);
        stackVm.selectedProperty().addListener((o, was, now) -> {
            if (now != null) {
                dashboard.showLoading(now.toString());
            }
        });
        stackVm.dashboardProperty().addListener((o, was, d) -> {
            if (d != null) {
                dashboard.show(stackVm.selectedProperty().get().toString(), d);
            }
        });
        dashboard.setActions(new DashboardView.Actions() {
            @Override
            public void backUp() {
                backupNow();
            }

            @Override
            public void verify(String pointId) {
                proveNewest("Verify " + pointId, p -> dev.lifeboat.ui.pointdetails.PointDetails.verify(app, pointId, p));
            }

            @Override
            public void testRestore(String pointId) {
                proveNewest("Test-restore " + pointId, p -> dev.lifeboat.ui.pointdetails.PointDetails.testRestore(app, pointId, p));
            }

            @Override
            public void createPlan() {
                openPlanWizard();
            }

            @Override
            public void drillHistory() {
                openDrillHistory();
            }

            @Override
            public void exportRunbook() {
                StackViewModel.StackRef chosen = selected();
                if (chosen == null) {
                    return;
                }
                javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
                chooser.setTitle("Export the DR runbook of " + chosen);
                chooser.getExtensionFilters().addAll(new javafx.stage.FileChooser.ExtensionFilter("PDF", "*.pdf"),
                        new javafx.stage.FileChooser.ExtensionFilter("Web page", "*.html"),
                        new javafx.stage.FileChooser.ExtensionFilter("Markdown", "*.md"));
                chooser.setInitialFileName("runbook-" + chosen.host() + "-" + chosen.stack() + ".pdf");
                java.io.File file = chooser.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
                if (file != null) {
                    MainWindow.this.exportRunbook(file.toPath());
                }
            }
        });
        dev.lifeboat.ui.dashboard.PitrSwitch pitr = new dev.lifeboat.ui.dashboard.PitrSwitch(app, jobs, dialogs, stackVm::reload);
        dashboard.setOnEnablePitr(() -> {
            var chosen = stackVm.selectedProperty().get();
            if (chosen != null) {
                pitr.start(chosen.host(), chosen.stack());
            }
        });
        dashboard.setOnRelease(kept -> {
            dialogs.confirm("Release what restores kept on the host?", "The data these restores replaced is removed "
                    + "from the host for good; no restore can swap back to it:\n" + kept.stream().map(k -> "  " + k.description())
                    .collect(java.util.stream.Collectors.joining("\n")), "Release", () ->
                    jobs.submit("Release " + kept.size() + (kept.size() == 1 ? " safety copy" : " safety copies"), p -> {
                        var copies = app.safetyCopies();
                        kept.forEach(k -> copies.release(k.id()));
                        return kept.size();
                    }, n -> stackVm.reload(), e -> {
                        stackVm.reload();
                        dialogs.error("Cannot release the safety copies", e);
                    }));
        });
        stackVm.dashboardErrorProperty().addListener((o, was, why) -> {
            if (!why.isEmpty()) {
                dashboard.failed(why);
            }
        });
        stackVm.timelineProperty().addListener((o, was, t) -> {
            if (t != null) {
                timeline.show(t);
            }
        });
        stackVm.timelineErrorProperty().addListener((o, was, why) -> {
            if (!why.isEmpty()) {
                dialogs.error("Cannot draw the timeline", new dev.lifeboat.core.LifeboatException(why));
            }
        });
        this.activityVm = new ActivityViewModel(fleet.activity(), jobs);
        activityPane.attach(activityVm);
        activityVm.messageProperty().addListener((o, was, m) -> status.set(m));
        activityVm.errorProperty().addListener((o, was, why) -> {
            if (!why.isEmpty()) {
                dialogs.error("Cannot export the activity", new dev.lifeboat.core.LifeboatException(why));
            }
        });
        fleet.fleetProperty().addListener((javafx.beans.InvalidationListener) o -> {
            FleetOverview.Fleet f = fleet.fleetProperty().get();
            if (f != null) {
                show(f);
            }
        });
        fleet.errorProperty().addListener((o, was, why) -> {
            if (!why.isEmpty()) {
                dialogs.error("Cannot read the history", new dev.lifeboat.core.LifeboatException(why));
            }
        });
        installShortcuts();
        alerts.attach(app, jobs);
        reload();
    }

    /** Says plainly when a local Docker engine does not answer; the console stays usable. */
    public void checkDocker() {
        jobs.read(() -> app.history().hosts().all(), hosts -> {
            for (Host h : hosts) {
                if (h.ssh()) {
                    continue;
                }
                jobs.load("Check Docker on " + h.name(), p -> {
                    try (var docker = app.connector().apply(h)) {
                        return docker.serverVersion();
                    }
                }, v -> { }, e -> status.set("Docker on " + h.name() + " is not reachable: " + e.getMessage()));
            }
        }, e -> dialogs.error("Cannot read the history", e));
    }

    public void failed(String message) {
        status.set("Could not open the history: " + message);
    }

    /** Reloads everything and asks every host again for its stacks. */
    public void refresh() {
        if (fleet != null) {
            fleet.refresh();
            alerts.reload();
        }
    }

    /**
     * Reloads hosts, stacks and health in the background ({@link FleetViewModel}): a host asked within the
     * last minute is not asked again.
     */
    public void reload() {
        if (fleet == null) {
            return;
        }
        alerts.reload();
        fleet.reload();
    }

    /** Shows a fleet the view model read. */
    private void show(FleetOverview.Fleet f) {
        status.set(f.status());
        agent.set(f.agent());
        fleetSummary.setText(f.line());
        showSidebar(f);
    }

    /**
     * After the console's own work (a backup, restore, test, drill or copy, done or failed): reloads, and
     * runs the alert rules as the CLI does after its runs and the agent every 5 minutes; what they raise
     * is delivered to the channels and shown at once. A plain reload does not run them.
     */
    private void afterWork() {
        reload();
        jobs.load("Evaluate alert rules", p -> app.afterRun().run(), raised -> {
            if (raised > 0) {
                alerts.reload();
                stackVm.reload();
            }
        }, e -> status.set("Alert rules could not run: " + e.getMessage()));
    }

    private void showSidebar(FleetOverview.Fleet o) {
        TreeItem<Item> rootItem = sidebar.getRoot();
        rootItem.getChildren().clear();
        for (Host h : o.hosts()) {
            String why = o.unreachable().get(h.name());
            TreeItem<Item> hi = new TreeItem<>(new Item(h.name() + (h.production() ? "  (production)" : "")
                    + (why == null ? "" : "  (not reachable)"), h.name(), null, null));
            hi.setExpanded(true);
            for (FleetOverview.StackItem s : o.stacks()) {
                if (s.host().equals(h.name())) {
                    hi.getChildren().add(new TreeItem<>(new Item(s.stack(), s.host(), s.stack(), s.level())));
                }
            }
            rootItem.getChildren().add(hi);
        }
        if (o.hosts().isEmpty()) {
            content.setCenter(emptyState());
            return;
        }
        if (o.stacks().isEmpty()) {
            content.setCenter(noStacksState(o.hosts()));
            return;
        }
        content.setCenter(tabs);
        StackViewModel.StackRef want = wanted != null ? wanted : stackVm.selectedProperty().get();
        wanted = null;
        TreeItem<Item> item = rootItem.getChildren().stream().flatMap(h -> h.getChildren().stream())
                .filter(i -> want == null || (i.getValue().host().equals(want.host()) && i.getValue().stack().equals(want.stack())))
                .findFirst().orElse(null);
        sidebar.getSelectionModel().select(item); // new items: the listener reads the stack again
    }

    /** Shows this stack (now, or once the history is open). */
    public void showStack(String host, String stack) {
        wanted = new StackViewModel.StackRef(host, stack);
        if (stackVm != null) {
            stackVm.select(host, stack); // chosen now: the toolbar's actions act on it before the sidebar shows it
        }
        reload();
    }

    /** Creates the demo stack "demo" on {@code host}; the sidebar then shows (and selects) it. */
    public void createDemoStack(Host host, Runnable failed) {
        jobs.submit("Create the demo stack", p -> {
            try (var docker = app.connector().apply(host)) {
                return new dev.lifeboat.core.demo.DemoStack(docker, DEMO_IMAGE).create("demo", app.home().resolve("demo").resolve("demo"));
            }
        }, info -> {
            wanted = new StackViewModel.StackRef(host.name(), info.name());
            refresh();
        }, err -> {
            failed.run();
            dialogs.error("The demo stack was not created", err);
        });
    }

    /** Keyboard: every toolbar action has a shortcut, shown in its tooltip. */
    private void installShortcuts() {
        var keys = root.getScene().getAccelerators();
        for (var e : shortcuts.entrySet()) {
            javafx.scene.control.ButtonBase b = e.getKey();
            javafx.scene.input.KeyCombination k = javafx.scene.input.KeyCombination.keyCombination(e.getValue());
            keys.put(k, b::fire);
            b.setTooltip(new javafx.scene.control.Tooltip(b.getText().replace("…", "") + " (" + k.getDisplayText() + ")"));
        }
    }

    /** A host but no stack yet: what Lifeboat looks for, and a demo stack in one click on a local engine. */
    private Node noStacksState(List<Host> hosts) {
        Host local = hosts.stream().filter(h -> !h.ssh()).findFirst().orElse(hosts.get(0));
        Button demo = new Button("Create a demo stack on " + local.name());
        demo.setId("create-demo");
        demo.setOnAction(e -> {
            demo.setDisable(true);
            createDemoStack(local, () -> demo.setDisable(false));
        });
        Button refresh = new Button("Look again");
        refresh.setOnAction(e -> refresh());
        return nextStep("no-stacks", "No stacks yet", "Lifeboat finds Docker Compose projects (the com.docker.compose.project "
                + "label) and what holds their data: PostgreSQL, Redis, named volumes and the project's config directory. "
                + "Start a stack with docker compose, or try Lifeboat on a demo stack (PostgreSQL, Redis, a volume and a .env).",
                demo, refresh);
    }

    /** A centred explanation of what to do next, with its buttons (the first is the default). */
    private static Node nextStep(String id, String title, String text, Button... actions) {
        Label t = new Label(title);
        t.getStyleClass().add("empty-title");
        Label explain = new Label(text);
        explain.setWrapText(true);
        actions[0].setDefaultButton(true);
        VBox box = new VBox(14, t, explain, new HBox(10, actions));
        box.setAlignment(Pos.CENTER);
        box.setMaxWidth(560);
        box.setPadding(new Insets(40));
        box.setId(id);
        return box;
    }

    private Node emptyState() {
        Button local = new Button("Use this machine's Docker");
        local.setId("use-local-docker");
        local.setOnAction(e -> jobs.submit("Add this machine's Docker", p -> {
            Host h = new Host("local", HostWizardModel.LOCAL_DOCKER, false);
            new HostEnrollment(app.history(), app.secrets(), app.connector()).add(h, app.actor());
            return DefaultDestination.ensure(app.home(), app.repositories(), app.actor());
        }, d -> {
            reload();
            tellAboutNewKey(d);
        }, err -> dialogs.error("Docker is not reachable on this machine", err)));
        Button remote = new Button("Add a server over SSH…");
        remote.setId("add-ssh-host");
        remote.setOnAction(e -> openHostWizard());
        return nextStep("empty-state", "Add your first host", "Lifeboat backs up the Docker stacks of a host. Start with this "
                + "machine's Docker engine; or add a server that Lifeboat reaches over SSH with a key.", local, remote);
    }

    private void select(String host, String stack) {
        stackVm.select(host, stack);
    }

    /** The stack chosen in the sidebar, or null. */
    private StackViewModel.StackRef selected() {
        return stackVm == null ? null : stackVm.selectedProperty().get();
    }

    private void openPoint(TimelineEntry e) {
        if (e.status() == TimelineEntry.Status.FAILED) {
            dialogs.info("Failed backup", e.detail() == null ? "" : e.detail());
            return;
        }
        openPointDetails(e.id());
    }

    /** The point's details window, with Verify, Test-restore, Restore and Replicate. */
    public PointDetails openPointDetails(String pointId) {
        StackViewModel.StackRef stack = selected();
        PointDetails d = new PointDetails(root.getScene().getWindow(), app, jobs, stack.host(), stack.stack(), pointId,
                id -> openRestoreWizard(stack, id), this::afterWork);
        d.stage().show();
        return d;
    }

    public HostWizard openHostWizard() {
        HostWizard w = new HostWizard(root.getScene().getWindow(), app, jobs, h -> reload());
        w.frame().stage().show();
        return w;
    }

    /** The backup-plan wizard, for the selected stack if there is one. */
    public PlanWizard openPlanWizard() {
        StackViewModel.StackRef stack = selected();
        PlanWizard w = new PlanWizard(root.getScene().getWindow(), app, jobs, stack == null ? null : stack.host(),
                stack == null ? null : stack.stack(), p -> reload());
        w.frame().stage().show();
        return w;
    }

    public ManualDrillForm openManualDrill() {
        StackViewModel.StackRef stack = selected();
        if (stack == null) {
            dialogs.info("DR drill", "Choose a stack in the sidebar first.");
            return null;
        }
        ManualDrillForm f = new ManualDrillForm(root.getScene().getWindow(), app, jobs, stack.host(), stack.stack(), r -> afterWork());
        f.frame().stage().show();
        return f;
    }

    public RestoreWizard openRestoreWizard() {
        return openRestoreWizard(selected(), null);
    }

    /** The restore wizard, on {@code stack} (else the stack is its first choice) and {@code pointId} if given. */
    private RestoreWizard openRestoreWizard(StackViewModel.StackRef stack, String pointId) {
        RestoreWizard w = new RestoreWizard(root.getScene().getWindow(), app, jobs, stack == null ? null : stack.host(),
                stack == null ? null : stack.stack(), pointId);
        w.onShowActivity(this::showActivity);
        w.stage().setOnHidden(e -> afterWork());
        w.stage().show();
        return w;
    }

    public dev.lifeboat.ui.drillwizard.DrillWizard openDrillWizard() {
        StackViewModel.StackRef stack = selected();
        if (stack == null) {
            dialogs.info("DR drill", "Choose a stack in the sidebar first.");
            return null;
        }
        var w = new dev.lifeboat.ui.drillwizard.DrillWizard(root.getScene().getWindow(), app, jobs, stack.host(), stack.stack());
        w.stage().setOnHidden(e -> afterWork());
        w.stage().show();
        return w;
    }

    /** A proof of the newest point from the dashboard, on the jobs; its outcome is told in a dialog when done. */
    private void proveNewest(String name, java.util.function.Function<dev.lifeboat.core.Progress, String> work) {
        jobs.submit(name, work, line -> {
            afterWork();
            dialogs.info(name, line);
        }, e -> {
            afterWork();
            dialogs.error(name + " failed", e);
        });
    }

    private void backupNow() {
        StackViewModel.StackRef chosen = selected();
        if (chosen == null) {
            dialogs.info("Back up", "Choose a stack in the sidebar first.");
            return;
        }
        String host = chosen.host();
        String stack = chosen.stack();
        jobs.submit("Back up " + host + "/" + stack, () -> app.history().runs().typicalDuration("backup", host, stack).orElse(null), p -> {
            DefaultDestination.Result d = DefaultDestination.ensure(app.home(), app.repositories(), app.actor());
            return java.util.Map.entry(d, app.backups().backup(host, stack, d.destination().name(), "backup", p));
        }, done -> {
            afterWork();
            tellAboutNewKey(done.getKey());
        }, e -> {
            afterWork();
            dialogs.error("Backup of " + host + "/" + stack + " failed", e);
        });
    }

    /** Once, when the embedded default destination was just created: where its key is, and to keep a copy. */
    private void tellAboutNewKey(DefaultDestination.Result d) {
        d.newKey().ifPresent(key -> dialogs.info("Backups go to " + d.destination().location(),
                "Backups are encrypted with the new key " + key + ".\nStore a copy of it off this machine (a password manager "
                        + "or a safe): without it no backup can be restored."));
    }

    /** The chosen stack's drill history (RTO/RPO trend, next due) in its own window; the history is read on a worker. */
    public void openDrillHistory() {
        StackViewModel.StackRef chosen = selected();
        if (chosen == null) {
            return;
        }
        jobs.read(() -> java.util.Map.entry(app.history().proof().drills(chosen.host(), chosen.stack()),
                app.history().plans().settings(chosen.host(), chosen.stack())), read -> {
            javafx.stage.Stage w = new javafx.stage.Stage();
            w.setTitle("Drill history of " + chosen);
            if (root.getScene() != null) {
                w.initOwner(root.getScene().getWindow());
            }
            javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(
                    dev.lifeboat.ui.drillwizard.DrillHistoryView.of(chosen.toString(), read.getKey(), read.getValue(),
                            java.time.LocalDate.now(java.time.ZoneOffset.UTC)));
            scroll.setFitToWidth(true);
            javafx.scene.Scene scene = new javafx.scene.Scene(scroll, 760, 620);
            scene.getStylesheets().add(dev.lifeboat.ui.common.Theme.stylesheet());
            w.setScene(scene);
            w.show();
        }, e -> dialogs.error("Cannot read the drills of " + chosen, e));
    }

    /**
     * Writes the chosen stack's DR runbook to {@code file} on a background job, as PDF, HTML or Markdown by the
     * file's extension (PDF otherwise), and says where when done.
     */
    public void exportRunbook(java.nio.file.Path file) {
        StackViewModel.StackRef chosen = selected();
        if (chosen == null) {
            dialogs.info("Export runbook", "Choose a stack in the sidebar first.");
            return;
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String format = name.endsWith(".md") ? "md" : name.endsWith(".html") || name.endsWith(".htm") ? "html" : "pdf";
        jobs.submit("Export the runbook of " + chosen, p -> {
            var doc = dev.lifeboat.core.proof.Runbook.of(app.history(), app.repositories(), chosen.host(), chosen.stack(),
                    dev.lifeboat.AppContext.VERSION, app.home());
            try {
                java.nio.file.Files.write(file, dev.lifeboat.core.proof.Runbook.render(doc, format));
            } catch (java.io.IOException e) {
                throw new dev.lifeboat.core.LifeboatException("Cannot write " + file + ": " + e.getMessage(), e);
            }
            return file;
        }, written -> dialogs.info("Runbook exported", "The DR runbook of " + chosen + " is in " + written
                + ". Print it, and keep a copy where you can read it when this machine is down."),
                e -> dialogs.error("Cannot export the runbook of " + chosen, e));
    }

    /** The activity log, filtered by {@code text} (a point id, say). */
    public void showActivity(String text) {
        activityPane.filter(text);
        showTab("Activity");
    }

    /** For tests and screenshots: choose a tab by its title. */
    public void showTab(String title) {
        tabs.getTabs().stream().filter(t -> t.getText().equals(title)).findFirst().ifPresent(t -> tabs.getSelectionModel().select(t));
    }

    /** The Alerts tab (for tests: what it lists). */
    public AlertsView alerts() {
        return alerts;
    }

    public TimelineView timeline() {
        return timeline;
    }
}
