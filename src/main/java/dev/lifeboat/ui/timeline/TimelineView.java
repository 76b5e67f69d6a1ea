package dev.lifeboat.ui.timeline;

import dev.lifeboat.core.status.Timeline;
import dev.lifeboat.core.status.TimelineEntry;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A stack's recovery points on a horizontal time axis. The zoom box chooses how much history is loaded (all
 * of it by default); within it the wheel zooms about the pointer, a drag pans, ←/→ step from point to point
 * (Enter opens one), and "Fit" shows all that is loaded ({@link TimelineModel} keeps that state). One lane
 * for the backups as written, one per destination holding copies. Points too close to tell apart draw as one
 * cluster with a count; clicking it zooms in until they split. Color is status (ok, verified, test-restored,
 * failed; a cluster takes failed if any failed, else its strongest proof), V and T badges mark verified and
 * test-restored points, gaps longer than the RPO are shaded, drills and restores are markers above, and WAL
 * coverage is a band below. Hovering shows a summary; clicking a point opens it.
 */
public final class TimelineView {
    /** How much of the history the timeline loads; {@link #FIT} (no span) loads all of it. */
    public enum Zoom {
        FIT(null, "All of it"), DAY(Duration.ofDays(1), "Last day"), WEEK(Duration.ofDays(7), "Last week"),
        MONTH(Duration.ofDays(31), "Last month"), YEAR(Duration.ofDays(366), "Last year");

        public final Duration span;
        private final String words;

