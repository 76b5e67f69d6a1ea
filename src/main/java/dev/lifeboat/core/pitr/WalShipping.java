package dev.lifeboat.core.pitr;

import dev.lifeboat.core.ConfirmationRequiredException;
import dev.lifeboat.core.HostException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.PitrConfig;
import dev.lifeboat.core.history.WalFile;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.pipeline.ArtifactPipeline;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.core.storage.Destination;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.storage.Repository;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Continuous WAL shipping for the PostgreSQL assets of a stack (ADR 24): {@code pg_receivewal} from the
 * database's own image, inside its container, on a physical replication slot; every completed WAL file
 * goes through the artifact pipeline into the destination's WAL area, is recorded once durable, and only
 * then removed from the container.
 */
public final class WalShipping {
    /** Where the receiver writes, inside the database container: outside PGDATA, kept across restarts. */
    static final String RECEIVE_ROOT = "/var/tmp/lifeboat-wal";
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    private static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");
    /** Segments shipped at once in a pass. */
    private static final int PARALLEL = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final HistoryStore history;
    private final Repositories repositories;
    private final Function<Host, DockerEngine> connector;
    private final AssetKinds kinds;
    private final Clock clock;

    public WalShipping(HistoryStore history, Repositories repositories, Function<Host, DockerEngine> connector, AssetKinds kinds,
                       Clock clock) {
        this.history = history;
        this.repositories = repositories;
        this.connector = connector;
        this.kinds = kinds;
        this.clock = clock;
    }

