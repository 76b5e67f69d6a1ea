package dev.lifeboat.ui.timeline;

import dev.lifeboat.core.status.Timeline;
import dev.lifeboat.core.status.TimelineEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the timeline shows, apart from how it is drawn: the visible window over the loaded history (fitted
 * to it at first; zoomed about a point, panned, stepped), the lanes (the backups as written, then one per
 * destination that holds copies), the points of each lane clustered where they would overlap at the
 * current width, and the selected point. No toolkit: the view draws what this says, tests ask it.
 */
public final class TimelineModel {
    /** The lane of the backups as each was first written. */
    public static final String BACKUPS = "Backups";
    /** Points closer than this many pixels on the axis draw as one cluster, with a count. */
    static final double CLUSTER_PX = 24;
    /** The narrowest window a zoom reaches. */
    static final Duration MIN_SPAN = Duration.ofMinutes(10);

    /** One mark in a lane: a single entry, or several too close to tell apart at this zoom. */
    public record Cluster(String lane, Instant from, Instant to, List<TimelineEntry> entries) {
        public boolean single() {
            return entries.size() == 1;
        }

        /** Failed for failed runs (they cluster apart from points); else the strongest proof any of its points has. */
        public TimelineEntry.Status status() {
            if (entries.stream().anyMatch(e -> e.status() == TimelineEntry.Status.FAILED)) {
                return TimelineEntry.Status.FAILED;
            }
            return entries.stream().map(TimelineEntry::status).max(Comparator.naturalOrder()).orElse(TimelineEntry.Status.OK);
        }

        public Instant at() {
            return from.plusMillis(Duration.between(from, to).toMillis() / 2);
        }
    }

    private Timeline data;
    private Instant from;
    private Instant to;
    private String selected;

    /** Shows {@code t}, fitted to it; the selection stays when the same point is still there. */
    public void show(Timeline t) {
        data = t;
        fit();
        if (selected != null && t.entries().stream().noneMatch(e -> e.id().equals(selected))) {
            selected = null;
        }
    }

    public Optional<Timeline> data() {
        return Optional.ofNullable(data);
    }

