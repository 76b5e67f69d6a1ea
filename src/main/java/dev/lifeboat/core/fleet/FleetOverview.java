package dev.lifeboat.core.fleet;

import dev.lifeboat.core.status.StackHealth;
import dev.lifeboat.core.status.StackStatusService;

import dev.lifeboat.core.Progress;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.schedule.AgentLock;
import dev.lifeboat.core.schedule.Schedule;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The fleet at a glance, the use case behind the console's sidebar, status bar and activity: every
 * host with the stacks it runs now (asked live, reused for a minute) plus those the history knows (a
 * stack that is gone still has its points), each stack's health, the hosts that do not answer and why,
 * the agent, the next backup, and the recent activity. Headless; reads the history and the hosts.
 */
public final class FleetOverview {
    /** One stack in the fleet with its health. */
    public record StackItem(String host, String stack, StackHealth.Level level) {
    }

    /** What the console shows of the fleet, read in one pass. */
    public record Fleet(List<Host> hosts, List<StackItem> stacks, Map<String, String> unreachable, String summary,
                        List<RunRecord> activity, String agent, String line) {
        /** The status line: the summary, and the hosts that do not answer. */
        public String status() {
            return unreachable.isEmpty() ? summary : summary + " · not reachable: " + String.join(", ", new TreeSet<>(unreachable.keySet()));
        }
    }

    /** How long a host's stack list is reused before it is asked again ({@link #forgetHosts} asks at once). */
    static final Duration DISCOVERY_TTL = Duration.ofMinutes(1);

    private record Discovered(Instant at, Set<String> stacks, String error) {
    }

    private final HistoryStore history;
    private final Function<Host, DockerEngine> connector;
    private final AssetKinds kinds;
    private final Path home;
    private final Clock clock;
    private final Map<String, Discovered> discovered = new ConcurrentHashMap<>();

    public FleetOverview(HistoryStore history, Function<Host, DockerEngine> connector, AssetKinds kinds, Path home, Clock clock) {
        this.history = history;
        this.connector = connector;
        this.kinds = kinds;
        this.home = home;
        this.clock = clock;
    }

    /** Asks every host again at the next {@link #read}. */
    public void forgetHosts() {
        discovered.clear();
    }

    public Fleet read(Progress progress) {
        StackStatusService status = new StackStatusService(history, clock);
        List<Host> hosts = history.hosts().all();
        Set<String> known = new TreeSet<>();
        for (String[] hs : status.knownStacks()) {
            known.add(hs[0] + "/" + hs[1]);
        }
        Map<String, String> unreachable = new HashMap<>();
        Instant now = clock.instant();
        for (Host h : hosts) {
            Discovered d = discovered.get(h.name());
            if (d == null || d.at().isBefore(now.minus(DISCOVERY_TTL))) {
                progress.phase("discover", "Looking for stacks on " + h.name());
                try (DockerEngine docker = connector.apply(h)) {
                    d = new Discovered(now, Set.copyOf(new StackDiscovery(docker, kinds).stacks().keySet()), null);
                } catch (RuntimeException e) {
                    d = new Discovered(now, Set.of(), e.getMessage());
                }
                discovered.put(h.name(), d);
            }
            if (d.error() != null) {
                unreachable.put(h.name(), d.error());
            }
            d.stacks().forEach(st -> known.add(h.name() + "/" + st));
        }
        List<StackItem> items = new ArrayList<>();
        for (String hs : known) {
            String[] parts = hs.split("/", 2);
            items.add(new StackItem(parts[0], parts[1], status.health(parts[0], parts[1]).level()));
        }
        List<RecoveryPoint> points = history.points().of(null, null);
        String summary = hosts.size() + " hosts, " + history.destinations().all().size() + " destinations, " + points.size()
                + " recovery points";
        String agent = (home == null ? Optional.<String>empty() : AgentLock.holder(home))
                .map(h -> "Agent running (" + h.replaceAll(", started.*", "") + ")").orElse("No agent running");
        Optional<Instant> next = history.plans().all().stream().filter(pl -> pl.backupCron() != null)
                .map(pl -> Schedule.parse(pl.backupCron(), pl.zone()).nextSlot(now))
                .flatMap(Optional::stream).min(Instant::compareTo);
        agent += next.map(n -> " · next backup " + n.toString().substring(0, 16).replace('T', ' ') + " UTC").orElse("");
        String line = line(items, (int) history.alerts().active().stream().filter(a -> a.state().equals("open")).count(),
                points.stream().mapToLong(RecoveryPoint::storedBytes).sum());
        return new Fleet(hosts, items, unreachable, summary, history.runs().activity(500), agent, line);
    }

    /** The fleet line above every dashboard: health counts, open alerts, stored bytes. */
    public static String line(List<StackItem> stacks, int openAlerts, long storedBytes) {
        Map<StackHealth.Level, Long> n = new EnumMap<>(StackHealth.Level.class);
        stacks.forEach(i -> n.merge(i.level(), 1L, Long::sum));
        return String.format(Locale.ROOT, "Fleet: %d stack%s · %d healthy · %d late or unverified · %d failing or past RPO"
                        + "%s · %d open alert%s · %s stored", stacks.size(), stacks.size() == 1 ? "" : "s",
                n.getOrDefault(StackHealth.Level.GREEN, 0L), n.getOrDefault(StackHealth.Level.AMBER, 0L),
                n.getOrDefault(StackHealth.Level.RED, 0L),
                n.getOrDefault(StackHealth.Level.NONE, 0L) == 0 ? "" : " · " + n.get(StackHealth.Level.NONE) + " never backed up",
                openAlerts, openAlerts == 1 ? "" : "s", dev.lifeboat.core.Units.bytes(storedBytes));
    }
}
