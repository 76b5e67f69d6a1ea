package dev.lifeboat.core.status;

import dev.lifeboat.core.history.RestoreTestRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.RetentionPolicy;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.retention.GfsRetention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Health and timelines of stacks, computed from the history alone (no host is contacted). */
public final class StackStatusService {
    private final HistoryStore history;
    private final Clock clock;

    public StackStatusService(HistoryStore history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    /** Every stack the history knows of (those with points or runs), as host/stack pairs, sorted. */
    public List<String[]> knownStacks() {
        Map<String, String[]> stacks = new java.util.TreeMap<>();
        for (RecoveryPoint p : history.points().of(null, null)) {
            stacks.putIfAbsent(p.host() + "/" + p.stack(), new String[] {p.host(), p.stack()});
        }
        for (RunRecord r : history.runs().recent(10_000)) {
            if (r.host() != null && r.stack() != null && r.kind().equals("backup")) {
                stacks.putIfAbsent(r.host() + "/" + r.stack(), new String[] {r.host(), r.stack()});
            }
        }
        return new ArrayList<>(stacks.values());
    }

    public StackHealth health(String host, String stack) {
        StackSettings settings = history.plans().settings(host, stack);
        Duration rpo = settings.rpo();
        Optional<RecoveryPoint> newest = backups(host, stack).stream().max(Comparator.comparing(RecoveryPoint::createdAt));
        Optional<RunRecord> lastRun = history.runs().last("backup", host, stack);
        if (newest.isEmpty()) {
            if (lastRun.isPresent() && !lastRun.get().status().equals("ok") && !lastRun.get().status().equals("running")) {
                return new StackHealth(host, stack, StackHealth.Level.RED, "the last backup " + lastRun.get().status()
                        + ": " + lastRun.get().message(), null, null, rpo);
            }
            return new StackHealth(host, stack, StackHealth.Level.NONE, "never backed up", null, null, rpo);
        }
        RecoveryPoint p = newest.get();
        Duration age = Duration.between(p.createdAt(), clock.instant());
        if (lastRun.isPresent() && (lastRun.get().status().equals("failed") || lastRun.get().status().equals("interrupted"))
                && lastRun.get().startedAt().isAfter(p.createdAt())) {
            return new StackHealth(host, stack, StackHealth.Level.RED, "the last backup " + lastRun.get().status() + ": "
                    + lastRun.get().message(), p, age, rpo);
        }
        if (age.compareTo(rpo) > 0) {
            return new StackHealth(host, stack, StackHealth.Level.RED, "RPO breached: the newest backup is "
                    + StackSettings.format(Duration.ofMinutes(Math.max(1, age.toMinutes()))) + " old (RPO "
                    + StackSettings.format(rpo) + ")", p, age, rpo);
        }
        if (age.compareTo(rpo.multipliedBy(3).dividedBy(4)) > 0) {
            return new StackHealth(host, stack, StackHealth.Level.AMBER, "backup late: the newest is "
                    + StackSettings.format(Duration.ofMinutes(Math.max(1, age.toMinutes()))) + " old (RPO "
                    + StackSettings.format(rpo) + ")", p, age, rpo);
        }
        if (!history.runs().provenPoints("verify", "restore-test").contains(p.id())) {
            return new StackHealth(host, stack, StackHealth.Level.AMBER, "the newest backup is not verified yet", p, age, rpo);
        }
        return new StackHealth(host, stack, StackHealth.Level.GREEN, "within RPO and verified", p, age, rpo);
    }

    private List<RecoveryPoint> backups(String host, String stack) {
        // one entry per point (a point replicated to several destinations is one point in time), standing for it
        // the primary: never a replica's record, which has the same id and time (the copy lane shows those)
        Map<String, RecoveryPoint> byId = new LinkedHashMap<>();
        for (RecoveryPoint p : history.points().of(host, stack)) {
            if (!p.isSafety()) {
                byId.merge(p.id(), p, StackStatusService::primary);
            }
        }
        return new ArrayList<>(byId.values());
    }

    /** Of two records of one point, the one that stands for it: not a replica's, else the earlier. */
    private static RecoveryPoint primary(RecoveryPoint a, RecoveryPoint b) {
        boolean aCopy = "copy".equals(a.kind());
        if (aCopy != "copy".equals(b.kind())) {
            return aCopy ? b : a;
        }
        return b.createdAt().isBefore(a.createdAt()) ? b : a;
    }

    /**
     * The stack's timeline from {@code from} to {@code to}; with {@code from} null, fitted to its data: from
     * a little before its oldest point or failed backup (a day when it has none).
     */
    public Timeline timeline(String host, String stack, Instant from, Instant to, ZoneId zone) {
        StackSettings settings = history.plans().settings(host, stack);
        List<RecoveryPoint> points = backups(host, stack);
        points.sort(Comparator.comparing(RecoveryPoint::createdAt));
        if (from == null) {
            Instant oldest = points.isEmpty() ? null : points.get(0).createdAt();
            for (RunRecord r : history.runs().recent(100_000)) {
                if (host.equals(r.host()) && stack.equals(r.stack()) && (oldest == null || r.startedAt().isBefore(oldest))) {
                    oldest = r.startedAt();
                }
            }
            Duration spread = oldest == null || !oldest.isBefore(to) ? Duration.ofDays(1) : Duration.between(oldest, to);
            // a twentieth of the spread before the oldest, so its first point is not on the edge; an hour at least
            from = to.minus(spread).minus(spread.dividedBy(20).compareTo(Duration.ofHours(1)) < 0 ? Duration.ofHours(1)
                    : spread.dividedBy(20));
        }
        Set<String> verified = history.runs().provenPoints("verify");
        Set<String> tested = history.proof().restoreTests(host, stack).stream().filter(RestoreTestRecord::ok)
                .map(RestoreTestRecord::pointId).collect(Collectors.toSet());
        var decision = GfsRetention.apply(points, RecoveryPoint::createdAt, RetentionPolicy.defaults(), zone, Set.of());
        Map<String, java.util.TreeSet<String>> heldAt = new java.util.HashMap<>();
        for (RecoveryPoint p : history.points().of(host, stack)) {
            heldAt.computeIfAbsent(p.id(), k -> new java.util.TreeSet<>()).add(p.destination());
        }
        List<TimelineEntry> entries = new ArrayList<>();
        for (RecoveryPoint p : points) {
            if (p.createdAt().isBefore(from) || p.createdAt().isAfter(to)) {
                continue;
            }
            TimelineEntry.Status status = tested.contains(p.id()) ? TimelineEntry.Status.TEST_RESTORED
                    : verified.contains(p.id()) ? TimelineEntry.Status.VERIFIED : TimelineEntry.Status.OK;
            Set<String> tiers = decision.reasons().getOrDefault(p, Set.of()).stream()
                    .filter(t -> !t.equals("in use")).collect(Collectors.toCollection(java.util.TreeSet::new));
            List<String> copies = heldAt.getOrDefault(p.id(), new java.util.TreeSet<>()).stream()
                    .filter(d -> !d.equals(p.destination())).toList();
            entries.add(new TimelineEntry(p.id(), p.createdAt(), p.storedBytes(), status, tiers, p.destination(), copies));
        }
        List<Timeline.Marker> markers = new ArrayList<>();
        for (RunRecord r : history.runs().recent(100_000)) {
            if (!host.equals(r.host()) || !stack.equals(r.stack()) || r.startedAt().isBefore(from) || r.startedAt().isAfter(to)) {
                continue;
            }
            if (r.kind().equals("backup") && (r.status().equals("failed") || r.status().equals("interrupted"))) {
                entries.add(new TimelineEntry(r.id(), r.startedAt(), 0, TimelineEntry.Status.FAILED, Set.of(), r.message()));
            } else if (r.kind().equals("restore")) {
                markers.add(new Timeline.Marker(r.startedAt(), r.kind(), r.status().equals("ok"), r.message()));
            }
        }
        // drills from their records: those run by Lifeboat and those an admin ran by hand and recorded
        for (var d : history.proof().drills(host, stack)) {
            Instant at = d.startedAt().toInstant();
            if (!at.isBefore(from) && !at.isAfter(to)) {
                markers.add(new Timeline.Marker(at, "drill", d.ok(), d.scenario() + " (" + d.mode() + ")"
                        + (d.rtoMs() == null ? "" : ", RTO " + dev.lifeboat.core.Units.duration(Duration.ofMillis(d.rtoMs())))));
            }
        }
        entries.sort(Comparator.comparing(TimelineEntry::at));
        markers.sort(Comparator.comparing(Timeline.Marker::at));
        List<Timeline.Gap> gaps = new ArrayList<>();
        Instant previous = null;
        for (RecoveryPoint p : points) {
            if (previous != null && Duration.between(previous, p.createdAt()).compareTo(settings.rpo()) > 0) {
                gaps.add(clip(previous, p.createdAt(), from, to));
            }
            previous = p.createdAt();
        }
        Instant now = clock.instant();
        if (previous != null && Duration.between(previous, now).compareTo(settings.rpo()) > 0) {
            gaps.add(clip(previous, now, from, to));
        }
        gaps.removeIf(g -> !g.to().isAfter(g.from()));
        List<dev.lifeboat.core.pitr.Coverage> wal = history.pitr().of(host, stack).stream()
                .map(c -> dev.lifeboat.core.pitr.Coverage.of(history.pitr(), c)).toList();
        return new Timeline(host, stack, from, to, entries, gaps, markers, wal);
    }

    private static Timeline.Gap clip(Instant a, Instant b, Instant from, Instant to) {
        return new Timeline.Gap(a.isBefore(from) ? from : a, b.isAfter(to) ? to : b);
    }
}
