package dev.lifeboat.core.alert;

import dev.lifeboat.core.history.Delivery;
import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.model.Alert;
import dev.lifeboat.core.model.AlertChannel;
import dev.lifeboat.core.model.Finding;

import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.secrets.Secrets;
import dev.lifeboat.core.status.StackStatusService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Evaluates the alert rules against the history, keeps the alerts' state (open, acknowledged,
 * resolved), and delivers new alerts to every channel. A failed delivery is retried with backoff and
 * recorded; an alert whose deliveries keep failing stays open and visible, and is retried at the next
 * evaluation, so it is never lost.
 */
public final class AlertService {
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    static final int MAX_ATTEMPTS = 8;
    private final HistoryStore history;
    private final Secrets secrets;
    private final Clock clock;
    private final AlertRules.Thresholds thresholds;
    private final long backoffMillis;

    private final dev.lifeboat.core.storage.Repositories repositories;

    public AlertService(HistoryStore history, dev.lifeboat.core.storage.Repositories repositories, Secrets secrets, Clock clock,
                        AlertRules.Thresholds thresholds, long backoffMillis) {
        this.history = history;
        this.repositories = repositories;
        this.secrets = secrets;
        this.clock = clock;
        this.thresholds = thresholds;
        this.backoffMillis = backoffMillis;
    }

    /** Runs the rules, raises new alerts, resolves lasting ones no longer found, delivers. Returns the new alerts. */
    public synchronized List<Alert> evaluate() {
        Set<String> watched = new java.util.TreeSet<>();
        new StackStatusService(history, clock).knownStacks().forEach(s -> watched.add(s[0] + "/" + s[1]));
        for (BackupPlan p : history.plans().all()) {
            watched.add(p.host() + "/" + p.stack());
        }
        List<String[]> stacks = watched.stream().map(s -> s.split("/", 2)).toList();
        Map<String, StackSettings> settings = new HashMap<>();
        Map<String, List<DrillRecord>> drills = new HashMap<>();
        for (String[] s : stacks) {
            settings.put(s[0] + "/" + s[1], history.plans().settings(s[0], s[1]));
            drills.put(s[0] + "/" + s[1], history.proof().drills(s[0], s[1]));
        }
        AlertRules.Snapshot snapshot = new AlertRules.Snapshot(stacks, history.points().of(null, null), history.runs().recent(5000), settings,
                drills, probeDestinations());
        List<Finding> findings = new ArrayList<>(AlertRules.evaluate(snapshot, clock.instant(), thresholds));
        findings.addAll(AlertRules.pitr(history.pitr().progress(), clock.instant()));
        for (var c : history.pitr().all()) {
            findings.addAll(AlertRules.walGaps(List.of(dev.lifeboat.core.pitr.Coverage.of(history.pitr(), c)), c.host(), c.stack()));
        }
        Map<String, Alert> active = new LinkedHashMap<>();
        history.alerts().active().forEach(a -> active.put(a.key(), a));
        List<Alert> raised = new ArrayList<>();
        Set<String> foundKeys = findings.stream().map(Finding::key).collect(Collectors.toSet());
        for (Finding f : findings) {
            if (active.containsKey(f.key()) || (!f.lasting() && history.alerts().keyKnown(f.key()))) {
                continue;
            }
            long id = history.alerts().raise(f);
            LOG.warn("Alert {}: {}", id, f.title());
            raised.add(history.alerts().recent(50).stream().filter(a -> a.id() == id).findFirst().orElseThrow());
        }
        for (Alert a : active.values()) {
            if (a.key().startsWith("missing-backup:") || a.key().startsWith("drill-overdue:")
                    || a.key().startsWith("destination-unreachable:") || a.key().startsWith("destination-full:")
                    || a.key().startsWith("pitr-lag:") || a.key().startsWith("pitr-stalled:")) {
                if (!foundKeys.contains(a.key())) {
                    history.alerts().setState(a.id(), "resolved");
                    LOG.info("Alert {} resolved: {}", a.id(), a.title());
                }
            }
        }
        deliverPending();
        return raised;
    }

    /** Opens every destination with its key (marker and key checked), and measures free space of local ones. */
    private List<AlertRules.DestinationProbe> probeDestinations() {
        List<AlertRules.DestinationProbe> probes = new ArrayList<>();
        if (repositories == null) {
            return probes;
        }
        for (var d : history.destinations().all()) {
            try (var repo = repositories.open(d)) {
                long usable = -1;
                long total = -1;
                if (d.kind().equals("local")) {
                    var store = java.nio.file.Files.getFileStore(java.nio.file.Path.of(d.location()));
                    usable = store.getUsableSpace();
                    total = store.getTotalSpace();
                }
                probes.add(new AlertRules.DestinationProbe(d.name(), null, usable, total));
            } catch (IOException | RuntimeException e) {
                probes.add(new AlertRules.DestinationProbe(d.name(), e.getMessage(), -1, -1));
            }
        }
        return probes;
    }

    /** Delivers every active alert to every channel it has not reached yet. */
    public synchronized void deliverPending() {
        List<AlertChannel> channels = history.alerts().channels().stream().filter(c -> !c.kind().equals("ping")).toList();
        for (Alert a : history.alerts().active()) {
            Map<String, Delivery> done = history.alerts().deliveries(a.id());
            for (AlertChannel c : channels) {
                Delivery d = done.get(c.name());
                int attempts = d == null ? 0 : d.attempts();
                if (d != null && (d.status().equals("sent") || attempts >= MAX_ATTEMPTS)) {
                    continue;
                }
                deliver(a, c, attempts);
            }
        }
    }