    /** The whole loaded history. */
    public void fit() {
        if (data != null) {
            from = data.from();
            to = data.to();
        }
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public Duration span() {
        return Duration.between(from, to);
    }

    /**
     * Zooms by {@code factor} (below 1 in, above 1 out) about the instant at {@code fraction} of the width, which
     * stays where it is; never narrower than ten minutes, nor wider than the loaded history.
     */
    public void zoom(double fraction, double factor) {
        if (data == null) {
            return;
        }
        double f = Math.max(0, Math.min(1, fraction));
        long span = span().toMillis();
        long max = Duration.between(data.from(), data.to()).toMillis();
        long next = Math.max(MIN_SPAN.toMillis(), Math.min(max, Math.round(span * factor)));
        Instant anchor = from.plusMillis(Math.round(span * f));
        from = anchor.minusMillis(Math.round(next * f));
        to = from.plusMillis(next);
        clamp();
    }

    /** Moves the window by {@code fraction} of its width (positive: later), within the loaded history. */
    public void pan(double fraction) {
        if (data == null) {
            return;
        }
        long shift = Math.round(span().toMillis() * fraction);
        from = from.plusMillis(shift);
        to = to.plusMillis(shift);
        clamp();
    }

    /** Shows {@code a} to {@code b} with a little room either side (a cluster opened up). */
    public void showRange(Instant a, Instant b) {
        long span = Math.max(MIN_SPAN.toMillis(), Duration.between(a, b).toMillis() * 3 / 2);
        Instant mid = a.plusMillis(Duration.between(a, b).toMillis() / 2);
        from = mid.minusMillis(span / 2);
        to = from.plusMillis(span);
        clamp();
    }

    private void clamp() {
        long span = span().toMillis();
        if (from.isBefore(data.from())) {
            from = data.from();
            to = from.plusMillis(span);
        }
        if (to.isAfter(data.to())) {
            to = data.to();
            from = to.minusMillis(span);
            if (from.isBefore(data.from())) {
                from = data.from();
            }
        }
    }

    /** The lanes, top to bottom: the backups as written, then each destination holding copies, by name. */
    public List<String> lanes() {
        List<String> lanes = new ArrayList<>(List.of(BACKUPS));
        if (data != null) {
            TreeSet<String> copies = new TreeSet<>();
            data.entries().forEach(e -> copies.addAll(e.copies()));
            copies.forEach(c -> lanes.add(copyLane(c)));
        }
        return lanes;
    }

    static String copyLane(String destination) {
        return "Copies on " + destination;
    }

    /** Where {@code at} falls across a drawing {@code width} pixels wide. */
    public double x(Instant at, double width) {
        return width * Duration.between(from, at).toMillis() / (double) Math.max(1, span().toMillis());
    }

    /** The marks of every lane inside the window, clustered where they would overlap at {@code width} pixels. */
    public List<Cluster> clusters(double width) {
        List<Cluster> out = new ArrayList<>();
        if (data == null) {
            return out;
        }
        for (String lane : lanes()) {
            List<TimelineEntry> in = data.entries().stream().filter(e -> !e.at().isBefore(from) && !e.at().isAfter(to))
                    .filter(e -> lane.equals(BACKUPS) || (e.status() != TimelineEntry.Status.FAILED
                            && e.copies().stream().anyMatch(c -> copyLane(c).equals(lane))))
                    .sorted(Comparator.comparing(TimelineEntry::at)).toList();
            // points and failed runs cluster apart: a failure never hides in a cluster of points, nor a point in failures
            for (boolean failures : new boolean[] {false, true}) {
                List<TimelineEntry> group = new ArrayList<>();
                for (TimelineEntry e : in) {
                    if ((e.status() == TimelineEntry.Status.FAILED) != failures) {
                        continue;
                    }
                    if (!group.isEmpty() && x(e.at(), width) - x(group.get(0).at(), width) >= CLUSTER_PX) {
                        out.add(new Cluster(lane, group.get(0).at(), group.get(group.size() - 1).at(), List.copyOf(group)));
                        group.clear();
                    }
                    group.add(e);
                }
                if (!group.isEmpty()) {
                    out.add(new Cluster(lane, group.get(0).at(), group.get(group.size() - 1).at(), List.copyOf(group)));
                }
            }
        }
        return out;
    }

    /** The ids of the points (not failed runs) inside the window. */
    public List<String> visiblePoints() {
        return data == null ? List.of() : points().stream().filter(e -> !e.at().isBefore(from) && !e.at().isAfter(to))
                .map(TimelineEntry::id).toList();
    }

    private List<TimelineEntry> points() {
        return data.entries().stream().filter(e -> e.status() != TimelineEntry.Status.FAILED)
                .sorted(Comparator.comparing(TimelineEntry::at)).toList();
    }

    public Optional<TimelineEntry> selected() {
        return data == null || selected == null ? Optional.empty()
                : data.entries().stream().filter(e -> e.id().equals(selected)).findFirst();
    }

    public void select(String id) {
        selected = id;
    }

    /**
     * Selects the next point ({@code direction} 1) or the one before (-1); with none selected, the newest in the
     * window. The window moves to keep the selection in view, without changing its width.
     */
    public Optional<TimelineEntry> step(int direction) {
        if (data == null) {
            return Optional.empty();
        }
        List<TimelineEntry> points = points();
        if (points.isEmpty()) {
            return Optional.empty();
        }
        int i = -1;
        for (int k = 0; k < points.size(); k++) {
            if (points.get(k).id().equals(selected)) {
                i = k;
            }
        }
        TimelineEntry next;
        if (i < 0) {
            List<TimelineEntry> inView = points.stream().filter(e -> !e.at().isBefore(from) && !e.at().isAfter(to)).toList();
            next = inView.isEmpty() ? points.get(points.size() - 1) : inView.get(inView.size() - 1);
        } else {
            next = points.get(Math.max(0, Math.min(points.size() - 1, i + direction)));
        }
        selected = next.id();
        if (next.at().isBefore(from) || next.at().isAfter(to)) {
            long half = span().toMillis() / 2;
            from = next.at().minusMillis(half);
            to = next.at().plusMillis(half);
            clamp();
        }
        return Optional.of(next);
    }
}
