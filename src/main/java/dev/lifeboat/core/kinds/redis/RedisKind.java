package dev.lifeboat.core.kinds.redis;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.BackupContext;
import dev.lifeboat.core.asset.CheckContext;
import dev.lifeboat.core.asset.PlanContext;
import dev.lifeboat.core.asset.Probe;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.VerifyContext;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.kinds.postgres.PostgresKind;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Redis servers in containers: an RDB snapshot (BGSAVE), put back while Redis is stopped; with AOF on,
 * the AOF is rebuilt from it in a twin container. Checked by keys per database. {@code --only redis}.
 */
public final class RedisKind implements AssetKind {
    public static final String ID = "redis";
    public static final String RDB_ROLE = "redis-rdb";

    @Override
    public String id() {
        return ID;
    }

    /** Whether a container runs Redis: its {@code lifeboat.kind} label, else its image or command. */
    public static boolean isRedis(ContainerSpec c) {
        if (c.label(dev.lifeboat.core.discovery.StackDiscovery.KIND) != null) {
            return ID.equals(c.label(dev.lifeboat.core.discovery.StackDiscovery.KIND));
        }
        String image = c.image() == null ? "" : c.image().toLowerCase(Locale.ROOT);
        return image.contains("redis") || image.contains("valkey")
                || (c.cmd() != null && !c.cmd().isEmpty() && c.cmd().get(0).contains("redis-server"));
    }

    @Override
    public List<Asset> discover(DockerEngine docker, List<ContainerSpec> containers, List<Asset> found) {
        List<Asset> out = new ArrayList<>();
        for (ContainerSpec c : containers) {
            if (!isRedis(c) || PostgresKind.isPostgres(c)) {
                continue;
            }
            String dir = "/data";
            String file = "dump.rdb";
            boolean aof = false;
            if (c.running()) {
                try {
                    Map<String, String> config = new RedisClient(docker, c).configs("dir", "dbfilename", "appendonly");
                    dir = config.getOrDefault("dir", "");
                    file = config.getOrDefault("dbfilename", "");
                    aof = "yes".equals(config.get("appendonly"));
                } catch (LifeboatException e) {
                    // listed as a problem by the pre-backup check, with the others
                }
            }
            out.add(new Asset.RedisInstance(c.name(), dir, file, aof, PostgresKind.dataVolumes(c, dir)));
        }
        return out;
    }

    @Override
    public List<String> preflight(DockerEngine docker, Asset asset, Stack stack) {
        Asset.RedisInstance r = (Asset.RedisInstance) asset;
        ContainerSpec c = stack.containers().stream().filter(x -> x.name().equals(r.container())).findFirst().orElseThrow();
        if (!c.running()) {
            return List.of("Redis container " + r.container() + " is not running; start it so it can be snapshotted");
        }
        List<String> problems = new ArrayList<>();
        RedisClient redis = new RedisClient(docker, c);
        Probe.check(problems, "Redis in " + r.container() + ": redis-cli cannot reach the server (missing tool, wrong port"
                + " or password)", () -> {
            if (!redis.call("PING").trim().equals("PONG")) {
                throw new HostException("no PONG");
            }
            return null;
        });
        String space = RedisSpace.problem(docker, redis, c, r.dataDir());
        if (space != null) {
            problems.add("Redis in " + r.container() + ": " + space);
        }
        return problems;
    }

    @Override
    public AssetRecord backup(BackupContext ctx, Asset asset) throws IOException {
        Asset.RedisInstance r = (Asset.RedisInstance) asset;
        ctx.progress().phase(r.name(), "Snapshotting Redis in " + r.container());
        return new RedisSnapshotter(ctx.docker()).backup(r, ctx.container(r.container()), ctx.out());
    }

    @Override
    public List<String> offers(AssetRecord asset) {
        return List.of(ID);
    }

