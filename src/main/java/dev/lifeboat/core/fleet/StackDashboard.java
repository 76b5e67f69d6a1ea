package dev.lifeboat.core.fleet;

import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RestoreTestRecord;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.status.StackHealth;
import dev.lifeboat.core.status.StackStatusService;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack dashboard use case: health, last backup, the last 7 days of sizes, the last restore test
 * and drill against their due dates, the alerts of the last 30 days, the largest tables of the newest
 * point, and the next scheduled backup. Reads the history and the newest point's manifest: call it off
 * the FX thread.
 */
public final class StackDashboard {
    private final HistoryStore history;
    private final Repositories repositories;
    private final Clock clock;

    public StackDashboard(HistoryStore history, Repositories repositories, Clock clock) {
        this.history = history;
        this.repositories = repositories;
        this.clock = clock;
    }

    /** One stack's dashboard as read. */
    public record View(StackHealth health, RecoveryPoint newest, Map<LocalDate, Long> lastSevenDays, long averageBytes,
                       Double trendPercent, RestoreTestRecord lastTest, LocalDate nextTestDue,
                       DrillRecord lastDrill, Long lastDrillDowntimeMs, LocalDate nextDrillDue, List<String> alerts,
                       Map<String, Long> largestTables, String nextBackup, String schedule, List<Pitr> pitr,
                       List<dev.lifeboat.core.history.SafetyCopyRepository.Kept> keptAside) {
    }

    /**
     * A PostgreSQL asset that ships its WAL: where to, the moments it can be restored to, and the lag at the
     * agent's last pass (null when no pass has looked yet).
     */
    public record Pitr(String asset, String destination, dev.lifeboat.core.pitr.Coverage coverage, Duration lag) {
    }

    /** What the dashboard of {@code host/stack} shows now. */
    public View read(String host, String stack) {
        ZoneId zone = clock.getZone();
        StackHealth health = new StackStatusService(history, clock).health(host, stack);
        List<RecoveryPoint> points = history.points().of(host, stack).stream().filter(p -> !p.isSafety())
                .sorted(Comparator.comparing(RecoveryPoint::createdAt)).toList();
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        Map<LocalDate, Long> days = new LinkedHashMap<>();
        for (int i = 6; i >= 0; i--) {
            days.put(today.minusDays(i), 0L);
        }
        Map<String, RecoveryPoint> unique = new LinkedHashMap<>();
        points.forEach(p -> unique.putIfAbsent(p.id(), p));
        for (RecoveryPoint p : unique.values()) {
            LocalDate d = LocalDate.ofInstant(p.createdAt(), zone);
            days.computeIfPresent(d, (k, v) -> v + p.storedBytes());
        }
        List<RecoveryPoint> ordered = new ArrayList<>(unique.values());
        Instant weekAgo = clock.instant().minus(Duration.ofDays(7));
        long avg = (long) ordered.stream().filter(p -> p.createdAt().isAfter(weekAgo)).mapToLong(RecoveryPoint::storedBytes)
                .average().orElse(0);
        Double trend = null;
        if (ordered.size() >= 2 && avg > 0) {
            trend = (ordered.get(ordered.size() - 1).storedBytes() - (double) avg) * 100.0 / avg;
        }

        List<RestoreTestRecord> tests = history.proof().restoreTests(host, stack);
        RestoreTestRecord lastTest = tests.isEmpty() ? null : tests.get(0);
        LocalDate nextTest = lastTest == null ? today : LocalDate.ofInstant(lastTest.at().toInstant(), zone).plusDays(7);
        List<DrillRecord> drills = history.proof().drills(host, stack);
        DrillRecord lastDrill = drills.isEmpty() ? null : drills.get(0);
        LocalDate nextDrill = lastDrill == null ? today : lastDrill.nextDue();

        // the alert rules' own alerts (core.alert), as the agent, the CLI and the console raised them
        Instant since = clock.instant().minus(Duration.ofDays(30));
        List<String> alerts = history.alerts().recent(1000).stream()
                .filter(a -> host.equals(a.host()) && stack.equals(a.stack()) && !a.createdAt().isBefore(since))
                .map(a -> a.createdAt().toString().substring(0, 16).replace('T', ' ') + "  " + a.state() + "  " + a.title())
                .toList();
        StackSettings settings = history.plans().settings(host, stack);

        Map<String, Long> largest = new LinkedHashMap<>();
        if (!ordered.isEmpty()) {
            try (PointLocator.Located located = new PointLocator(repositories).locate(ordered.get(ordered.size() - 1).id())) {
                located.manifest().assets().stream().filter(a -> a.rowCounts() != null)
                        .flatMap(a -> a.rowCounts().entrySet().stream())
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                        .forEach(e -> largest.put(e.getKey(), e.getValue()));
            } catch (RuntimeException e) {
                largest.put("(the newest point's manifest cannot be read: " + e.getMessage() + ")", -1L);
            }
        }
        java.util.Optional<Map.Entry<String, Instant>> next = history.plans().all().stream()
                .filter(pl -> pl.host().equals(host) && pl.stack().equals(stack) && pl.backupCron() != null)
                .flatMap(pl -> dev.lifeboat.core.schedule.Schedule.parse(pl.backupCron(), pl.zone()).nextSlot(clock.instant())
                        .map(at -> Map.entry(pl.name(), at)).stream())
                .min(Map.Entry.comparingByValue());
        String nextBackup = next.map(e -> {
            long min = Math.max(1, Duration.between(clock.instant(), e.getValue()).toMinutes());
            return min < 120 ? "in " + min + " min" : "in " + min / 60 + " h";
        }).orElse("not scheduled");
        String schedule = next.map(e -> e.getValue().toString().substring(0, 16).replace('T', ' ') + " UTC · plan " + e.getKey()
                        + " · RPO " + StackSettings.format(settings.rpo()))
                .orElse("no plan yet: create one with 'Backup plan…' (RPO " + StackSettings.format(settings.rpo()) + ")");
        List<Pitr> pitr = new ArrayList<>();
        for (var progress : history.pitr().progress()) {
            var c = progress.config();
            if (c.host().equals(host) && c.stack().equals(stack)) {
                pitr.add(new Pitr(c.asset(), c.destination(), dev.lifeboat.core.pitr.Coverage.of(history.pitr(), c),
                        progress.checkedAt() == null ? null : progress.lag(clock.instant())));
            }
        }
        return new View(health, ordered.isEmpty() ? null : ordered.get(ordered.size() - 1), days, avg, trend,
                lastTest, nextTest, lastDrill, downtimeMs(lastDrill), nextDrill, alerts, largest, nextBackup, schedule, pitr,
                history.safetyCopies().held(host, stack));
    }

    /** The downtime of a recorded drill, from its phases (null when it recovered nothing or they cannot be read). */
    private static Long downtimeMs(DrillRecord d) {
        if (d == null || d.rtoMs() == null || d.phasesJson() == null) {
            return null;
        }
        try {
            return dev.lifeboat.core.history.RunStep.downtimeMs(List.of(dev.lifeboat.core.storage.ManifestCodec.mapper()
                    .readValue(d.phasesJson(), dev.lifeboat.core.history.RunStep[].class)));
        } catch (java.io.IOException unreadable) {
            return null;
        }
    }
}
