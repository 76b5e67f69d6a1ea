package dev.lifeboat.core.backup;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.BackupContext;
import dev.lifeboat.core.asset.ContainerHold;
import dev.lifeboat.core.asset.Helpers;
import dev.lifeboat.core.asset.PointArtifacts;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.NetworkSpec;
import dev.lifeboat.core.model.PointIds;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.Stack;
import dev.lifeboat.core.model.VolumeSpec;
import dev.lifeboat.core.storage.Destination;
import dev.lifeboat.core.storage.ManifestCodec;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.PointWriter;
import dev.lifeboat.core.storage.Repository;
import dev.lifeboat.core.storage.Repositories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Backs up a stack into one recovery point: discovery → dumpers and archivers → pipeline →
 * destination → history. Databases and volumes are read concurrently; the point becomes visible
 * only when its signed manifest is durably written, and only then is the run marked successful.
 */
public final class BackupService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
    public static final String CONTAINER_SPECS = "containers.json";
    public static final String CONTAINER_SPECS_ROLE = PointLocator.CONTAINER_SPECS_ROLE;
    public static final String NETWORK_SPECS = "networks.json";
    private final HistoryStore history;
    private final Repositories repositories;
    private final Function<Host, DockerEngine> connector;
    private final String version;
    private final AssetKinds kinds;

    public BackupService(Repositories repositories, Function<Host, DockerEngine> connector, AssetKinds kinds, String version) {
        this.history = repositories.history();
        this.kinds = kinds;
        this.repositories = repositories;
        this.connector = connector;
        this.version = version;
    }

    public RecoveryPoint backup(String hostName, String stackName, String destinationName, String kind, Progress progress) {
        return backup(hostName, stackName, destinationName, kind, List.of(), progress);
    }

    /**
     * Backs up only the named assets ({@code postgres:db}, {@code volume:uploads}, ...; empty: all of
     * them). An asset asked for that the stack no longer has fails the run before anything is written.
     */
    public RecoveryPoint backup(String hostName, String stackName, String destinationName, String kind, List<String> assets,
                                Progress progress) {
        Host host = history.hosts().require(hostName);
        return history.locks().withStackLock(hostName, stackName, "backup", holder -> {
            String why = "skipped: already running (" + holder + ")";
            history.runs().recordSkipped("backup", hostName, stackName, repositories.actor(), why);
            return new dev.lifeboat.core.StackBusyException("Backup of " + hostName + "/" + stackName + " " + why);
        }, () -> {
            Repository opened;
            try {
                opened = repositories.open(destinationName);
            } catch (dev.lifeboat.core.LifeboatException e) {
                // a destination that cannot be opened (its key, its server) is a failed run too
                history.runs().recordFailed("backup", hostName, stackName, repositories.actor(), e.getMessage());
                throw e;
            }
            try (Repository repo = opened) {
                return backup(host, stackName, repo, destinationName, kind,
                        docker -> selected(new StackDiscovery(docker, kinds).discover(stackName), assets), progress);
            }
        });
    }

    /**
     * The safety point a restore takes of what it is about to replace, under the stack lock the restore
     * already holds. It holds what exists of the stack: its discovered assets when containers run, and
     * also every volume the restore will overwrite that nothing above covers, and the config directory.
     * So after {@code docker compose down} (containers gone, volumes kept) the volumes, database data
     * volumes included, are archived as files while no database runs on them, and restoring this point
     * brings them back exactly. The point's containers are the restore's recorded ones, so it can be
     * restored like any other.
     */
    public RecoveryPoint safetyBackup(String hostName, String stackName, String destinationName, Manifest restoring,
                                      List<ContainerSpec> recorded, Progress progress) {
        return safetyBackup(hostName, stackName, destinationName, restoring, recorded, java.util.Set.of(), progress);
    }

    /**
     * As above, leaving out the assets named in {@code keptAside}: the restore keeps what it replaces of them
     * on the host instead (ADR 25).
     */
    public RecoveryPoint safetyBackup(String hostName, String stackName, String destinationName, Manifest restoring,
                                      List<ContainerSpec> recorded, java.util.Set<String> keptAside, Progress progress) {
        Host host = history.hosts().require(hostName);
        try (Repository repo = repositories.open(destinationName)) {
            return backup(host, stackName, repo, destinationName, RecoveryPoint.SAFETY, docker -> {
                Stack s = safetyStack(docker, stackName, restoring, recorded);
                return keptAside.isEmpty() ? s : new Stack(s.host(), s.name(), s.containers(), s.volumes(),
                        s.assets().stream().filter(a -> !keptAside.contains(a.name())).toList());
            }, progress);
        }
    }

    /** Whether anything a restore of {@code restoring} would replace exists on the host: a container or a volume. */
    public static boolean dataExists(DockerEngine docker, Manifest restoring, List<ContainerSpec> existing) {
        return !existing.isEmpty() || restoring.volumes().stream().anyMatch(v -> docker.volume(v.name()).isPresent());
    }

    private Stack safetyStack(DockerEngine docker, String stackName, Manifest restoring, List<ContainerSpec> recorded) {
        List<ContainerSpec> live = docker.containersLabelled(StackDiscovery.PROJECT, stackName);
        Stack base = live.isEmpty() ? new Stack(docker.host().name(), stackName, List.of(), List.of(), List.of())
                : new StackDiscovery(docker, kinds).discover(stackName);
        java.util.Set<String> covered = new java.util.HashSet<>();
        base.assets().forEach(a -> covered.addAll(a.coveredVolumes()));
        List<ContainerSpec> containers = new ArrayList<>(base.containers());
        java.util.Set<String> liveNames = new java.util.HashSet<>(base.containers().stream().map(ContainerSpec::name).toList());
        for (ContainerSpec c : recorded) {
            if (!liveNames.contains(c.name())) {
                boolean tagHere = docker.imageId(c.image()).isPresent();
                containers.add(tagHere || c.imageId() == null ? c : c.withImage(c.imageId()));
            }
        }
        List<VolumeSpec> volumes = new ArrayList<>(base.volumes());
        List<Asset> assets = new ArrayList<>(base.assets());
        for (VolumeSpec v : restoring.volumes()) {
            if (covered.contains(v.name())) {
                continue;
            }
            java.util.Optional<VolumeSpec> now = docker.volume(v.name());
            if (now.isEmpty()) {
                continue;
            }
            List<String> users = containers.stream()
                    .filter(c -> c.mounts().stream().anyMatch(m -> m.isVolume() && v.name().equals(m.source())))
                    .map(ContainerSpec::name).toList();
            boolean inUse = live.stream().anyMatch(c -> c.running() && users.contains(c.name()));
            if (inUse) {
                continue; // a running container's volume that discovery left out is its database's, dumped above
            }
            assets.add(new Asset.DockerVolume(v.name(), users, List.of()));
            if (volumes.stream().noneMatch(x -> x.name().equals(v.name()))) {
                volumes.add(now.get());
            }
        }
        for (AssetRecord replaced : restoring.assets()) {
            var kind = kinds.find(replaced.kind());
            if (kind.isEmpty()) {
                continue;
            }
            try {
                kind.get().safetyAsset(docker, replaced, List.copyOf(assets)).ifPresent(assets::add);
            } catch (IOException e) {
                throw new LifeboatException("Cannot read what restoring " + replaced.name() + " would replace: "
                        + e.getMessage(), e);
            }
        }
        return new Stack(docker.host().name(), stackName, containers, volumes, assets);
    }

    private RecoveryPoint backup(Host host, String stackName, Repository repo, String destinationName, String kind,
                                 Function<DockerEngine, Stack> stackOf, Progress progress) {
        String hostName = host.name();
        String actor = repositories.actor();
        String runId = history.runs().start("backup", hostName, stackName, null, destinationName, actor);
        List<RunStep> steps = new ArrayList<>();
        try (DockerEngine docker = connector.apply(host)) {
            repairInterruptedRuns(docker, actor);
            ContainerHold hold = new ContainerHold() {
                @Override
                public void stopping(String container) {
                    history.locks().holdContainer(hostName, container, runId);
                }

                @Override
                public void started(String container) {
                    history.locks().releaseContainer(hostName, container);
                }
            };
            RecoveryPoint point = run(docker, stackName, repo, kind, stackOf, progress, steps, hold, runId);
            history.runs().finish(runId, "ok", kind + " point " + point.id(), point.id(), steps);
            history.runs().audit(actor, "backup", hostName + "/" + stackName, "point " + point.id() + " to " + destinationName);
            return point;
        } catch (RuntimeException e) {
            // a cancel interrupts this thread; the history's file I/O must not see the flag
            boolean cancelled = Thread.interrupted();
            history.runs().finish(runId, cancelled ? "cancelled" : "failed", e.getMessage(), null, steps);
            if (cancelled) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /**
     * Repairs what killed or broken runs (a dropped SSH connection, say) left on a host: starts
     * containers they stopped for a volume step and removes their helper containers. Called at the start of every backup and restore on a host.
     */
    public void repairInterruptedRuns(DockerEngine docker, String actor) {
        String hostName = docker.host().name();
        for (ContainerSpec helper : docker.containersLabelled(Helpers.LABEL, null)) {
            if (history.runs().isFinished(helper.label(Helpers.LABEL))) {
                docker.remove(helper.name());
                LOG.info("Removed helper container {} of an interrupted run", helper.name());
            }
        }
        history.runs().markInterrupted();
        for (String c : history.locks().heldContainers(hostName)) {
            if ("running".equals(history.locks().holdingRunStatus(hostName, c).orElse(null))) {
                continue; // a live run (the agent's, say) holds it for its volume step
            }
            var spec = docker.inspect(c);
            if (spec.isPresent() && !spec.get().running()) {
                docker.start(c);
                LOG.warn("Started container {} on {}: an interrupted backup had stopped it", c, hostName);
                history.runs().audit(actor, "container-restarted", hostName + "/" + c,
                        "left stopped by an interrupted backup; started again");
            }
            history.locks().releaseContainer(hostName, c);
        }
    }

    private RecoveryPoint run(DockerEngine docker, String stackName, Repository repo, String kind,
                              Function<DockerEngine, Stack> stackOf, Progress progress, List<RunStep> steps,
                              ContainerHold hold, String runId) {
        Instant started = Instant.now();
        progress.phase("discover", "Discovering stack " + stackName);
        Stack stack = stackOf.apply(docker);
        String pointId = PointIds.newId(started);
        progress.phase("preflight", "Checking containers, tools and credentials");
        new Preflight(docker, kinds).require(stack);
        Destination dest = repo.destination();
        try (PointWriter writer = dest.begin(docker.host().name(), stackName, pointId)) {
            PointArtifacts out = new PointArtifacts(writer, repo.pipeline());
            List<AssetRecord> records = new ArrayList<>();
            records.add(containerSpecs(stack, networks(docker, stack), out));
            java.util.Set<String> walShipping = history.pitr().of(docker.host().name(), stackName).stream()
                    .map(dev.lifeboat.core.history.PitrConfig::asset).collect(java.util.stream.Collectors.toSet());
            records.addAll(backupAssets(new BackupContext(docker, stack, out, progress, hold, runId, walShipping)));
            for (AssetRecord r : records) {
                steps.add(new RunStep(r.name(), r.durationMs(),
                        r.artifacts().stream().mapToLong(x -> x.storedBytes()).sum(), "ok", null));
            }
            Map<String, String> tools = new LinkedHashMap<>();
            tools.put("docker", docker.serverVersion());
            for (AssetRecord r : records) {
                if (r.details() != null && r.details().get("toolVersion") != null) {
                    tools.put(r.name(), r.details().get("toolVersion"));
                }
            }
            Manifest manifest = new Manifest(Manifest.FORMAT, pointId, docker.host().name(), stackName, started,
                    Instant.now(), repo.pipeline().key().id(), version,
                    stack.containers().stream().map(ContainerSpec::redacted).toList(), stack.volumes(), records, tools)
                    .boundTo(repo.id(), dev.lifeboat.core.storage.Chain.head(repo, docker.host().name(), stackName));
            byte[] json = ManifestCodec.write(manifest);
            progress.phase("commit", "Writing manifest of " + pointId);
            Destination.StoredPoint stored = writer.commit(json, repo.sign(json));
            RecoveryPoint point = new RecoveryPoint(pointId, docker.host().name(), stackName, dest.name(), started,
                    stored.location(), manifest.storedBytes(), kind);
            history.points().record(point, Repository.sha256(json));
            if (!point.isSafety()) {
                for (AssetRecord r : records) {
                    if (r.details() != null && r.details().get("baseStartWal") != null) {
                        history.pitr().recordBase(point.host(), point.stack(), new dev.lifeboat.core.history.PitrRepository.Base(
                                pointId, r.name(), r.details().get("baseStartWal"), Instant.parse(r.details().get("baseEndedAt"))));
                    }
                }
            }
            return point;
        } catch (IOException e) {
            throw new LifeboatException("Backup of " + stackName + " to " + dest.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** The stack with only the chosen assets; every one chosen must still be there. */
    static Stack selected(Stack stack, List<String> assets) {
        if (assets == null || assets.isEmpty()) {
            return stack;
        }
        List<String> found = stack.assets().stream().map(Asset::name).toList();
        List<String> missing = assets.stream().filter(a -> !found.contains(a)).toList();
        if (!missing.isEmpty()) {
            throw new LifeboatException("Stack " + stack.name() + " has no " + String.join(", ", missing)
                    + " any more (it has " + String.join(", ", found) + "); change the plan's assets");
        }
        return new Stack(stack.host(), stack.name(), stack.containers(), stack.volumes(),
                stack.assets().stream().filter(a -> assets.contains(a.name())).toList());
    }

    /** The user-defined networks the stack's containers are attached to, as the engine has them now. */
    private static List<NetworkSpec> networks(DockerEngine docker, Stack stack) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (ContainerSpec c : stack.containers()) {
            c.networks().keySet().stream().filter(n -> !NetworkSpec.builtIn(n)).forEach(names::add);
            if (c.networkMode() != null && !NetworkSpec.builtIn(c.networkMode()) && !c.networkMode().equals("default")) {
                names.add(c.networkMode());
            }
        }
        List<NetworkSpec> out = new ArrayList<>();
        for (String n : names) {
            docker.network(n).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The full container specs (environment, command and labels included, so possibly secrets) and the
     * stack's networks go into encrypted artifacts; the plain manifest holds them redacted.
     */
    private static AssetRecord containerSpecs(Stack stack, List<NetworkSpec> networks, PointArtifacts out) throws IOException {
        long start = System.nanoTime();
        Artifact a = out.write(CONTAINER_SPECS, CONTAINER_SPECS_ROLE, null,
                plain -> plain.write(ManifestCodec.mapper().writeValueAsBytes(stack.containers())));
        Artifact n = out.write(NETWORK_SPECS, PointLocator.NETWORK_SPECS_ROLE, null,
                plain -> plain.write(ManifestCodec.mapper().writeValueAsBytes(networks)));
        return new AssetRecord("stack", "stack", null, (System.nanoTime() - start) / 1_000_000, List.of(a, n), null, null,
                (long) stack.containers().size(), null);
    }

    /**
     * Each asset is backed up by its kind. Kinds that stop containers (volumes) run one after another in
     * one lane; the others (databases, config) run alongside it.
     */
    private List<AssetRecord> backupAssets(BackupContext ctx) throws IOException {
        Stack stack = ctx.stack();
        List<java.util.concurrent.Callable<List<AssetRecord>>> tasks = new ArrayList<>();
        List<Asset> serial = new ArrayList<>();
        for (Asset a : stack.assets()) {
            var kind = kinds.of(a);
            if (kind.serial()) {
                serial.add(a);
            } else {
                tasks.add(() -> List.of(kind.backup(ctx, a)));
            }
        }
        if (!serial.isEmpty()) {
            tasks.add(() -> {
                List<AssetRecord> done = new ArrayList<>();
                for (Asset a : serial) {
                    done.add(kinds.of(a).backup(ctx, a));
                }
                return done;
            });
        }
        if (tasks.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(2, tasks.size()), r -> {
            Thread t = new Thread(r, "lifeboat-backup");
            t.setDaemon(true);
            return t;
        });
        try {
            // taken as they end: the first failure ends the backup at once (no point is written with it), and the
            // other assets are cancelled as a cancel would (below), not run to their own end or failure
            java.util.concurrent.CompletionService<List<AssetRecord>> done = new java.util.concurrent.ExecutorCompletionService<>(pool);
            tasks.forEach(done::submit);
            List<AssetRecord> records = new ArrayList<>();
            RuntimeException failure = null;
            for (int i = 0; i < tasks.size() && failure == null; i++) {
                try {
                    records.addAll(done.take().get());
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof RuntimeException re ? re
                            : new LifeboatException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LifeboatException("Backup cancelled: no point was written");
                }
            }
            if (failure != null) {
                LOG.debug("backup of {} failed", stack.name(), failure);
                throw failure;
            }
            List<String> order = stack.assets().stream().map(Asset::name).toList();
            records.sort((a, b) -> Integer.compare(order.indexOf(a.name()), order.indexOf(b.name())));
            return records;
        } finally {
            pool.shutdownNow();
            // on cancel or failure, wait for the workers' own cleanup (app containers started again,
            // helpers removed) before the run is reported as over
            boolean interrupted = Thread.interrupted();
            try {
                if (!pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES)) {
                    LOG.warn("Backup workers of {} did not stop within 2 minutes", stack.name());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
