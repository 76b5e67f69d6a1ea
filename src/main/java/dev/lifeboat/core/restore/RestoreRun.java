package dev.lifeboat.core.restore;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.backup.VolumeArchiver;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.NetworkSpec;
import dev.lifeboat.core.model.VolumeSpec;
import dev.lifeboat.core.storage.PointLocator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One restore's work against one Docker host: the phases stop → volumes → databases → Redis → config →
 * start → health, for the assets in scope, landing on a target (the stack itself, or a sandbox).
 */
public final class RestoreRun {
static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private final DockerGateway docker;
    private final PointLocator.Located point;
    private final Manifest m;
    private final List<ContainerSpec> containers;
    private final PhaseTimer timer;
    private final String runId;
    private final RestoreTarget target;
    private final RestoreScope scope;
    private boolean startApps = true;
    private Map<String, String> images;
    private boolean networksReady;
    private boolean keepReplacedConfig;

    /** {@code containers}: the recorded specs of the stack's containers (full, from the point). */
    public RestoreRun(DockerGateway docker, PointLocator.Located point, List<ContainerSpec> containers, PhaseTimer timer,
                      String runId, RestoreTarget target, RestoreScope scope) {
        this.runId = runId;
        this.target = target;
        this.scope = scope;
        this.docker = docker;
        this.point = point;
        this.m = point.manifest();
        this.containers = containers.stream().map(target::spec).toList();
        this.timer = timer;
    }

    /** Whether app containers (not databases or Redis) are created and started at the end; true by default. */
    public RestoreRun startApps(boolean start) {
        this.startApps = start;
        return this;
    }

    /**
     * Whether the config directory this restore replaces is kept beside it instead of deleted: when no
     * safety point holds it, a restore must not lose what it replaces.
     */
    public RestoreRun keepReplacedConfig(boolean keep) {
        this.keepReplacedConfig = keep;
        return this;
    }

    /** The specs as created on the target (sandbox names, mounts and labels). */
    public List<ContainerSpec> targetSpecs() {
        return containers;
    }

