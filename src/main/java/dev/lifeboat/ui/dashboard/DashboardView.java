package dev.lifeboat.ui.dashboard;

import dev.lifeboat.core.Units;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** A stack's dashboard: cards with the figures an admin checks first, the 7-day chart, and the alerts. */
public final class DashboardView {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WHEN_S = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private final VBox root = new VBox(14);
    private final ScrollPane scroll = new ScrollPane(root);

    public DashboardView() {
        root.setPadding(new Insets(16));
        root.setId("dashboard");
        scroll.setFitToWidth(true);
        root.getChildren().add(new Label("Choose a stack in the sidebar."));
    }

    public Parent root() {
        return scroll;
    }

    public void showLoading(String stack) {
        root.getChildren().setAll(new Label("Loading " + stack + "…"));
    }

    public void show(String title, dev.lifeboat.core.fleet.StackDashboard.View d) {
        Circle dot = new Circle(7);
        dot.getStyleClass().addAll("health-dot", "health-" + d.health().level());
        Label heading = new Label(title);
        heading.getStyleClass().add("section-title");
        heading.setId("dashboard-title");
        Label reason = new Label(d.health().reason());
        reason.setId("health-reason");
        HBox head = new HBox(8, dot, heading, reason);
        head.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        HBox next = nextActions(d);

        FlowPane cards = new FlowPane(12, 12);
        cards.getChildren().add(card("Last backup", d.newest() == null ? "never" : age(d.health().age()) + " ago",
                d.newest() == null ? "" : Units.bytes(d.newest().storedBytes()) + " · " + WHEN.format(d.newest().createdAt()) + " UTC"));
        cards.getChildren().add(card("Next backup", d.nextBackup(), d.schedule()));
        cards.getChildren().add(card("Last restore test", d.lastTest() == null ? "never" : (d.lastTest().ok() ? "passed" : "FAILED"),
                d.lastTest() == null ? "due now" : WHEN.format(d.lastTest().at()) + " · " + String.format(Locale.ROOT, "%.1f s",
                        d.lastTest().durationMs() / 1000.0) + " · next due " + d.nextTestDue()));
        cards.getChildren().add(card("Last drill", d.lastDrill() == null ? "never" : (d.lastDrill().ok() ? "passed" : "FAILED"),
                d.lastDrill() == null ? "due now" : d.lastDrill().scenario() + " · RTO " + ms(d.lastDrill().rtoMs()) + " / "
                        + ms(d.lastDrill().rtoTargetMs()) + (d.lastDrillDowntimeMs() == null ? "" : ", down "
                        + ms(d.lastDrillDowntimeMs())) + " · RPO " + ms(d.lastDrill().rpoMs()) + " / "
                        + ms(d.lastDrill().rpoTargetMs()) + " · next due " + d.nextDrillDue()));

        cards.getChildren().add(pitrCard(d.pitr()));
        if (!d.keptAside().isEmpty()) {
            cards.getChildren().add(keptCard(d.keptAside()));
        }

        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis();
        y.setLabel("MiB");
        BarChart<String, Number> chart = new BarChart<>(x, y);
        chart.setId("size-chart");
        chart.setTitle("Stored per day, last 7 days · average backup " + Units.bytes(d.averageBytes())
                + (d.trendPercent() == null ? "" : String.format(Locale.ROOT, " · newest %+.0f%% against it", d.trendPercent())));
        chart.setLegendVisible(false);
        chart.setAnimated(false);
        chart.setPrefHeight(240);
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        for (Map.Entry<LocalDate, Long> e : d.lastSevenDays().entrySet()) {
            series.getData().add(new XYChart.Data<>(e.getKey().toString().substring(5), e.getValue() / 1048576.0));
        }
        chart.getData().add(series);

        ListView<String> alerts = new ListView<>();
        alerts.setId("alerts");
        alerts.getItems().setAll(d.alerts());
        alerts.setPlaceholder(new Label("No alerts in the last 30 days."));
        alerts.setPrefHeight(120);

        VBox tables = new VBox(4);
        Label tablesTitle = new Label("Largest tables in the newest point");
        tablesTitle.getStyleClass().add("section-title");
        tables.getChildren().add(tablesTitle);
        if (d.largestTables().isEmpty()) {
            tables.getChildren().add(new Label("No PostgreSQL figures yet."));
        }
        d.largestTables().forEach((t, n) -> tables.getChildren().add(new Label(n < 0 ? t : String.format(Locale.ROOT,
                "%-40s %,d rows", t, n))));
        Label alertsTitle = new Label("Alerts, last 30 days");
        alertsTitle.getStyleClass().add("section-title");
        root.getChildren().setAll(head, next, cards, chart, alertsTitle, alerts, tables);
        VBox.setVgrow(alerts, Priority.SOMETIMES);
    }

    /** What the dashboard's next-action buttons do; the shell runs them on its jobs. */
    public interface Actions {
        void backUp();

        void verify(String pointId);

        void testRestore(String pointId);

        void createPlan();

        void exportRunbook();

        void drillHistory();
    }

    private Actions actions;

    public void setActions(Actions actions) {
        this.actions = actions;
    }