    /**
     * Ships everything the server has written up to now: asks for a segment switch and ships until the
     * segment that held the current position is at the destination (a restore to "latest" starts here).
     * Returns the name of that segment.
     */
    public String flush(PitrConfig c, Duration timeout) {
        Host host = history.hosts().require(c.host());
        String target;
        try (DockerEngine docker = connector.apply(host)) {
            ContainerSpec spec = running(docker, c.container());
            PostgresClient pg = new PostgresClient(docker, spec);
            Position at = position(pg);
            if (at.atSegmentStart()) {
                // nothing written in the open segment: everything before it is what must be shipped
                target = previous(at.segment());
            } else {
                pg.query("postgres", "SELECT pg_switch_wal()");
                target = at.segment();
            }
        }
        Instant deadline = clock.instant().plus(timeout);
        while (history.pitr().newestSegment(c.host(), c.stack(), c.asset(), c.destination())
                .map(f -> f.name().compareTo(target) < 0).orElse(true)) {
            if (clock.instant().isAfter(deadline)) {
                throw new LifeboatException("The WAL of " + c.asset() + " up to " + target + " did not reach " + c.destination()
                        + " within " + timeout.getSeconds() + " s; see 'lifeboat pitr status'");
            }
            ship(c, Progress.NONE);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LifeboatException("Interrupted while shipping the WAL of " + c.asset());
            }
        }
        return target;
    }

    /** Starts a receiver (and the slot, if it is gone: after a restore) for an asset again, and ships once. */
    public void resume(PitrConfig c) {
        Host host = history.hosts().require(c.host());
        try (DockerEngine docker = connector.apply(host)) {
            PostgresClient pg = new PostgresClient(docker, running(docker, c.container()));
            createSlot(pg, c.slot());
            docker.exec(c.container(), List.of("rm", "-rf", "--", receiveDir(c)), List.of(), null, OutputStream.nullOutputStream());
        }
        ship(c, Progress.NONE);
    }

    /** Stops the asset's receiver (its walsender is ended; the receiver exits), keeping the slot. */
    public void pause(PitrConfig c) {
        Host host = history.hosts().require(c.host());
        try (DockerEngine docker = connector.apply(host)) {
            Optional<ContainerSpec> spec = docker.inspect(c.container()).filter(ContainerSpec::running);
            if (spec.isPresent()) {
                PostgresClient pg = new PostgresClient(docker, spec.get());
                pg.query("postgres", "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                        + c.slot() + "' AND active_pid IS NOT NULL");
                stopped(pg, c.slot());
            }
        }
    }

    /** What {@code enable} did per asset. */
    public record Enabled(String asset, String slot, String detail) {
    }

    /**
     * Switches WAL shipping on for the stack's PostgreSQL assets ({@code assetName} alone when given, as
     * {@code postgres:CONTAINER}) to {@code destination}: checks the server can stream WAL, creates the
     * replication slot (which from now on keeps every WAL file until it is shipped), records it, and
     * ships once. A server that needs a setting changed and a restart is refused with the exact change,
     * unless {@code allowRestart}; on a production host that also takes the typed phrase.
     */
    public List<Enabled> enable(String hostName, String stack, String assetName, String destination, int switchSeconds,
                                int alertLagSeconds, boolean allowRestart, String phrase) {
        Host host = history.hosts().require(hostName);
        history.destinations().require(destination);
        if (alertLagSeconds < switchSeconds) {
            throw new LifeboatException("An alert at " + alertLagSeconds + " s of lag would fire before the segment switch every "
                    + switchSeconds + " s: give an alert lag of at least the switch interval");
        }
        if (switchSeconds < 5) {
            throw new LifeboatException("A segment switch every " + switchSeconds + " s is too often: at least 5 s");
        }
        List<Enabled> done = new ArrayList<>();
        try (DockerEngine docker = connector.apply(host)) {
            List<Asset.PostgresInstance> assets = postgresAssets(docker, stack, assetName);
            for (Asset.PostgresInstance a : assets) {
                ContainerSpec spec = running(docker, a.container());
                PostgresClient pg = new PostgresClient(docker, spec);
                List<String> changes = neededChanges(pg);
                String detail = "WAL streams without a restart";
                if (!changes.isEmpty()) {
                    String what = "PostgreSQL in " + a.container() + " cannot stream its WAL as configured: it needs "
                            + String.join(", ", changes) + " and a restart of the container";
                    if (!allowRestart) {
                        throw new ConfirmationRequiredException(what + ". Run again with --allow-restart to apply it"
                                + (host.production() ? " (and --confirm '" + ConfirmationPolicy.PRODUCTION_PHRASE
                                + "': " + host.name() + " is production)" : ""), what);
                    }
                    if (host.production()) {
                        ConfirmationPolicy.require(host, phrase);
                    }
                    for (String c : changes) {
                        pg.query("postgres", "ALTER SYSTEM SET " + c);
                    }
                    docker.stop(a.container(), 60);
                    docker.start(a.container());
                    docker.awaitReady(a.container(), Duration.ofMinutes(2), () -> ready(pg));
                    detail = "applied " + String.join(", ", changes) + " and restarted the container";
                }
                String slot = slotName(a.container());
                createSlot(pg, slot);
                history.pitr().enable(new PitrConfig(host.name(), stack, a.name(), destination, slot, switchSeconds,
                        alertLagSeconds, clock.instant(), repositories.actor()));
                history.runs().audit(repositories.actor(), "pitr-enable", host.name() + "/" + stack,
                        a.name() + " to " + destination + " through slot " + slot + "; " + detail);
                done.add(new Enabled(a.name(), slot, detail));
            }
        }
        for (PitrConfig c : history.pitr().of(host.name(), stack)) {
            if (done.stream().anyMatch(e -> e.asset().equals(c.asset()))) {
                ship(c, Progress.NONE);
            }
        }
        return done;
    }

    /** Switches shipping off: the receiver stops, the slot is dropped, the WAL already shipped stays. */
    public List<String> disable(String hostName, String stack, String assetName) {
        Host host = history.hosts().require(hostName);
        List<String> off = new ArrayList<>();
        for (PitrConfig c : history.pitr().of(hostName, stack)) {
            if (assetName != null && !assetName.equals(c.asset())) {
                continue;
            }
            try (DockerEngine docker = connector.apply(host)) {
                Optional<ContainerSpec> spec = docker.inspect(c.container()).filter(ContainerSpec::running);
                if (spec.isPresent()) {
                    PostgresClient pg = new PostgresClient(docker, spec.get());
                    pg.query("postgres", "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                            + c.slot() + "' AND active_pid IS NOT NULL");
                    stopped(pg, c.slot());
                    pg.query("postgres", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                            + c.slot() + "'");
                    docker.exec(c.container(), List.of("rm", "-rf", "--", receiveDir(c)), List.of(), null, OutputStream.nullOutputStream());
                }
            }
            history.pitr().disable(hostName, stack, c.asset());
            history.runs().audit(repositories.actor(), "pitr-disable", hostName + "/" + stack, c.asset() + ": slot " + c.slot()
                    + " dropped; the WAL shipped to " + c.destination() + " stays");
            off.add(c.asset());
        }
        if (off.isEmpty()) {
            throw new LifeboatException("WAL shipping is not on for " + hostName + "/" + stack
                    + (assetName == null ? "" : " " + assetName));
        }
        return off;
    }

    /** What one shipping pass did for an asset. */
    public record Shipped(String asset, List<String> files, long plainBytes, boolean receiverStarted, boolean switched,
                          String problem) {
    }

    /** One pass over every asset that ships its WAL (what the agent runs every few seconds). */
    public List<Shipped> shipAll(Progress progress) {
        List<Shipped> out = new ArrayList<>();
        for (PitrConfig c : history.pitr().all()) {
            out.add(ship(c, progress));
        }
        return out;
    }

    /**
     * One pass for one asset: keeps a receiver running on its slot, asks for a segment switch when the
     * open segment is older than the switch interval, and ships every completed WAL file in name order.
     * A container that is not running is reported, not an error: the slot keeps its WAL meanwhile.
     */
    public Shipped ship(PitrConfig c, Progress progress) {
        Host host = history.hosts().require(c.host());
        List<String> files = new ArrayList<>();
        long bytes = 0;
        try (DockerEngine docker = connector.apply(host)) {
            Optional<ContainerSpec> spec = docker.inspect(c.container()).filter(ContainerSpec::running);
            if (spec.isEmpty()) {
                return new Shipped(c.asset(), files, 0, false, false, "container " + c.container() + " is not running");
            }
            PostgresClient pg = new PostgresClient(docker, spec.get());
            boolean started = ensureReceiver(docker, pg, c);
            boolean switched = switchIfDue(pg, c);
            try (Repository repo = repositories.open(c.destination())) {
                Destination.WalArchive archive = repo.destination().wal(c.host(), c.stack(), c.container());
                bytes = shipAll(docker, repo.pipeline(), archive, c, completed(docker, c), files, progress);
            }
            history.pitr().checked(c, pending(pg, c), clock.instant());
            return new Shipped(c.asset(), files, bytes, started, switched, null);
        } catch (IOException e) {
            throw new LifeboatException("Shipping the WAL of " + c.asset() + " to " + c.destination() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Ships completed files in order, timeline histories first; after the first file (which makes the
     * destination's directories), the rest go several at once: reading a file out of the container waits
     * on the engine more than on the CPU. A file is recorded once durable; the container's copies of the
     * shipped files go in one exec at the end, and what a failure left unshipped stays for the next pass.
     * Returns the plain bytes shipped; {@code shipped} gets the names.
     */
    private long shipAll(DockerEngine docker, ArtifactPipeline pipeline, Destination.WalArchive archive, PitrConfig c,
                         List<String> names, List<String> shipped, Progress progress) throws IOException {
        if (names.isEmpty()) {
            return 0;
        }
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "lifeboat-wal-ship");
            t.setDaemon(true);
            return t;
        });
        long bytes = 0;
        try {
            bytes += shipOne(docker, pipeline, archive, c, names.get(0), progress);
            shipped.add(names.get(0));
            List<java.util.concurrent.Future<Long>> running = new ArrayList<>();
            for (String name : names.subList(1, names.size())) {
                running.add(pool.submit(() -> shipOne(docker, pipeline, archive, c, name, progress)));
            }
            IOException failed = null;
            for (int i = 0; i < running.size(); i++) {
                try {
                    bytes += running.get(i).get();
                    shipped.add(names.get(i + 1));
                } catch (java.util.concurrent.ExecutionException e) {
                    failed = failed != null ? failed : e.getCause() instanceof IOException io ? io
                            : new IOException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LifeboatException("Interrupted while shipping the WAL of " + c.asset());
                }
            }
            if (failed != null) {
                throw failed;
            }
            return bytes;
        } finally {
            pool.shutdownNow();
            if (!shipped.isEmpty()) {
                // durable and recorded: the container's copies go, and the slot lets the server recycle the WAL
                List<String> rm = new ArrayList<>(List.of("rm", "-f", "--"));
                shipped.forEach(n -> rm.add(receiveDir(c) + "/" + n));
                docker.exec(c.container(), rm, List.of(), null, OutputStream.nullOutputStream());
            }
        }
    }

    private long shipOne(DockerEngine docker, ArtifactPipeline pipeline, Destination.WalArchive archive, PitrConfig c,
                         String name, Progress progress) throws IOException {
        progress.phase("wal", "Shipping WAL " + name);
        String stored = name + ".lbe";
        ArtifactPipeline.Writer w;
        ExecResult r;
        try (OutputStream sink = archive.create(stored)) {
            w = pipeline.writer(sink);
            try (w) {
                r = docker.exec(c.container(), List.of("cat", "--", receiveDir(c) + "/" + name), List.of(), null, w);
            }
            if (!r.ok()) {
                throw new HostException("Reading WAL file " + name + " in " + c.container() + " failed: " + r.stderr().trim());
            }
        }
        // durable at the destination: recorded (the container's copy goes at the end of the pass)
        var d = w.digest();
        history.pitr().shipped(new WalFile(c.host(), c.stack(), c.asset(), c.destination(), name, d.plainBytes(), d.storedBytes(),
                d.plainSha256(), d.storedSha256(), clock.instant()));
        return d.plainBytes();
    }

    /** Completed WAL files the receiver wrote (segments and timeline histories), oldest first. */
    private List<String> completed(DockerEngine docker, PitrConfig c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult r = docker.exec(c.container(), List.of("ls", "-1", "--", receiveDir(c)), List.of(), null, out);
        if (!r.ok()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String n : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (SEGMENT.matcher(n).matches() || HISTORY.matcher(n).matches()) {
                names.add(n);
            }
        }
        // a timeline's history before its segments: a restore needs it to follow the switch
        names.sort((a, b) -> a.endsWith(".history") == b.endsWith(".history") ? a.compareTo(b) : a.endsWith(".history") ? -1 : 1);
        return names;
    }

    /** Starts a receiver on the slot unless one is streaming from it; true when one was started. */
    private boolean ensureReceiver(DockerEngine docker, PostgresClient pg, PitrConfig c) {
        String active = pg.query("postgres", "SELECT active FROM pg_replication_slots WHERE slot_name = '" + c.slot() + "'").trim();
        if (active.isEmpty()) {
            throw new LifeboatException("The replication slot " + c.slot() + " of " + c.asset() + " is gone (dropped, or the"
                    + " server's data was replaced): WAL since then may be missing. Run 'lifeboat pitr enable' again and take"
                    + " a backup");
        }
        if (active.equals("t")) {
            return false;
        }
        // the directory and slot come as arguments, never as shell words; the receiver outlives this exec
        ExecResult r = docker.exec(c.container(), List.of("sh", "-c", "mkdir -p -m 700 \"$1\" && (nohup pg_receivewal -D \"$1\" -S \"$2\""
                + " --no-loop >\"$1.log\" 2>&1 &)", "sh", receiveDir(c), c.slot()), pg.environment(), null,
                OutputStream.nullOutputStream());
        if (!r.ok()) {
            throw new HostException("Starting pg_receivewal in " + c.container() + " failed: " + r.stderr().trim());
        }
        return true;
    }

    /** Whether the server has written WAL that is not shipped yet: its position is past the newest file shipped. */
    private boolean pending(PostgresClient pg, PitrConfig c) {
        Optional<WalFile> newest = history.pitr().newestSegment(c.host(), c.stack(), c.asset(), c.destination());
        Position at = position(pg);
        return newest.isEmpty() || !(at.atSegmentStart() && at.segment().equals(next(newest.get().name())));
    }

    /** Where the server writes WAL now: its segment, and whether nothing is written in it yet. */
    private record Position(String segment, boolean atSegmentStart) {
    }

    private static Position position(PostgresClient pg) {
        String[] at = pg.query("postgres", "SELECT file_name || '|' || file_offset FROM "
                + "pg_walfile_name_offset(pg_current_wal_lsn())").trim().split("\\|");
        if (at.length != 2 || !SEGMENT.matcher(at[0]).matches()) {
            throw new HostException("PostgreSQL answered '" + String.join("|", at) + "' for its WAL position");
        }
        return new Position(at[0], at[1].equals("0"));
    }

    /** Creates the asset's physical replication slot unless it exists; it keeps WAL from now until shipped. */
    private static void createSlot(PostgresClient pg, String slot) {
        pg.query("postgres", "SELECT pg_create_physical_replication_slot(s, true) FROM (SELECT '" + slot
                + "'::name AS s) x WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "')");
    }

    /** Asks the server to switch segments when WAL was written and nothing was shipped for the switch interval. */
    private boolean switchIfDue(PostgresClient pg, PitrConfig c) {
        Instant last = history.pitr().newest(c.host(), c.stack(), c.asset()).map(WalFile::shippedAt).orElse(c.enabledAt());
        if (Duration.between(last, clock.instant()).getSeconds() < c.switchSeconds()) {
            return false;
        }
        if (position(pg).atSegmentStart()) {
            return false; // nothing written in the open segment
        }
        pg.query("postgres", "SELECT pg_switch_wal()");
        return true;
    }

    /** What an asset's shipping looks like now, for {@code pitr status} and the alerts. */
    /**
     * {@code lagSeconds}: since the newest WAL file was shipped (since enabling, before the first);
     * {@code retainedBytes}: the WAL the server keeps for the slot, not yet shipped (-1 when unknown).
     */
    public record Status(PitrConfig config, boolean receiving, String newestFile, Instant newestAt, long lagSeconds,
                         long bytesLastHour, long retainedBytes, String problem, Coverage coverage) {
    }

    public List<Status> status(String hostName, String stack) {
        Host host = history.hosts().require(hostName);
        List<Status> out = new ArrayList<>();
        for (PitrConfig c : history.pitr().of(hostName, stack)) {
            Optional<WalFile> newest = history.pitr().newest(hostName, stack, c.asset());
            Instant now = clock.instant();
            long perHour = history.pitr().bytesSince(hostName, stack, c.asset(), now.minus(Duration.ofHours(1)));
            Duration lag = Duration.between(newest.map(WalFile::shippedAt).orElse(c.enabledAt()), now);
            boolean receiving = false;
            long retained = -1;
            String problem = null;
            try (DockerEngine docker = connector.apply(host)) {
                Optional<ContainerSpec> spec = docker.inspect(c.container()).filter(ContainerSpec::running);
                if (spec.isEmpty()) {
                    problem = "container " + c.container() + " is not running";
                } else {
                    PostgresClient pg = new PostgresClient(docker, spec.get());
                    if (!pending(pg, c)) {
                        lag = Duration.ZERO; // nothing written since the newest file shipped
                    }
                    String row = pg.query("postgres", "SELECT active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint "
                            + "FROM pg_replication_slots WHERE slot_name = '" + c.slot() + "'").trim();
                    if (row.isEmpty()) {
                        problem = "replication slot " + c.slot() + " is gone";
                    } else {
                        String[] f = row.split("\\|");
                        receiving = f[0].equals("t");
                        retained = f.length > 1 && !f[1].isEmpty() ? Long.parseLong(f[1]) : -1;
                    }
                }
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
            out.add(new Status(c, receiving, newest.map(WalFile::name).orElse(null), newest.map(WalFile::shippedAt).orElse(null),
                    lag.getSeconds(), perHour, retained, problem, Coverage.of(history.pitr(), c)));
        }
        return out;
    }

    private List<Asset.PostgresInstance> postgresAssets(DockerEngine docker, String stack, String assetName) {
        List<Asset.PostgresInstance> all = new StackDiscovery(docker, kinds).discover(stack).assets().stream()
                .filter(a -> a instanceof Asset.PostgresInstance).map(a -> (Asset.PostgresInstance) a).toList();
        List<Asset.PostgresInstance> chosen = assetName == null ? all
                : all.stream().filter(a -> a.name().equals(assetName)).toList();
        if (chosen.isEmpty()) {
            throw new LifeboatException(assetName == null ? "Stack " + stack + " has no PostgreSQL database"
                    : "Stack " + stack + " has no asset " + assetName + "; its PostgreSQL assets: "
                    + all.stream().map(Asset::name).toList());
        }
        return chosen;
    }

    private static ContainerSpec running(DockerEngine docker, String container) {
        return docker.inspect(container).filter(ContainerSpec::running).orElseThrow(() -> new LifeboatException(
                "Container " + container + " is not running: WAL shipping starts from a running server"));
    }

    /** The settings that keep a server from streaming its WAL, as ALTER SYSTEM assignments. */
    private static List<String> neededChanges(PostgresClient pg) {
        String[] v = pg.query("postgres", "SELECT current_setting('wal_level') || '|' || current_setting('max_wal_senders') || '|'"
                + " || current_setting('max_replication_slots')").trim().split("\\|");
        List<String> changes = new ArrayList<>();
        if (v[0].equals("minimal")) {
            changes.add("wal_level = replica");
        }
        if (Integer.parseInt(v[1]) < 2) {
            changes.add("max_wal_senders = 10");
        }
        if (Integer.parseInt(v[2]) < 1) {
            changes.add("max_replication_slots = 10");
        }
        return changes;
    }

    private static boolean ready(PostgresClient pg) {
        try {
            return pg.query("postgres", "SELECT 1").trim().equals("1");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Waits (briefly) until no receiver streams from the slot, so it can be dropped. */
    private static void stopped(PostgresClient pg, String slot) {
        for (int i = 0; i < 50; i++) {
            if (!pg.query("postgres", "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'").trim().equals("t")) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The segment before {@code name} on its timeline. */
    static String previous(String name) {
        return WalFile.segmentAt(name, WalFile.position(name) - 1);
    }

    /** The segment after {@code name} on its timeline (16 MiB segments: 256 per log file); "" for a history file. */
    static String next(String name) {
        return SEGMENT.matcher(name).matches() ? WalFile.segmentAt(name, WalFile.position(name) + 1) : "";
    }

    /** A replication slot's name for a container: lower-case letters, digits and underscores, at most 63. */
    static String slotName(String container) {
        String s = "lifeboat_" + container.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    static String container(PitrConfig c) {
        return c.asset().substring(c.asset().indexOf(':') + 1);
    }

    private static String receiveDir(PitrConfig c) {
        return RECEIVE_ROOT + "/" + c.slot();
    }
}
