package dev.lifeboat.core.alert;

import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.model.Finding;

import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.StackSettings;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The alert rules, as a pure function of a history snapshot and the time: a run failed (backup,
 * verify, restore test, drill, replication); no successful backup within the RPO; a backup's size
 * moved by more than the threshold against the 7-day average, or fell below a minimum; a drill is
 * overdue.
 */
public final class AlertRules {
    /** What the rules look at. {@code stacks}: host/stack pairs watched (those with plans or points). */
    public record Snapshot(List<String[]> stacks, List<RecoveryPoint> points, List<RunRecord> runs,
                           Map<String, StackSettings> settings, Map<String, List<DrillRecord>> drills,
                           List<DestinationProbe> destinations) {
        public Snapshot(List<String[]> stacks, List<RecoveryPoint> points, List<RunRecord> runs,
                        Map<String, StackSettings> settings, Map<String, List<DrillRecord>> drills) {
            this(stacks, points, runs, settings, drills, List.of());
        }
    }

    /** What probing a destination found: an error when it cannot be reached; free and total bytes when known (-1 if not). */
    public record DestinationProbe(String name, String error, long usableBytes, long totalBytes) {
    }

    /** A destination is nearly full below this share of free space. */
    static final double NEARLY_FULL = 0.10;

    /** Thresholds: size change in percent against the 7-day average, and a minimum size in bytes. */
    public record Thresholds(double sizeChangePct, long minimumBytes, Duration lookBack) {
        public static Thresholds defaults() {
            return new Thresholds(10, 1, Duration.ofDays(30));
        }
    }

    private static final Set<String> WATCHED_KINDS = Set.of("backup", "verify", "restore-test", "drill", "replicate");

    private AlertRules() {
    }

    /**
     * WAL shipping (ADR 24): WAL waiting unshipped longer than the asset's alert lag, and no shipping pass
     * for a long while (no agent running, or it cannot reach the host). Both last until shipping catches up.
     */
    public static List<Finding> pitr(List<dev.lifeboat.core.history.PitrRepository.Progress> shipping, Instant now) {
        List<Finding> out = new java.util.ArrayList<>();
        for (var p : shipping) {
            var c = p.config();
            String where = c.host() + "/" + c.stack() + " " + c.asset();
            long lag = p.lag(now).getSeconds();
            if (lag > c.alertLagSeconds()) {
                out.add(new Finding("pitr-lag:" + where, "pitr", c.host(), c.stack(), "WAL of " + c.asset() + " lags " + lag + " s",
                        "WAL of " + where + " has waited " + lag + " s to reach " + c.destination() + " (alert above "
                                + c.alertLagSeconds() + " s): a restore to a moment cannot reach past it yet. See 'lifeboat pitr"
                                + " status " + c.host() + "/" + c.stack() + "'.", true));
            }
            Instant looked = p.checkedAt() != null ? p.checkedAt() : c.enabledAt();
            java.time.Duration quiet = java.time.Duration.between(looked, now);
            java.time.Duration limit = java.time.Duration.ofSeconds(Math.max(300, 3L * c.alertLagSeconds()));
            if (quiet.compareTo(limit) > 0) {
                out.add(new Finding("pitr-stalled:" + where, "pitr", c.host(), c.stack(), "WAL of " + c.asset() + " is not shipped",
                        "No WAL shipping pass for " + where + " since " + looked + ": is 'lifeboat agent' running, and can it"
                                + " reach " + c.host() + "? The replication slot keeps the WAL on the server meanwhile, and its"
                                + " disk fills.", true));
            }
        }
        return out;
    }

    /**
     * Gaps in what a restore to a moment can reach (ADR 24): one alert per gap (a WAL segment that never
     * reached the destination, WAL with no base backup before it), raised once; it names the moments no
     * restore can reach.
     */
    public static List<Finding> walGaps(List<dev.lifeboat.core.pitr.Coverage> coverages, String host, String stack) {
        List<Finding> out = new ArrayList<>();
        for (var c : coverages) {
            for (var g : c.gaps()) {
                out.add(new Finding("pitr-gap:" + host + "/" + stack + " " + c.asset() + " " + g.from(), "pitr", host, stack,
                        "WAL of " + c.asset() + " has a gap", "No restore of " + c.asset() + " of " + host + "/" + stack
                                + " can reach a moment between " + g.from() + " and " + g.to() + ": " + g.why() + ". Moments"
                                + " before and after it are restorable; 'lifeboat pitr status' shows the coverage.", false));
            }
        }
        return out;
    }