    private void deliver(Alert a, AlertChannel c, int attempts) {
        Notifier n = new Notifier(c, secrets);
        String error = null;
        for (int i = 0; i < 3; i++) {
            attempts++;
            try {
                n.send(a);
                history.alerts().recordDelivery(a.id(), c.name(), "sent", attempts, null);
                return;
            } catch (IOException | RuntimeException e) {
                error = e.getMessage();
                LOG.warn("Alert {} to channel {}: attempt {} failed: {}", a.id(), c.name(), attempts, error);
                sleep(backoffMillis << i);
            }
        }
        history.alerts().recordDelivery(a.id(), c.name(), attempts >= MAX_ATTEMPTS ? "failed" : "pending", attempts, error);
    }

    /**
     * The daily digest, the dashboard in an e-mail: per stack its health, last backup (age, size), the
     * size trend against the 7-day average, the last verify, restore test and drill, and open alerts.
     */
    public String digest() {
        Instant now = clock.instant();
        StackStatusService status = new StackStatusService(history, clock);
        StringBuilder b = new StringBuilder("Lifeboat daily digest, " + now.toString().substring(0, 16).replace('T', ' ') + " UTC\n\n");
        List<dev.lifeboat.core.history.RunRecord> runs = history.runs().recent(5000);
        for (String[] s : status.knownStacks()) {
            var h = status.health(s[0], s[1]);
            b.append(s[0]).append('/').append(s[1]).append(": ").append(h.level()).append(" (").append(h.reason()).append(")\n");
            var points = history.points().of(s[0], s[1]).stream().filter(p -> !p.isSafety())
                    .sorted(java.util.Comparator.comparing(dev.lifeboat.core.model.RecoveryPoint::createdAt)).toList();
            if (!points.isEmpty()) {
                var newest = points.get(points.size() - 1);
                double avg = points.stream().filter(p -> p != newest && p.createdAt().isAfter(now.minus(java.time.Duration.ofDays(7))))
                        .mapToLong(dev.lifeboat.core.model.RecoveryPoint::storedBytes).average().orElse(Double.NaN);
                b.append(String.format(java.util.Locale.ROOT, "  last backup   %s, %.1f MiB%s%n", newest.createdAt(),
                        newest.storedBytes() / 1048576.0, Double.isNaN(avg) ? ""
                                : String.format(java.util.Locale.ROOT, " (%+.0f%% against the 7-day average)",
                                (newest.storedBytes() - avg) * 100 / avg)));
                var ids = points.stream().map(dev.lifeboat.core.model.RecoveryPoint::id).collect(Collectors.toSet());
                runs.stream().filter(r -> r.kind().equals("verify") && ids.contains(r.pointId())).findFirst().ifPresent(r ->
                        b.append("  last verify   ").append(r.startedAt()).append(' ').append(r.status()).append('\n'));
            }
            var tests = history.proof().restoreTests(s[0], s[1]);
            b.append("  restore test  ").append(tests.isEmpty() ? "never" : tests.get(0).at() + (tests.get(0).ok() ? " passed" : " FAILED"))
                    .append('\n');
            var drills = history.proof().drills(s[0], s[1]);
            b.append("  last drill    ").append(drills.isEmpty() ? "never" : drills.get(0).startedAt() + " " + drills.get(0).scenario()
                    + (drills.get(0).ok() ? " passed" : " FAILED") + ", next due " + drills.get(0).nextDue()).append('\n');
        }
        List<Alert> active = history.alerts().active();
        b.append('\n').append(active.size()).append(" open alerts").append(active.isEmpty() ? ".\n" : ":\n");
        active.forEach(a -> b.append("  - ").append(a.title()).append('\n'));
        return b.toString();
    }

    /** Sends the digest to every e-mail channel; returns how many it reached. */
    public int sendDigest() {
        String text = digest();
        int sent = 0;
        for (AlertChannel c : history.alerts().channels()) {
            if (!c.kind().equals("email")) {
                continue;
            }
            try {
                new Notifier(c, secrets).sendText("[Lifeboat] Daily digest", text);
                sent++;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Digest to channel {} failed: {}", c.name(), e.getMessage());
            }
        }
        return sent;
    }

    /**
     * Acknowledges an alert (it stays listed, and is not sent again, until its rule resolves it), or with
     * {@code resolve} closes it by hand. Audited.
     */
    public void acknowledge(long id, boolean resolve, String actor) {
        if (!history.alerts().setState(id, resolve ? "resolved" : "acknowledged")) {
            throw new dev.lifeboat.core.LifeboatException("No alert with id " + id + "; list them with 'lifeboat alert list'");
        }
        history.runs().audit(actor, "alert-" + (resolve ? "resolve" : "ack"), "alert " + id, "");
    }

    /** Sends a test message to one channel; throws with the reason when it cannot. */
    public void sendTest(String channel) throws IOException {
        AlertChannel c = history.alerts().channels().stream().filter(x -> x.name().equals(channel)).findFirst()
                .orElseThrow(() -> new dev.lifeboat.core.LifeboatException("No alert channel named " + channel));
        Alert test = new Alert(0, "test", "test", null, null, "Test message from Lifeboat",
                "If you read this, Lifeboat's alerts reach channel " + channel + ".", "open", Instant.now(clock), null);
        Notifier n = new Notifier(c, secrets);
        if (c.kind().equals("ping")) {
            n.ping();
        } else {
            n.send(test);
        }
    }

    /** After a good run: the dead man's switch pings. Failures are logged, never fatal. */
    public void pingGoodRun() {
        for (AlertChannel c : history.alerts().channels()) {
            if (c.kind().equals("ping")) {
                try {
                    new Notifier(c, secrets).ping();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Ping channel {} failed: {}", c.name(), e.getMessage());
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