    @Override
    public String phase() {
        return "redis";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public boolean server() {
        return true;
    }

    /** The readiness probe a wait polls: each look waits up to two seconds inside the container. */
    private static BooleanSupplier readyWithin(RedisClient redis) {
        return () -> redis.readyWithin(2);
    }

    @Override
    public Optional<BooleanSupplier> readiness(DockerEngine docker, ContainerSpec container) {
        return isRedis(container) && !PostgresKind.isPostgres(container)
                ? Optional.of(readyWithin(new RedisClient(docker, container))) : Optional.empty();
    }

    @Override
    public void plan(PlanContext ctx, AssetRecord a, List<String> overwrite, List<String> create) {
        overwrite.add("Redis data of " + a.container() + (stagesBeside(ctx, a)
                ? " (the point's RDB is written beside the live file" + ("true".equals(a.details().get("appendonly"))
                ? " and a twin of the server writes the AOF from it" : "") + ", then swapped in while Redis restarts; the live"
                + " data is kept aside)" : " (replaced by the point's RDB; Redis is stopped meanwhile)"));
    }

    @Override
    public boolean stagesBeside(PlanContext ctx, AssetRecord a) {
        String dir = a.details() == null ? null : a.details().get("dir");
        if (dir == null) {
            return false;
        }
        try {
            return ctx.docker().inspect(a.container()).map(c -> c.mounts().stream().anyMatch(m -> m.isVolume()
                    && m.target() != null && (dir.equals(m.target()) || dir.startsWith(m.target() + "/")))).orElse(false);
        } catch (LifeboatException e) {
            return false;
        }
    }

    /** An RDB on a named volume (and with AOF on, the AOF a twin writes from it) is staged beside the live data and swapped in by rename (ADR 25). */
    @Override
    public Optional<dev.lifeboat.core.asset.Staged> stage(RestoreContext ctx, AssetRecord asset) throws IOException {
        return RedisBeside.stage(ctx, asset);
    }

    @Override
    public void release(DockerEngine docker, dev.lifeboat.core.asset.SafetyCopy copy) {
        dev.lifeboat.core.asset.KeptInVolume.release(docker, copy);
    }

    @Override
    public String restore(RestoreContext ctx, List<AssetRecord> assets) throws IOException {
        for (AssetRecord a : assets) {
            restore(ctx, a);
            ctx.touched(ctx.target().container(a.container()));
        }
        return null;
    }

    /** Each asset's own server container (a Redis AOF twin is private to the run). */
    @Override
    public java.util.Set<String> restoreUses(RestoreContext ctx, List<AssetRecord> assets) {
        return ctx.containersOf(assets);
    }

    private void restore(RestoreContext ctx, AssetRecord a) throws IOException {
        DockerEngine docker = ctx.docker();
        ContainerSpec spec = ctx.spec(a.container());
        Map<String, String> d = a.details();
        ctx.ensureCreated(spec);
        docker.stop(spec.name(), spec.stopTimeout());
        Artifact art = a.artifacts().get(0);
        try (InputStream rdb = ctx.open(art)) {
            docker.writeArchive(spec.name(), d.get("dir"), SingleFileTar.of(d.get("dbfilename"), art.plainBytes(),
                    Integer.parseInt(d.getOrDefault("mode", "644"), 8), Long.parseLong(d.getOrDefault("uid", "0")),
                    Long.parseLong(d.getOrDefault("gid", "0")), rdb));
        }
        if ("true".equals(d.get("appendonly"))) {
            rebuildAppendOnlyFile(ctx, spec, null);
        }
        docker.start(spec.name());
        RedisClient redis = new RedisClient(docker, spec);
        docker.awaitReady(spec.name(), RestoreContext.READY_TIMEOUT, readyWithin(redis));
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
     * With {@code dir}, the twin works in that directory instead of the data directory (a staged copy, while
     * the real one serves). Returns the name of the AOF (Redis 7's directory, or older Redis's file) in it.
     */
    static String rebuildAppendOnlyFile(RestoreContext ctx, ContainerSpec spec, String dir) {
        DockerEngine docker = ctx.docker();
        if (spec.cmd() == null || spec.cmd().isEmpty() || !spec.cmd().get(0).contains("redis-server")) {
            throw new LifeboatException("Redis in " + spec.name() + " runs with appendonly yes but its command does not"
                    + " start with redis-server, so its AOF cannot be rebuilt from the point; restore it with"
                    + " appendonly no, then enable AOF");
        }
        String socket = "/tmp/lifeboat-restore.sock";
        List<String> cmd = new ArrayList<>(spec.cmd());
        if (dir != null) {
            cmd.addAll(List.of("--dir", dir));
        }
        cmd.addAll(List.of("--appendonly", "no", "--port", "0", "--unixsocket", socket, "--save", ""));
        String twin = spec.name() + "-lifeboat-aof-" + UUID.randomUUID().toString().substring(0, 6);
        // no healthcheck: one the image carries (redis-cli ping on the default port) can never pass on the private socket
        try {
            // created to its end even when a stop interrupts this thread meanwhile, so that the removal below finds it
            try {
                dev.lifeboat.core.Parallel.toItsEnd("lifeboat-create-twin", () -> {
                    docker.createContainer(new ContainerSpec(twin, ctx.image(spec), spec.imageId(), cmd, spec.entrypoint(),
                            spec.env(), ctx.helperLabels(), spec.user(), spec.workingDir(), "none", null, spec.mounts(),
                            new dev.lifeboat.core.model.HealthSpec(List.of("NONE"), null, null, null, null), true));
                    return null;
                });
            } catch (java.io.IOException e) {
                throw new HostException("Cannot create the AOF twin of " + spec.name() + ": " + e.getMessage(), e);
            }
            docker.start(twin);
            RedisClient redis = RedisClient.overSocket(docker, twin, socket, spec);
            docker.awaitReady(twin, RestoreContext.READY_TIMEOUT, readyWithin(redis));
            Map<String, String> p = redis.rewriteAofThenShutdown(RestoreContext.READY_TIMEOUT);
            if (!"ok".equals(p.get("aof_last_bgrewrite_status"))) {
                throw new HostException("Redis could not rewrite its AOF while restoring " + spec.name());
            }
            docker.awaitStopped(twin, RestoreContext.READY_TIMEOUT);
            String dirname = p.get("appenddirname"); // Redis 7 and later: a directory of base and increments
            return dirname.isBlank() ? p.get("appendfilename") : dirname;
        } finally {
            // also when a create that Docker carried out failed on the way back, and from a stopped (interrupted) thread
            dev.lifeboat.core.Cleanup.uninterrupted(() -> docker.remove(twin));
        }
    }

    @Override
    public String verify(VerifyContext ctx, AssetRecord asset, Artifact a, InputStream plain) throws IOException {
        if (!RDB_ROLE.equals(a.role())) {
            return AssetKind.super.verify(ctx, asset, a, plain);
        }
        byte[] head = plain.readNBytes(9);
        plain.transferTo(OutputStream.nullOutputStream());
        String h = new String(head, StandardCharsets.US_ASCII);
        if (!h.matches("REDIS\\d{4}")) {
            throw new IntegrityException("RDB header is not valid: " + Arrays.toString(head));
        }
        return "RDB version " + h.substring(5);
    }

    @Override
    public List<Check> check(CheckContext ctx, AssetRecord a) {
        Map<String, Long> keys = new RedisClient(ctx.docker(), ctx.spec(a.container())).keyCounts();
        Map<String, Long> want = a.keyCounts() == null ? Map.of() : a.keyCounts();
        String name = a.name() + ": keys";
        return List.of(keys.equals(want) ? Check.pass(name, "RDB loaded; keys per database " + keys + ", as recorded")
                : Check.fail(name, "keys per database " + keys + ", the backup recorded " + want));
    }
}