    /**
     * Checks, before anything is touched, that the host has the image of every container this run may
     * create: its tag still pointing at the recorded id, else the recorded id itself (the tag has moved:
     * the stack comes back on what it ran), else the tag alone. When neither is there it refuses,
     * naming the images, so the admin can pull or load them. Idempotent.
     */
    public void checkImages(List<ContainerSpec> existing) {
        if (images != null) {
            return;
        }
        Set<String> present = existing.stream().map(ContainerSpec::name).collect(Collectors.toSet());
        Set<String> dbs = databaseContainers();
        Map<String, String> chosen = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (ContainerSpec c : containers) {
            boolean recreated = !present.contains(c.name()) || (scope.everything() && !dbs.contains(c.name()));
            if (!recreated || (!c.running() && target instanceof RestoreTarget.Sandbox)) {
                continue;
            }
            String tagId = docker.imageId(c.image()).orElse(null);
            String recorded = c.imageId();
            if (recorded != null && !recorded.isEmpty() && !recorded.equals(tagId)
                    && docker.imageId(recorded).isPresent()) {
                chosen.put(c.name(), recorded);
            } else if (tagId != null) {
                chosen.put(c.name(), c.image());
            } else {
                missing.add(c.image() + (recorded == null ? "" : " (" + shortId(recorded) + ")") + " for " + c.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new LifeboatException("Host " + docker.host().name() + " has neither the tag nor the recorded id of "
                    + (missing.size() == 1 ? "this image" : "these images") + ": " + String.join(", ", missing)
                    + ". Nothing was changed. Pull or load " + (missing.size() == 1 ? "it" : "them")
                    + " (docker pull, or docker load from a saved image), then restore again.");
        }
        images = chosen;
    }

    private static String shortId(String id) {
        String bare = id.startsWith("sha256:") ? id.substring(7) : id;
        return bare.length() > 12 ? bare.substring(0, 12) : bare;
    }

    private Set<String> databaseContainers() {
        return m.assets().stream()
                .filter(a -> a.kind().equals("postgres") || a.kind().equals("redis"))
                .map(a -> target.container(a.container())).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Runs the phases; {@code existing}: the stack's containers found on the host (stopped and recreated). */
    public void execute(List<ContainerSpec> existing) {
        checkImages(existing);
        Set<String> dbContainers = databaseContainers();
        Set<String> touched = new LinkedHashSet<>();
        if (scope.everything()) {
            timer.run("stop", () -> {
                List<ContainerSpec> apps = existing.stream().filter(c -> !dbContainers.contains(c.name())).toList();
                stopInParallel(apps);
                for (ContainerSpec c : apps) {
                    docker.remove(c.name()); // recreated from the recorded spec in the start phase
                }
                return apps.size() + " app containers stopped and removed";
            });
        }
        if (has("config")) {
            // before any container is created: a bind mount of a missing file makes Docker create a directory there
            timer.run("config", () -> {
                long n = 0;
                List<String> kept = new ArrayList<>();
                for (AssetRecord a : m.assets()) {
                    if (a.kind().equals("config") && scope.includes(a)) {
                        try (InputStream plain = open(a.artifacts().get(0)); HostFiles files = HostFiles.of(docker)) {
                            ConfigRestorer.Result r = ConfigRestorer.replace(plain, files,
                                    target.configDir(a.details().get("directory")), runId, keepReplacedConfig);
                            n += r.files();
                            if (r.keptAt() != null) {
                                kept.add(r.keptAt());
                            }
                        }
                    }
                }
                return n + " config files written" + (kept.isEmpty() ? ""
                        : "; the replaced directory is kept at " + String.join(", ", kept));
            });
        }
        if (has("volume")) {
            timer.run("volumes", () -> {
                int n = 0;
                for (AssetRecord a : m.assets()) {
                    if (a.kind().equals("volume") && scope.includes(a)) {
                        restoreVolume(a);
                        n++;
                    }
                }
                if (scope.everything()) {
                    for (VolumeSpec v : m.volumes()) {
                        if (docker.volume(target.volume(v.name())).isEmpty()) {
                            docker.createVolume(target.volumeSpec(v));
                        }
                    }
                }
                return n + " volumes restored";
            });
        }
        if (has("postgres")) {
            timer.run("databases", () -> {
                int n = 0;
                for (AssetRecord a : m.assets()) {
                    if (a.kind().equals("postgres") && scope.includes(a)) {
                        n += restorePostgres(a);
                        touched.add(target.container(a.container()));
                    }
                }
                return n + (scope.everything() ? " databases restored" : " restored (" + scope + ")");
            });
        }
        if (has("redis")) {
            timer.run("redis", () -> {
                for (AssetRecord a : m.assets()) {
                    if (a.kind().equals("redis") && scope.includes(a)) {
                        restoreRedis(a);
                        touched.add(target.container(a.container()));
                    }
                }
                return null;
            });
        }
        List<ContainerSpec> toStart = StartOrder.of(containers.stream()
                .filter(c -> c.running() && (scope.everything() && (startApps || dbContainers.contains(c.name()))
                        || touched.contains(c.name())))
                .toList(), dbContainers);
        timer.run("start", () -> {
            int created = 0;
            if (scope.everything() && !(target instanceof RestoreTarget.Sandbox)) {
                // containers that were stopped at backup time come back too, stopped, as compose ps showed them
                for (ContainerSpec spec : containers) {
                    if (!toStart.contains(spec) && docker.inspect(spec.name()).isEmpty()) {
                        ensureCreated(spec);
                        created++;
                    }
                }
            }
            for (ContainerSpec spec : toStart) {
                ensureCreated(spec);
                docker.start(spec.name());
            }
            return toStart.size() + " containers started" + (created == 0 ? "" : ", " + created + " created stopped");
        });
        timer.run("health", () -> {
            for (ContainerSpec spec : toStart) {
                awaitReady(spec);
            }
            return toStart.size() + " containers healthy";
        });
    }

    /** Stops containers at once, each with its own stop timeout (compose's stop_grace_period), not one fixed wait. */
    private void stopInParallel(List<ContainerSpec> specs) {
        if (specs.isEmpty()) {
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(8, specs.size()), r -> {
                    Thread t = new Thread(r, "lifeboat-stop");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<?>> stops = new ArrayList<>();
            for (ContainerSpec c : specs) {
                stops.add(pool.submit(() -> docker.stop(c.name(), c.stopTimeout())));
            }
            for (java.util.concurrent.Future<?> f : stops) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new HostException(e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LifeboatException("Restore cancelled while stopping containers");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Creates the recorded networks the target lacks, once, before the first container that joins them. */
    private void ensureNetworks() {
        if (networksReady) {
            return;
        }
        for (NetworkSpec n : target.networks(point.networkSpecs())) {
            if (docker.network(n.name()).isEmpty()) {
                boolean fixed = containers.stream().anyMatch(c -> c.networks().containsKey(n.name())
                        && c.networks().get(n.name()).path("IPAMConfig").path("IPv4Address").asText("").length() > 0);
                docker.createNetwork(n, fixed);
            }
        }
        networksReady = true;
    }

    private boolean has(String kind) {
        return m.assets().stream().anyMatch(a -> a.kind().equals(kind) && scope.includes(a));
    }

    private InputStream open(Artifact a) throws IOException {
        return point.open(a);
    }

    private ContainerSpec spec(String name) {
        String mapped = target.container(name);
        return containers.stream().filter(c -> c.name().equals(mapped)).findFirst()
                .orElseThrow(() -> new IntegrityException("manifest has no container spec for " + name));
    }

    private void restoreVolume(AssetRecord a) throws IOException {
        String recorded = a.name().substring("volume:".length());
        String volume = target.volume(recorded);
        VolumeSpec spec = target.volumeSpec(m.volumes().stream().filter(v -> v.name().equals(recorded)).findFirst()
                .orElse(new VolumeSpec(recorded, "local", Map.of())));
        if (docker.volume(volume).isPresent()) {
            docker.removeVolume(volume); // start from an empty volume so the result matches the point exactly
        }
        docker.createVolume(spec);
        String image = containers.stream()
                .filter(c -> c.mounts().stream().anyMatch(mt -> mt.isVolume() && mt.source().equals(volume)))
                .map(this::image).findFirst().orElse(image(containers.get(0)));
        String helper = docker.createHelper(image, "lifeboat-helper-" + UUID.randomUUID().toString().substring(0, 8),
                helperLabels(), List.of(volume), false);
        try (InputStream tar = open(a.artifacts().get(0))) {
            docker.writeArchive(helper, "/lifeboat/" + volume, tar);
        } finally {
            docker.remove(helper);
        }
    }

    private Map<String, String> helperLabels() {
        Map<String, String> labels = new HashMap<>(target.labels());
        labels.put(VolumeArchiver.HELPER_LABEL, runId);
        return labels;
    }

    private void ensureCreated(ContainerSpec spec) {
        Optional<ContainerSpec> now = docker.inspect(spec.name());
        if (now.isEmpty()) {
            ensureNetworks();
            for (var mount : spec.mounts()) {
                if (mount.isVolume() && docker.volume(mount.source()).isEmpty()) {
                    docker.createVolume(m.volumes().stream().filter(v -> target.volume(v.name()).equals(mount.source()))
                            .findFirst().map(target::volumeSpec)
                            .orElse(new VolumeSpec(mount.source(), "local", target.labels())));
                }
            }
            docker.createContainer(spec.withImage(image(spec)));
        }
    }

    /** The image reference chosen for a container by {@link #checkImages}. */
    private String image(ContainerSpec spec) {
        return images == null ? spec.image() : images.getOrDefault(spec.name(), spec.image());
    }

    private int restorePostgres(AssetRecord a) throws IOException {
        ContainerSpec spec = spec(a.container());
        ensureCreated(spec);
        docker.start(spec.name());
        PostgresClient pg = new PostgresClient(docker, spec);
        docker.awaitReady(spec.name(), READY_TIMEOUT, pg::ready);
        int n = 0;
        boolean tablesOnly = a.artifacts().stream().filter(x -> x.role().equals("pg-dump"))
                .filter(x -> scope.includesDatabase(x.database())).allMatch(x -> scope.table(x.database()) != null);
        for (Artifact art : a.artifacts()) {
            if (art.role().equals("pg-globals") && !tablesOnly) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ExecResult r;
                try (InputStream sql = open(art)) {
                    r = pg.run(List.of("psql", "-X", "-q", "-d", "postgres"), sql, out);
                }
                List<String> errors = r.stderr().lines().filter(l -> l.contains("ERROR:"))
                        .filter(l -> !l.contains("already exists")).toList();
                if (!r.ok() || !errors.isEmpty()) {
                    throw new HostException("Restoring roles into " + spec.name() + " failed: "
                            + String.join("; ", errors.isEmpty() ? List.of(r.stderr().trim()) : errors));
                }
            }
        }
        for (Artifact art : a.artifacts()) {
            if (!art.role().equals("pg-dump")) {
                continue;
            }
            String db = art.database();
            if (!scope.includesDatabase(db)) {
                continue;
            }
            if (scope.table(db) != null) {
                try (InputStream dump = open(art)) {
                    TableRestore.restore(pg, spec.name(), db, scope.table(db), dump);
                }
                n++;
                continue;
            }
            List<String> cmd;
            if (db.equals("postgres")) {
                cmd = List.of("pg_restore", "--clean", "--if-exists", "--exit-on-error", "-d", "postgres");
            } else {
                pg.query("postgres", "DROP DATABASE IF EXISTS " + quoteIdent(db) + " WITH (FORCE)");
                cmd = List.of("pg_restore", "--create", "--exit-on-error", "-d", "postgres");
            }
            ExecResult r;
            try (InputStream dump = open(art)) {
                r = pg.run(cmd, dump, java.io.OutputStream.nullOutputStream());
            }
            if (!r.ok()) {
                throw new HostException("pg_restore of database " + db + " in " + spec.name() + " failed: "
                        + r.stderr().trim());
            }
            n++;
        }
        return n;
    }

    private void restoreRedis(AssetRecord a) throws IOException {
        ContainerSpec spec = spec(a.container());
        Map<String, String> d = a.details();
        ensureCreated(spec);
        docker.stop(spec.name(), spec.stopTimeout());
        Artifact art = a.artifacts().get(0);
        try (InputStream rdb = open(art)) {
            docker.writeArchive(spec.name(), d.get("dir"), SingleFileTar.of(d.get("dbfilename"), art.plainBytes(),
                    Integer.parseInt(d.getOrDefault("mode", "644"), 8), Long.parseLong(d.getOrDefault("uid", "0")),
                    Long.parseLong(d.getOrDefault("gid", "0")), rdb));
        }
        if ("true".equals(d.get("appendonly"))) {
            rebuildAppendOnlyFile(spec);
        }
        docker.start(spec.name());
        RedisClient redis = new RedisClient(docker, spec);
        docker.awaitReady(spec.name(), READY_TIMEOUT, redis::ready);
        Map<String, Long> keys = redis.keyCounts();
        if (a.keyCounts() != null && !a.keyCounts().keySet().equals(keys.keySet())) {
            throw new HostException("Redis in " + spec.name() + " came up with databases " + keys.keySet()
                    + " but the point recorded " + a.keyCounts().keySet());
        }
    }

    /**
     * With AOF on, Redis loads the append-only file and ignores the RDB. So a temporary twin of the
     * container (same image, mounts and command, plus {@code --appendonly no}, no port, a private
     * socket) loads the RDB, then {@code CONFIG SET appendonly yes} rewrites the AOF from that data
     * and {@code SHUTDOWN} flushes it. The real container then starts on an AOF that matches the point.
     */
    private void rebuildAppendOnlyFile(ContainerSpec spec) {
        if (spec.cmd() == null || spec.cmd().isEmpty() || !spec.cmd().get(0).contains("redis-server")) {
            throw new LifeboatException("Redis in " + spec.name() + " runs with appendonly yes but its command does not"
                    + " start with redis-server, so its AOF cannot be rebuilt from the point; restore it with"
                    + " appendonly no, then enable AOF");
        }
        String socket = "/tmp/lifeboat-restore.sock";
        List<String> cmd = new ArrayList<>(spec.cmd());
        cmd.addAll(List.of("--appendonly", "no", "--port", "0", "--unixsocket", socket, "--save", ""));
        Map<String, String> labels = helperLabels();
        String twin = spec.name() + "-lifeboat-aof-" + UUID.randomUUID().toString().substring(0, 6);
        docker.createContainer(new ContainerSpec(twin, image(spec), spec.imageId(), cmd, spec.entrypoint(), spec.env(),
                labels, spec.user(), spec.workingDir(), "none", null, spec.mounts(), null, true));
        try {
            docker.start(twin);
            RedisClient redis = RedisClient.overSocket(docker, twin, socket, spec);
            docker.awaitReady(twin, READY_TIMEOUT, redis::ready);
            redis.call("CONFIG", "SET", "appendonly", "yes");
            Map<String, String> p = redis.awaitPersistence(x -> "1".equals(x.get("aof_enabled"))
                    && "0".equals(x.get("aof_rewrite_in_progress")) && "0".equals(x.get("aof_rewrite_scheduled")),
                    READY_TIMEOUT, "the AOF rewrite");
            if (!"ok".equals(p.get("aof_last_bgrewrite_status"))) {
                throw new HostException("Redis could not rewrite its AOF while restoring " + spec.name());
            }
            try {
                redis.call("SHUTDOWN");
            } catch (HostException expected) {
                // redis-cli reports the connection closing under it; the exit status below is what counts
            }
            docker.awaitStopped(twin, READY_TIMEOUT);
        } finally {
            docker.remove(twin);
        }
    }

    private void awaitReady(ContainerSpec spec) {
        if (StackDiscovery.isPostgres(spec)) {
            PostgresClient pg = new PostgresClient(docker, spec);
            docker.awaitReady(spec.name(), READY_TIMEOUT, pg::ready);
        } else if (StackDiscovery.isRedis(spec)) {
            RedisClient redis = new RedisClient(docker, spec);
            docker.awaitReady(spec.name(), READY_TIMEOUT, redis::ready);
        } else {
            docker.awaitReady(spec.name(), READY_TIMEOUT, () -> true);
        }
    }

    private static String quoteIdent(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