    /**
     * The next things worth doing for this stack: a first backup; proving the newest point (verify, restore
     * test); a plan when nothing is scheduled.
     */
    private HBox nextActions(dev.lifeboat.core.fleet.StackDashboard.View d) {
        HBox row = new HBox(8);
        row.setId("dashboard-actions");
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        if (actions == null) {
            return row;
        }
        if (d.newest() == null) {
            row.getChildren().add(button("Back up now", "dashboard-backup", actions::backUp));
        } else {
            String id = d.newest().id();
            row.getChildren().add(button("Verify now", "dashboard-verify", () -> actions.verify(id)));
            row.getChildren().add(button("Test-restore now", "dashboard-test-restore", () -> actions.testRestore(id)));
        }
        if (d.nextBackup().equals("not scheduled")) {
            row.getChildren().add(button("Create a plan…", "dashboard-plan", actions::createPlan));
        }
        row.getChildren().add(button("Drill history…", "dashboard-drills", actions::drillHistory));
        row.getChildren().add(button("Export runbook…", "dashboard-runbook", actions::exportRunbook));
        return row;
    }

    private static javafx.scene.control.Button button(String text, String id, Runnable action) {
        javafx.scene.control.Button b = new javafx.scene.control.Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    /** What "Switch on…" on the point-in-time recovery card does (the shell asks where to and confirms). */
    public void setOnEnablePitr(Runnable enable) {
        this.onEnablePitr = enable;
    }

    private Runnable onEnablePitr = () -> { };

    /** Point-in-time recovery: off, with the button that switches it on; or where the WAL goes and up to when it restores. */
    private Node pitrCard(java.util.List<dev.lifeboat.core.fleet.StackDashboard.Pitr> pitr) {
        if (pitr.isEmpty()) {
            VBox box = (VBox) card("Point-in-time recovery", "off", "Nightly dumps lose up to a day. Shipping the WAL restores "
                    + "PostgreSQL to any second.");
            javafx.scene.control.Button on = new javafx.scene.control.Button("Switch on…");
            on.setId("pitr-enable");
            on.setOnAction(e -> onEnablePitr.run());
            box.getChildren().add(on);
            box.setId("pitr-card");
            return box;
        }
        StringBuilder detail = new StringBuilder();
        for (var p : pitr) {
            detail.append(detail.length() == 0 ? "" : "\n").append(p.asset()).append(" → ").append(p.destination()).append(" · ")
                    .append(p.coverage().newest().map(n -> "restorable up to " + WHEN_S.format(n) + " UTC")
                            .orElse("no moment restorable yet: back up the stack once"))
                    .append(p.coverage().gaps().isEmpty() ? "" : " · " + p.coverage().gaps().size() + " gaps")
                    .append(p.lag() == null ? "" : " · lag " + p.lag().toSeconds() + " s");
        }
        Node card = card("Point-in-time recovery", "on", detail.toString());
        card.setId("pitr-card");
        return card;
    }

    /** What "Release…" on the card of data kept on the host does (the shell confirms, then releases in the background). */
    public void setOnRelease(java.util.function.Consumer<java.util.List<dev.lifeboat.core.history.SafetyCopyRepository.Kept>> release) {
        this.onRelease = release;
    }

    private java.util.function.Consumer<java.util.List<dev.lifeboat.core.history.SafetyCopyRepository.Kept>> onRelease = k -> { };

    /** What restores replaced and kept on the host, until when, and the button that frees it sooner. */
    private Node keptCard(java.util.List<dev.lifeboat.core.history.SafetyCopyRepository.Kept> kept) {
        StringBuilder detail = new StringBuilder();
        for (var k : kept) {
            detail.append(detail.length() == 0 ? "" : "\n").append(k.asset()).append(" · until ").append(WHEN.format(k.expiresAt()))
                    .append(" UTC");
        }
        VBox box = (VBox) card("Kept on the host", kept.size() + (kept.size() == 1 ? " safety copy" : " safety copies"),
                "What restores replaced, kept aside to swap back to.\n" + detail);
        javafx.scene.control.Button release = new javafx.scene.control.Button("Release…");
        release.setId("kept-release");
        release.setOnAction(e -> onRelease.accept(kept));
        box.getChildren().add(release);
        box.setId("kept-card");
        return box;
    }

    public void failed(String message) {
        Label l = new Label("Could not load the dashboard: " + message);
        l.getStyleClass().add("danger-text");
        root.getChildren().setAll(l);
    }

    private static Node card(String title, String value, String detail) {
        Label t = new Label(title);
        t.getStyleClass().add("card-title");
        Label v = new Label(value);
        v.getStyleClass().add("card-value");
        Label dl = new Label(detail);
        dl.getStyleClass().add("card-detail");
        dl.setWrapText(true);
        VBox box = new VBox(4, t, v, dl);
        box.getStyleClass().add("card");
        box.setPrefWidth(250);
        box.setMinHeight(100);
        return box;
    }

    /** An age in the unit that reads best: minutes, hours, then days. */
    public static String age(Duration d) {
        if (d == null) {
            return "-";
        }
        long m = Math.max(0, d.toMinutes());
        return m < 60 ? m + " min" : m < 48 * 60 ? m / 60 + " h" : m / 1440 + " days";
    }

    static String ms(Long ms) {
        if (ms == null) {
            return "-";
        }
        long s = ms / 1000;
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : s < 3600 ? s / 60 + " min" : s < 172800 ? s / 3600 + " h"
                : s / 86400 + " d";
    }
}