    public static List<Finding> evaluate(Snapshot s, Instant now, Thresholds t) {
        List<Finding> found = new ArrayList<>();
        Instant since = now.minus(t.lookBack());
        for (RunRecord r : s.runs()) {
            if (r.startedAt().isBefore(since) || !WATCHED_KINDS.contains(r.kind())) {
                continue;
            }
            if (r.status().equals("failed") || r.status().equals("interrupted")) {
                String where = r.host() == null ? "point " + r.pointId() : r.host() + "/" + r.stack();
                found.add(new Finding("run-failed:" + r.id(), r.kind() + "-failed", r.host(), r.stack(),
                        capital(r.kind()) + " of " + where + " " + r.status(),
                        capital(r.kind()) + " of " + where + " " + r.status() + " at " + r.startedAt() + ": "
                                + (r.message() == null ? "no message" : r.message()), false,
                        // a point that failed its verify may have been tampered with: kept as evidence until released
                        "verify".equals(r.kind()) ? r.pointId() : null));
            }
        }
        for (DestinationProbe d : s.destinations()) {
            if (d.error() != null) {
                found.add(new Finding("destination-unreachable:" + d.name(), "destination-unreachable", null, null,
                        "Destination " + d.name() + " is unreachable", "Destination " + d.name() + " cannot be used: " + d.error(),
                        true));
            } else if (d.totalBytes() > 0 && d.usableBytes() < d.totalBytes() * NEARLY_FULL) {
                found.add(new Finding("destination-full:" + d.name(), "destination-full", null, null,
                        String.format(Locale.ROOT, "Destination %s is nearly full (%.0f%% free)", d.name(),
                                d.usableBytes() * 100.0 / d.totalBytes()),
                        String.format(Locale.ROOT, "Destination %s has %,d of %,d bytes free.", d.name(), d.usableBytes(),
                                d.totalBytes()), true));
            }
        }
        for (String[] hs : s.stacks()) {
            String host = hs[0];
            String stack = hs[1];
            String id = host + "/" + stack;
            StackSettings settings = s.settings().getOrDefault(id, StackSettings.defaults(host, stack));
            List<RecoveryPoint> points = new ArrayList<>(s.points().stream()
                    .filter(p -> p.host().equals(host) && p.stack().equals(stack) && !p.isSafety())
                    .collect(java.util.stream.Collectors.toMap(RecoveryPoint::id, p -> p, (a, b) -> a, LinkedHashMap::new))
                    .values());
            points.sort(Comparator.comparing(RecoveryPoint::createdAt));
            RecoveryPoint newest = points.isEmpty() ? null : points.get(points.size() - 1);
            if (newest == null || Duration.between(newest.createdAt(), now).compareTo(settings.rpo()) > 0) {
                String since2 = newest == null ? "ever" : "since " + newest.createdAt();
                found.add(new Finding("missing-backup:" + id, "missing-backup", host, stack,
                        "No backup of " + id + " within its RPO (" + StackSettings.format(settings.rpo()) + ")",
                        "No successful backup of " + id + " " + since2 + "; the RPO is " + StackSettings.format(settings.rpo())
                                + ".", true));
            }
            if (newest != null && !newest.createdAt().isBefore(since)) {
                Instant weekBefore = newest.createdAt().minus(Duration.ofDays(7));
                double avg = points.stream().filter(p -> p != newest && !p.createdAt().isBefore(weekBefore))
                        .mapToLong(RecoveryPoint::storedBytes).average().orElse(Double.NaN);
                if (newest.storedBytes() < t.minimumBytes()) {
                    found.add(new Finding("size:" + newest.id(), "size-anomaly", host, stack,
                            "Backup of " + id + " is only " + newest.storedBytes() + " bytes",
                            "Point " + newest.id() + " is " + newest.storedBytes() + " bytes, below the minimum of "
                                    + t.minimumBytes() + ".", false, newest.id()));
                } else if (!Double.isNaN(avg) && avg > 0) {
                    double change = (newest.storedBytes() - avg) * 100 / avg;
                    if (Math.abs(change) > t.sizeChangePct()) {
                        found.add(new Finding("size:" + newest.id(), "size-anomaly", host, stack,
                                String.format(Locale.ROOT, "Backup of %s is %+.0f%% against the 7-day average", id, change),
                                String.format(Locale.ROOT, "Point %s is %,d bytes; the 7-day average is %,.0f bytes (%+.1f%%, "
                                        + "threshold ±%.0f%%).", newest.id(), newest.storedBytes(), avg, change, t.sizeChangePct()),
                                false, newest.id()));
                    }
                }
            }
            List<DrillRecord> drills = s.drills().getOrDefault(id, List.of());
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            if (!drills.isEmpty() && drills.get(0).nextDue().isBefore(today)) {
                found.add(new Finding("drill-overdue:" + id, "drill-overdue", host, stack,
                        "DR drill of " + id + " overdue since " + drills.get(0).nextDue(),
                        "The last drill of " + id + " was on " + drills.get(0).startedAt().toLocalDate() + "; the next was due "
                                + drills.get(0).nextDue() + ".", true));
            }
        }
        return found;
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
