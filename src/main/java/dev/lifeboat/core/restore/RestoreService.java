package dev.lifeboat.core.restore;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.backup.BackupService;
import dev.lifeboat.core.backup.VolumeArchiver;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.VolumeSpec;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;
import dev.lifeboat.core.verify.VerifyReport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Restores a recovery point onto its host, whether the stack is gone or still there.
 *
 * <p>Order: confirm (production phrase) → verify every artifact (nothing is touched if one fails) →
 * safety backup of what exists → stop and remove the app containers → volumes → databases (start,
 * wait ready, globals, then each database) → Redis (RDB placed while Redis is stopped) → config files →
 * recreate and start everything, wait for health. Each phase is timed and recorded.
 */
public final class RestoreService {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private final HistoryStore history;
    private final Function<Host, DockerGateway> connector;
    private final IntegrityVerifier verifier;
    private final BackupService backups;

    private final Repositories repositories;

    public RestoreService(Repositories repositories, Function<Host, DockerGateway> connector, IntegrityVerifier verifier,
                          BackupService backups) {
        this.history = repositories.history();
        this.repositories = repositories;
        this.connector = connector;
        this.verifier = verifier;
        this.backups = backups;
    }

    public RestoreReport restore(String pointId, RestoreOptions options, Progress progress) {
        try (PointLocator.Located point = new PointLocator(repositories).locate(pointId)) {
            return restore(point, options, progress);
        }
    }

    private RestoreReport restore(PointLocator.Located point, RestoreOptions options, Progress progress) {
        String pointId = point.manifest().pointId();
        Manifest m = point.manifest();
        Host host = history.requireHost(m.host());
        String actor = System.getProperty("user.name", "unknown");
        try {
            ConfirmationPolicy.require(host, options.confirmation());
        } catch (LifeboatException refused) {
            history.audit(actor, "restore-refused", m.host() + "/" + m.stack(), "point " + pointId + ": " + refused.getMessage());
            throw refused;
        }
        String runId = history.startRun("restore", m.host(), m.stack(), pointId, point.destination(), actor);
        List<RunStep> phases = new ArrayList<>();
        long start = System.nanoTime();
        String safetyPoint = null;
        try {
            Phases timer = new Phases(phases, progress);
            timer.run("verify", () -> {
                VerifyReport report = verifier.verify(point, progress, new ArrayList<>());
                if (!report.ok()) {
                    throw new IntegrityException("Refusing to restore " + pointId + ": nothing was changed. "
                            + report.failures().stream().map(VerifyReport.Check::detail).collect(Collectors.joining("; ")));
                }
                return report.checks().size() + " checks passed";
            });
            try (DockerGateway docker = connector.apply(host)) {
                backups.repairInterruptedRuns(docker, actor);
                List<ContainerSpec> existing = docker.containersLabelled(StackDiscovery.PROJECT, m.stack());
                if (options.safetyBackup() && !existing.isEmpty()) {
                    RecoveryPoint safety = timer.run("safety backup", () -> {
                        try {
                            return backups.backup(m.host(), m.stack(), point.destination(), "safety", progress);
                        } catch (LifeboatException e) {
                            throw new LifeboatException("Safety backup of the existing stack failed, so nothing was changed: "
                                    + e.getMessage() + ". Fix it, or restore without one (--no-safety-backup)", e);
                        }
                    });
                    safetyPoint = safety.id();
                }
                new Run(docker, point, point.containerSpecs(), timer, runId).execute(existing);
            }
            long total = (System.nanoTime() - start) / 1_000_000;
            history.finishRun(runId, "ok", "restored " + pointId + " in " + total + " ms", pointId, phases);
            history.audit(actor, "restore", m.host() + "/" + m.stack(), "point " + pointId
                    + (safetyPoint == null ? "" : ", safety point " + safetyPoint));
            return new RestoreReport(pointId, m.host(), m.stack(), safetyPoint, List.copyOf(phases), total);
        } catch (RuntimeException e) {
            history.finishRun(runId, "failed", e.getMessage(), pointId, phases);
            throw e;
        }
    }

    /** Times named phases into run steps. */
    private static final class Phases {
        private final List<RunStep> steps;
        private final Progress progress;

        Phases(List<RunStep> steps, Progress progress) {
            this.steps = steps;
            this.progress = progress;
        }

        interface Body<T> {
            T run() throws IOException;
        }

        <T> T run(String name, Body<T> body) {
            progress.phase(name, "Restore: " + name);
            long t = System.nanoTime();
            try {
                T result = body.run();
                steps.add(new RunStep(name, (System.nanoTime() - t) / 1_000_000, null, "ok",
                        result instanceof String s ? s : null));
                return result;
            } catch (IOException e) {
                steps.add(new RunStep(name, (System.nanoTime() - t) / 1_000_000, null, "failed", e.getMessage()));
                throw new LifeboatException("Restore phase '" + name + "' failed: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                steps.add(new RunStep(name, (System.nanoTime() - t) / 1_000_000, null, "failed", e.getMessage()));
                throw e;
            }
        }
    }

    /** One restore's work against one Docker host. */
    private static final class Run {
        private final DockerGateway docker;
        private final PointLocator.Located point;
        private final Manifest m;
        private final List<ContainerSpec> containers;
        private final Phases timer;
        private final String runId;

