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
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A stack's recovery points on a horizontal time axis, zoomable from a day to a year: one circle per
 * point, colored by status (ok, verified, test-restored, failed) and sized by bytes, with its retention
 * tiers beneath, gaps longer than the RPO shaded red, and markers for drills and restores. Hovering
 * shows a summary; clicking opens the point.
 */
public final class TimelineView {
    /** How much of the history the timeline shows; {@link #FIT} (no span) fits it to the stack's data. */
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
    private final BorderPane root = new BorderPane();
    private final Pane canvas = new Pane();
    private final ComboBox<Zoom> zoom = new ComboBox<>();
    private final Label summary = new Label();
    private final ObjectProperty<Timeline> timeline = new SimpleObjectProperty<>();
    private Consumer<TimelineEntry> onOpen = e -> { };

    public TimelineView() {
        zoom.getItems().setAll(Zoom.values());
        zoom.setValue(Zoom.FIT);
        zoom.setId("zoom");
        zoom.setMinWidth(110);
        summary.setId("timeline-summary");
        Label zoomLabel = new Label("Zoom");
        zoomLabel.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
        HBox bar = new HBox(10, zoomLabel, zoom, summary);
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        canvas.setId("timeline");
        canvas.setMinHeight(180);
        canvas.setPrefHeight(200);
        root.setTop(bar);
        root.setCenter(canvas);
        canvas.widthProperty().addListener((o, a, b) -> draw());
        timeline.addListener((o, a, b) -> draw());
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

    private void draw() {
        canvas.getChildren().clear();
        Timeline t = timeline.get();
        if (t == null) {
            return;
        }
        double w = Math.max(200, canvas.getWidth() > 0 ? canvas.getWidth() : 800);
        double pad = 30;
        double axisY = 110;
        double span = Math.max(1, Duration.between(t.from(), t.to()).toMillis());
        java.util.function.ToDoubleFunction<Instant> x = at -> pad + (w - 2 * pad) * Duration.between(t.from(), at).toMillis() / span;

        for (Timeline.Gap g : t.gaps()) {
            Rectangle r = new Rectangle(x.applyAsDouble(g.from()), 30, Math.max(2, x.applyAsDouble(g.to()) - x.applyAsDouble(g.from())), 120);
            r.getStyleClass().add("timeline-gap");
            Tooltip.install(r, new Tooltip("No backup for " + hours(Duration.between(g.from(), g.to())) + ": RPO exceeded\n"
                    + WHEN.format(g.from()) + " → " + WHEN.format(g.to())));
            canvas.getChildren().add(r);
        }
        Line axis = new Line(pad, axisY, w - pad, axisY);
        axis.getStyleClass().add("timeline-axis");
        canvas.getChildren().add(axis);
        int ticks = 6;
        for (int i = 0; i <= ticks; i++) {
            Instant at = t.from().plusMillis((long) (span * i / ticks));
            Text label = new Text(x.applyAsDouble(at) - 30, axisY + 50, tickLabel(at, Duration.between(t.from(), t.to())));
            label.getStyleClass().add("timeline-tick");
            canvas.getChildren().add(label);
        }
        long max = t.entries().stream().mapToLong(TimelineEntry::bytes).max().orElse(1);
        for (TimelineEntry e : t.entries()) {
            double r = e.status() == TimelineEntry.Status.FAILED ? 5 : 4 + 7 * Math.sqrt((double) e.bytes() / Math.max(1, max));
            Circle c = new Circle(x.applyAsDouble(e.at()), e.status() == TimelineEntry.Status.FAILED ? axisY + 18 : axisY, r);
            c.getStyleClass().addAll("timeline-point", e.status().name());
            c.setUserData(e);
            Tooltip.install(c, new Tooltip(summaryOf(e)));
            c.setOnMouseClicked(ev -> onOpen.accept(e));
            canvas.getChildren().add(c);
            String tiers = String.join("", e.tiers().stream().map(s -> s.equals("newest") ? "N" : s.substring(0, 1).toUpperCase(Locale.ROOT))
                    .sorted().toList());
            if (!tiers.isEmpty() && e.status() != TimelineEntry.Status.FAILED) {
                Text tier = new Text(c.getCenterX() - 4, axisY - r - 6, tiers);
                tier.getStyleClass().add("timeline-tier");
                canvas.getChildren().add(tier);
            }
        }
        for (Timeline.Marker m : t.markers()) {
            double mx = x.applyAsDouble(m.at());
            Polygon p = new Polygon(mx - 6, 36, mx + 6, 36, mx, 46);
            p.getStyleClass().addAll("timeline-marker", m.kind());
            Tooltip.install(p, new Tooltip(m.kind() + (m.ok() ? " ok" : " failed") + " · " + WHEN.format(m.at()) + " UTC\n"
                    + (m.detail() == null ? "" : m.detail())));
            canvas.getChildren().add(p);
        }
        double bandY = axisY + 26;
        for (dev.lifeboat.core.pitr.Coverage cov : t.wal()) {
            Text label = new Text(2, bandY + 7, "WAL");
            label.getStyleClass().add("timeline-wal-label");
            canvas.getChildren().add(label);
            for (var s : cov.spans()) {
                band(t, x, bandY, s.from(), s.to(), "timeline-wal", cov.asset() + ": restorable to any moment\n"
                        + WHEN_S.format(s.from()) + " → " + WHEN_S.format(s.to()) + " UTC");
            }
            for (var g : cov.gaps()) {
                band(t, x, bandY, g.from(), g.to(), "timeline-wal-gap", cov.asset() + ": no restore to a moment in here: " + g.why()
                        + "\n" + WHEN_S.format(g.from()) + " → " + WHEN_S.format(g.to()) + " UTC");
            }
            bandY += 10;
        }
        long points = t.entries().stream().filter(e -> e.status() != TimelineEntry.Status.FAILED).count();
        summary.setText(points + " points · " + (t.entries().size() - points) + " failed runs · " + t.gaps().size()
                + " gaps over the RPO · " + t.markers().size() + " drills and restores" + walSummary(t)
                + " · tiers: N newest, D daily, W weekly, M monthly");
    }

    /** A stretch of the WAL band, clipped to the view; nothing when it lies outside. */
    private void band(Timeline t, java.util.function.ToDoubleFunction<Instant> x, double y, Instant from, Instant to,
                      String style, String tip) {
        Instant a = from.isBefore(t.from()) ? t.from() : from;
        Instant b = to.isAfter(t.to()) ? t.to() : to;
        if (b.isBefore(a)) {
            return;
        }
        Rectangle r = new Rectangle(x.applyAsDouble(a), y, Math.max(2, x.applyAsDouble(b) - x.applyAsDouble(a)), 7);
        r.getStyleClass().add(style);
        Tooltip.install(r, new Tooltip(tip));
        canvas.getChildren().add(r);
    }

    /** The WAL coverage in words: up to when a restore to a moment reaches, and its gaps. */
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
        String f = span.toDays() <= 1 ? "HH:mm" : span.toDays() <= 31 ? "MM-dd" : "yyyy-MM";
        return DateTimeFormatter.ofPattern(f).withZone(ZoneOffset.UTC).format(at);
    }

    private static String hours(Duration d) {
        return d.toHours() >= 48 ? d.toDays() + " days" : d.toHours() + " h";
    }
}