        Zoom(Duration span, String words) {
            this.span = span;
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WHEN_S = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final double PAD_LEFT = 12;
    private static final double PAD_RIGHT = 12;
    private static final double FIRST_LANE = 52;
    private static final double LANE = 48;
    private final BorderPane root = new BorderPane();
    private final Pane canvas = new Pane();
    private final ComboBox<Zoom> zoom = new ComboBox<>();
    private final Label summary = new Label();
    private final ObjectProperty<Timeline> timeline = new SimpleObjectProperty<>();
    private final TimelineModel model = new TimelineModel();
    private Consumer<TimelineEntry> onOpen = e -> { };
    private double dragX = Double.NaN;
    private boolean dragged;

    public TimelineView() {
        zoom.getItems().setAll(Zoom.values());
        zoom.setValue(Zoom.FIT);
        zoom.setId("zoom");
        zoom.setMinWidth(110);
        summary.setId("timeline-summary");
        Label zoomLabel = new Label("Load");
        zoomLabel.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
        javafx.scene.control.Button fit = new javafx.scene.control.Button("Fit");
        fit.setId("timeline-fit");
        fit.setOnAction(e -> {
            model.fit();
            draw();
        });
        fit.setTooltip(new Tooltip("Show all that is loaded (the wheel zooms, a drag pans, ←/→ step between points)"));
        fit.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
        HBox controls = new HBox(10, zoomLabel, zoom, fit);
        controls.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        summary.setWrapText(true);
        javafx.scene.layout.VBox bar = new javafx.scene.layout.VBox(6, controls, summary);
        bar.setPadding(new Insets(8));
        canvas.setId("timeline");
        canvas.setMinHeight(180);
        canvas.setPrefHeight(220);
        canvas.setFocusTraversable(true);
        javafx.scene.shape.Rectangle clip = new javafx.scene.shape.Rectangle();
        clip.widthProperty().bind(canvas.widthProperty());
        clip.heightProperty().bind(canvas.heightProperty());
        canvas.setClip(clip);
        root.setTop(bar);
        root.setCenter(canvas);
        root.setBottom(legend());
        canvas.widthProperty().addListener((o, a, b) -> draw());
        timeline.addListener((o, a, b) -> {
            model.show(b);
            draw();
        });
        canvas.setOnScroll(e -> {
            if (e.getDeltaY() != 0) {
                model.zoom((e.getX() - PAD_LEFT) / innerWidth(), e.getDeltaY() > 0 ? 0.8 : 1.25);
                draw();
            }
            e.consume();
        });
        canvas.setOnMousePressed(e -> {
            dragX = e.getX();
            dragged = false;
            canvas.requestFocus();
        });
        canvas.setOnMouseDragged(e -> {
            if (!Double.isNaN(dragX) && Math.abs(e.getX() - dragX) >= 2) {
                model.pan(-(e.getX() - dragX) / innerWidth());
                dragX = e.getX();
                dragged = true;
                draw();
            }
        });
        canvas.setOnMouseReleased(e -> dragX = Double.NaN);
        canvas.setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case RIGHT -> model.step(1);
                case LEFT -> model.step(-1);
                case ENTER -> model.selected().ifPresent(onOpen);
                case PLUS, ADD, EQUALS -> model.zoom(0.5, 0.8);
                case MINUS, SUBTRACT -> model.zoom(0.5, 1.25);
                case HOME -> model.fit();
                default -> {
                    return;
                }
            }
            e.consume();
            draw();
        });
    }

    public Parent root() {
        return root;
    }

    public ObjectProperty<Zoom> zoomProperty() {
        return zoom.valueProperty();
    }

    public void setOnOpen(Consumer<TimelineEntry> open) {
        this.onOpen = open;
    }

    public void show(Timeline t) {
        timeline.set(t);
    }

    /** Selects the point {@code id} (say, chosen in a table beside the timeline), moving the window to show it. */
    public void select(String id) {
        model.select(id);
        model.selected().ifPresent(e -> {
            if (e.at().isBefore(model.from()) || e.at().isAfter(model.to())) {
                model.fit();
            }
        });
        draw();
    }

    /** A smaller timeline for a wizard's step: {@code height} pixels of lanes, no legend. */
    public void compact(double height) {
        canvas.setMinHeight(height);
        canvas.setPrefHeight(height);
        root.setBottom(null);
    }

    /** What the timeline shows: its window, lanes, clusters and selection (for tests, and the view itself). */
    public TimelineModel model() {
        return model;
    }

    private double width() {
        return Math.max(200, canvas.getWidth() > 0 ? canvas.getWidth() : 800);
    }

    private double innerWidth() {
        return width() - PAD_LEFT - PAD_RIGHT;
    }

    private double x(Instant at) {
        return PAD_LEFT + model.x(at, innerWidth());
    }

    private static javafx.scene.layout.FlowPane legend() {
        javafx.scene.layout.FlowPane legend = new javafx.scene.layout.FlowPane(14, 4);
        legend.setId("timeline-legend");
        legend.setPadding(new Insets(4, 8, 8, 8));
        legend.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        for (TimelineEntry.Status s : TimelineEntry.Status.values()) {
            Circle c = new Circle(5);
            c.getStyleClass().addAll("timeline-legend-dot", s.name());
            legend.getChildren().add(new Label(statusWords(s), c));
        }
        Rectangle gap = new Rectangle(14, 10);
        gap.getStyleClass().add("timeline-legend-gap");
        Polygon marker = new Polygon(0, 0, 12, 0, 6, 10);
        marker.getStyleClass().add("timeline-legend-marker");
        Rectangle wal = new Rectangle(14, 7);
        wal.getStyleClass().add("timeline-legend-wal");
        Circle cluster = new Circle(7);
        cluster.getStyleClass().addAll("timeline-legend-dot", "OK", "timeline-cluster");
        legend.getChildren().addAll(new Label("no backup for longer than the RPO", gap), new Label("drill or restore", marker),
                new Label("restorable to any moment (WAL)", wal), new Label("several points: click to zoom in", cluster));
        legend.getChildren().forEach(n -> ((Label) n).setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE));
        return legend;
    }

    static String statusWords(TimelineEntry.Status s) {
        return switch (s) {
            case OK -> "backed up";
            case VERIFIED -> "verified (V)";
            case TEST_RESTORED -> "restore-tested (T)";
            case FAILED -> "backup failed";
        };
    }

    private void draw() {
        canvas.getChildren().clear();
        Timeline t = timeline.get();
        if (t == null || model.from() == null) {
            return;
        }
        double w = width();
        List<String> lanes = model.lanes();
        double lastLane = FIRST_LANE + (lanes.size() - 1) * LANE;
        double axisY = lastLane + 26;
        canvas.setPrefHeight(axisY + 40 + 10 * t.wal().size());
        Instant from = model.from();
        Instant to = model.to();

        for (Timeline.Gap g : t.gaps()) {
            if (!g.to().isAfter(from) || !g.from().isBefore(to)) {
                continue;
            }
            double a = Math.max(0, x(g.from()));
            double b = Math.min(w, x(g.to()));
            Rectangle r = new Rectangle(a, 24, Math.max(2, b - a), axisY - 24);
            r.getStyleClass().add("timeline-gap");
            Tooltip.install(r, new Tooltip("No backup for " + hours(Duration.between(g.from(), g.to())) + ": RPO exceeded\n"
                    + WHEN.format(g.from()) + " → " + WHEN.format(g.to())));
            canvas.getChildren().add(r);
        }
        for (int i = 0; i < lanes.size(); i++) {
            double y = FIRST_LANE + i * LANE;
            Line line = new Line(PAD_LEFT, y, w - PAD_RIGHT, y);
            line.getStyleClass().add("timeline-lane");
            Text name = new Text(PAD_LEFT, y - 16, lanes.get(i));
            name.getStyleClass().add("timeline-lane-label");
            canvas.getChildren().addAll(line, name);
        }
        Line axis = new Line(PAD_LEFT, axisY, w - PAD_RIGHT, axisY);
        axis.getStyleClass().add("timeline-axis");
        canvas.getChildren().add(axis);
        int ticks = 6;
        long span = Math.max(1, model.span().toMillis());
        for (int i = 0; i <= ticks; i++) {
            Instant at = from.plusMillis(span * i / ticks);
            Text label = new Text(Math.min(w - 70, Math.max(2, x(at) - 30)), axisY + 16, tickLabel(at, model.span()));
            label.getStyleClass().add("timeline-tick");
            canvas.getChildren().add(label);
        }
        long max = t.entries().stream().mapToLong(TimelineEntry::bytes).max().orElse(1);
        String selected = model.selected().map(TimelineEntry::id).orElse(null);
        for (TimelineModel.Cluster c : model.clusters(innerWidth())) {
            double y = FIRST_LANE + lanes.indexOf(c.lane()) * LANE
                    + (c.status() == TimelineEntry.Status.FAILED ? 14 : 0); // failed runs just below their lane
            drawCluster(c, y, max, selected);
        }
        for (Timeline.Marker m : t.markers()) {
            if (m.at().isBefore(from) || m.at().isAfter(to)) {
                continue;
            }
            double mx = x(m.at());
            Polygon p = new Polygon(mx - 6, 8, mx + 6, 8, mx, 18);
            p.getStyleClass().addAll("timeline-marker", m.kind());
            Tooltip.install(p, new Tooltip(m.kind() + (m.ok() ? " ok" : " failed") + " · " + WHEN.format(m.at()) + " UTC\n"
                    + (m.detail() == null ? "" : m.detail())));
            canvas.getChildren().add(p);
        }
        double bandY = axisY + 24;
        for (dev.lifeboat.core.pitr.Coverage cov : t.wal()) {
            Text label = new Text(2, bandY + 7, "WAL");
            label.getStyleClass().add("timeline-wal-label");
            canvas.getChildren().add(label);
            for (var s : cov.spans()) {
                band(bandY, s.from(), s.to(), "timeline-wal", cov.asset() + ": restorable to any moment\n"
                        + WHEN_S.format(s.from()) + " → " + WHEN_S.format(s.to()) + " UTC");
            }
            for (var g : cov.gaps()) {
                band(bandY, g.from(), g.to(), "timeline-wal-gap", cov.asset() + ": no restore to a moment in here: " + g.why()
                        + "\n" + WHEN_S.format(g.from()) + " → " + WHEN_S.format(g.to()) + " UTC");
            }
            bandY += 10;
        }
        long points = t.entries().stream().filter(e -> e.status() != TimelineEntry.Status.FAILED).count();
        long drills = t.markers().stream().filter(m -> m.kind().equals("drill")).count();
        long restores = t.markers().size() - drills;
        summary.setText(model.visiblePoints().size() + " of " + count(points, "point") + " in view (" + WHEN.format(from) + " → "
                + WHEN.format(to) + " UTC) · " + count(t.entries().size() - points, "failed run") + " · "
                + count(t.gaps().size(), "gap") + " over the RPO · " + count(drills, "drill") + " · " + count(restores, "restore")
                + walSummary(t));
    }

    private void drawCluster(TimelineModel.Cluster c, double y, long max, String selected) {
        double cx = x(c.at());
        if (c.single()) {
            TimelineEntry e = c.entries().get(0);
            double r = e.status() == TimelineEntry.Status.FAILED ? 5 : 4 + 6 * Math.sqrt((double) e.bytes() / Math.max(1, max));
            Circle dot = new Circle(cx, y, r);
            dot.getStyleClass().addAll("timeline-point", e.status().name());
            dot.setUserData(e);
            Tooltip.install(dot, new Tooltip(summaryOf(e) + (c.lane().equals(TimelineModel.BACKUPS) ? "" : "\n(" + c.lane() + ")")));
            dot.setOnMouseClicked(ev -> {
                if (!dragged) {
                    model.select(e.id());
                    draw();
                    onOpen.accept(e);
                }
            });
            canvas.getChildren().add(dot);
            if (e.id().equals(selected)) {
                Circle ring = new Circle(cx, y, r + 4);
                ring.getStyleClass().add("timeline-selected");
                ring.setMouseTransparent(true);
                canvas.getChildren().add(ring);
            }
            String badge = e.status() == TimelineEntry.Status.TEST_RESTORED ? "T" : e.status() == TimelineEntry.Status.VERIFIED ? "V" : "";
            if (!badge.isEmpty()) {
                Text b = new Text(cx + r + 1, y - r, badge);
                b.getStyleClass().add("timeline-badge");
                b.setMouseTransparent(true);
                canvas.getChildren().add(b);
            }
            return;
        }
        Circle dot = new Circle(cx, y, c.status() == TimelineEntry.Status.FAILED ? 7 : 10);
        dot.getStyleClass().addAll("timeline-point", c.status().name(), "timeline-cluster");
        dot.setUserData(c);
        long failed = c.entries().stream().filter(e -> e.status() == TimelineEntry.Status.FAILED).count();
        Tooltip.install(dot, new Tooltip(c.entries().size() + " marks: " + (c.entries().size() - failed) + " points"
                + (failed == 0 ? "" : ", " + failed + " failed runs") + "\n" + WHEN.format(c.from()) + " → " + WHEN.format(c.to())
                + " UTC\nClick to zoom in"));
        dot.setOnMouseClicked(ev -> {
            if (!dragged) {
                model.showRange(c.from(), c.to());
                draw();
            }
        });
        if (c.entries().stream().anyMatch(e -> e.id().equals(selected))) {
            Circle ring = new Circle(cx, y, dot.getRadius() + 4);
            ring.getStyleClass().add("timeline-selected");
            ring.setMouseTransparent(true);
            canvas.getChildren().add(ring);
        }
        Text count = new Text(cx - (c.entries().size() > 9 ? 7 : 3.5), y + 4, Integer.toString(c.entries().size()));
        count.getStyleClass().add("timeline-count");
        count.setMouseTransparent(true);
        canvas.getChildren().addAll(dot, count);
    }

    /** A stretch of the WAL band, clipped to the view; nothing when it lies outside. */
    private void band(double y, Instant from, Instant to, String style, String tip) {
        Instant a = from.isBefore(model.from()) ? model.from() : from;
        Instant b = to.isAfter(model.to()) ? model.to() : to;
        if (b.isBefore(a)) {
            return;
        }
        Rectangle r = new Rectangle(x(a), y, Math.max(2, x(b) - x(a)), 7);
        r.getStyleClass().add(style);
        Tooltip.install(r, new Tooltip(tip));
        canvas.getChildren().add(r);
    }

    /** The WAL coverage in words: up to when a restore to a moment reaches, and its gaps. */
    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String walSummary(Timeline t) {
        StringBuilder b = new StringBuilder();
        for (dev.lifeboat.core.pitr.Coverage c : t.wal()) {
            b.append(" · ").append(c.asset()).append(c.newest().map(n -> " restorable to any moment up to " + WHEN_S.format(n)
                    + " UTC").orElse(" ships its WAL, no moment restorable yet"));
            if (!c.gaps().isEmpty()) {
                b.append(" (").append(c.gaps().size()).append(c.gaps().size() == 1 ? " gap)" : " gaps)");
            }
        }
        return b.toString();
    }

    static String summaryOf(TimelineEntry e) {
        if (e.status() == TimelineEntry.Status.FAILED) {
            return "Backup failed · " + WHEN.format(e.at()) + " UTC\n" + (e.detail() == null ? "" : e.detail());
        }
        return e.id() + "\n" + WHEN.format(e.at()) + " UTC · " + String.format(Locale.ROOT, "%.1f MiB", e.bytes() / 1048576.0)
                + "\nstatus " + e.status().name().toLowerCase(Locale.ROOT).replace('_', '-') + (e.tiers().isEmpty() ? ""
                : " · kept as " + String.join(", ", e.tiers())) + "\non " + e.detail();
    }

    private static String tickLabel(Instant at, Duration span) {
        String f = span.toDays() < 7 ? "MM-dd HH:mm" : span.toDays() <= 62 ? "MM-dd" : "yyyy-MM-dd";
        return DateTimeFormatter.ofPattern(f).withZone(ZoneOffset.UTC).format(at);
    }

    private static String hours(Duration d) {
        return d.toHours() >= 48 ? d.toDays() + " days" : d.toHours() + " h";
    }
}