        Run(DockerGateway docker, PointLocator.Located point, List<ContainerSpec> containers, Phases timer, String runId) {
            this.runId = runId;
            this.docker = docker;
            this.point = point;
            this.m = point.manifest();
            this.containers = containers;
            this.timer = timer;
        }

        void execute(List<ContainerSpec> existing) {
            Set<String> dbContainers = m.assets().stream()
                    .filter(a -> a.kind().equals("postgres") || a.kind().equals("redis"))
                    .map(AssetRecord::container).collect(Collectors.toCollection(LinkedHashSet::new));
            timer.run("stop", () -> {
                int n = 0;
                for (ContainerSpec c : existing) {
                    if (!dbContainers.contains(c.name())) {
                        docker.stop(c.name(), 30);
                        docker.remove(c.name()); // recreated from the recorded spec in the start phase
                        n++;
                    }
                }
                return n + " app containers stopped and removed";
            });
            timer.run("volumes", () -> {
                int n = 0;
                for (AssetRecord a : m.assets()) {
                    if (a.kind().equals("volume")) {
                        restoreVolume(a);
                        n++;
                    }
                }
                for (VolumeSpec v : m.volumes()) {
                    if (docker.volume(v.name()).isEmpty()) {
                        docker.createVolume(v);
                    }
                }
                return n + " volumes restored";
            });
            timer.run("databases", () -> {
                int n = 0;
                for (AssetRecord a : m.assets()) {
                    if (a.kind().equals("postgres")) {
                        n += restorePostgres(a);
                    }
                }
                return n + " databases restored";
            });
            timer.run("redis", () -> {
                for (AssetRecord a : m.assets()) {
                    if (a.kind().equals("redis")) {
                        restoreRedis(a);
                    }
                }
                return null;
            });
            timer.run("config", () -> {
                long n = 0;
                for (AssetRecord a : m.assets()) {
                    if (a.kind().equals("config")) {
                        try (InputStream plain = open(a.artifacts().get(0)); HostFiles files = HostFiles.of(docker)) {
                            n += ConfigRestorer.extract(plain, files, a.details().get("directory"));
                        }
                    }
                }
                return n + " config files written";
            });
            timer.run("start", () -> {
                for (ContainerSpec spec : containers) {
                    if (docker.inspect(spec.name()).isEmpty()) {
                        docker.createContainer(spec);
                    }
                    if (spec.running()) {
                        docker.start(spec.name());
                    }
                }
                return null;
            });
            timer.run("health", () -> {
                for (ContainerSpec spec : containers) {
                    if (spec.running()) {
                        awaitReady(spec);
                    }
                }
                return containers.size() + " containers healthy";
            });
        }

        private InputStream open(Artifact a) throws IOException {
            return point.open(a);
        }

        private ContainerSpec spec(String name) {
            return containers.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IntegrityException("manifest has no container spec for " + name));
        }

        private void restoreVolume(AssetRecord a) throws IOException {
            String volume = a.name().substring("volume:".length());
            VolumeSpec spec = m.volumes().stream().filter(v -> v.name().equals(volume)).findFirst()
                    .orElse(new VolumeSpec(volume, "local", Map.of()));
            if (docker.volume(volume).isPresent()) {
                docker.removeVolume(volume); // start from an empty volume so the result matches the point exactly
            }
            docker.createVolume(spec);
            String image = containers.stream()
                    .filter(c -> c.mounts().stream().anyMatch(mt -> mt.isVolume() && mt.source().equals(volume)))
                    .map(ContainerSpec::image).findFirst().orElse(containers.get(0).image());
            String helper = docker.createHelper(image, "lifeboat-helper-" + UUID.randomUUID().toString().substring(0, 8),
                    Map.of(VolumeArchiver.HELPER_LABEL, runId), List.of(volume), false);
            try (InputStream tar = open(a.artifacts().get(0))) {
                docker.writeArchive(helper, "/lifeboat/" + volume, tar);
            } finally {
                docker.remove(helper);
            }
        }

        private void ensureCreated(ContainerSpec spec) {
            Optional<ContainerSpec> now = docker.inspect(spec.name());
            if (now.isEmpty()) {
                for (var mount : spec.mounts()) {
                    if (mount.isVolume() && docker.volume(mount.source()).isEmpty()) {
                        docker.createVolume(m.volumes().stream().filter(v -> v.name().equals(mount.source())).findFirst()
                                .orElse(new VolumeSpec(mount.source(), "local", Map.of())));
                    }
                }
                docker.createContainer(spec);
            }
        }

        private int restorePostgres(AssetRecord a) throws IOException {
            ContainerSpec spec = spec(a.container());
            ensureCreated(spec);
            docker.start(spec.name());
            PostgresClient pg = new PostgresClient(docker, spec);
            docker.awaitReady(spec.name(), READY_TIMEOUT, pg::ready);
            int n = 0;
            for (Artifact art : a.artifacts()) {
                if (art.role().equals("pg-globals")) {
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
            docker.stop(spec.name(), 30);
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
            Map<String, String> labels = Map.of(VolumeArchiver.HELPER_LABEL, runId);
            String twin = spec.name() + "-lifeboat-aof-" + UUID.randomUUID().toString().substring(0, 6);
            docker.createContainer(new ContainerSpec(twin, spec.image(), spec.imageId(), cmd, spec.entrypoint(), spec.env(),
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

}
