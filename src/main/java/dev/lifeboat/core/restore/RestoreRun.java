package dev.lifeboat.core.restore;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.Helpers;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.asset.RestoreTarget;
import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.asset.Staged;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.NetworkSpec;
import dev.lifeboat.core.model.VolumeSpec;
import dev.lifeboat.core.storage.PointLocator;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One restore's work against one Docker host: stop the apps (full restore), then one phase per asset kind
 * in scope, in the kinds' order (config, volumes, databases, Redis for the built-in ones), then start and
 * health, landing on a target (the stack itself, or a sandbox). The run is each kind's
 * {@link RestoreContext}.
 */
public final class RestoreRun implements RestoreContext {
    private final DockerEngine docker;
    private final AssetKinds kinds;
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
    private final Set<String> touched = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<Staged> staged = new ArrayList<>();
    private final List<Staged> swapped = new ArrayList<>();
    private final Set<String> verified = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@code containers}: the recorded specs of the stack's containers (full, from the point). */
    public RestoreRun(DockerEngine docker, AssetKinds kinds, PointLocator.Located point, List<ContainerSpec> containers,
                      PhaseTimer timer, String runId, RestoreTarget target, RestoreScope scope) {
        kinds.requireKnown(point.manifest());
        this.kinds = kinds;
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

    /** The containers of server kinds (databases): kept through a full restore, restored into, started first. */
    private Set<String> databaseContainers() {
        return m.assets().stream()
                .filter(a -> kinds.find(a.kind()).map(AssetKind::server).orElse(false))
                .map(a -> target.container(a.container())).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Restores beside the live data what can be (ADR 25), while the stack runs: each asset in scope whose kind
     * stages it. Nothing live is touched; on a failure, whatever was staged is removed again and the
     * failure is thrown. Returns what was staged, which {@link #execute} then swaps in.
     */
    public List<Staged> stage() {
        List<java.util.Map.Entry<AssetKind, AssetRecord>> all = new ArrayList<>();
        kinds.inScope(m, scope).forEach((kind, assets) -> assets.forEach(a -> all.add(java.util.Map.entry(kind, a))));
        // the assets stream side by side (a database's pg_restore beside a volume's tar), bounded by the cores; the
        // first failure stops the others (the run will not swap anything in), and every one is awaited: what one
        // staged, or had staged when it was stopped, is removed before this returns
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        List<dev.lifeboat.core.Parallel.Task<Optional<Staged>>> tasks = new ArrayList<>();
        for (var e : all) {
            tasks.add(() -> e.getKey().stage(this, e.getValue()));
        }
        Outcomes<Optional<Staged>> outcomes = awaitEach("lifeboat-stage", threads, tasks, true,
                i -> "Restoring " + all.get(i).getValue().name() + " beside its data failed",
                "Restore cancelled while restoring beside the live data");
        outcomes.results().forEach(x -> x.ifPresent(staged::add));
        RuntimeException failure = outcomes.failure();
        boolean interrupted = outcomes.interrupted();
        if (failure != null) {
            discardStaged(failure);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw failure;
        }
        if (!staged.isEmpty()) {
            flushStaged();
        }
        return List.copyOf(staged);
    }

    /**
     * Writes what staging wrote (a volume's files, a database's pages) to disk while the stack still serves. The swap
     * must not put in place data a power cut could still lose; and a container stopped over much unwritten data waits
     * for it in the downtime (Docker flushes the filesystem as it unmounts the container's: measured on this machine
     * kind, removing a container took 1.09 s over 1.5 GB not yet written, 0.21 s after a sync). {@code sync} is the
     * host kernel's, for every filesystem, whichever container runs it: it runs in a running container of the stack,
     * a database server first. Best effort: where no container has the program, the kernel writes the data in its
     * own time and the unmount waits for what is left.
     */
    private void flushStaged() {
        Set<String> servers = databaseContainers();
        List<String> running = containers.stream().map(ContainerSpec::name)
                .sorted(java.util.Comparator.comparing(n -> servers.contains(n) ? 0 : 1))
                .filter(n -> docker.inspect(n).map(ContainerSpec::running).orElse(false)).limit(3).toList();
        for (String c : running) {
            if (docker.exec(c, List.of("sync"), List.of(), null, java.io.OutputStream.nullOutputStream()).ok()) {
                return;
            }
        }
    }

    /** What {@link #awaitEach} collected: the results of the tasks that ended well, in order; the failure; a cancel. */
    private record Outcomes<T>(List<T> results, RuntimeException failure, boolean interrupted) {
    }

    /**
     * Runs {@code tasks} side by side ({@link dev.lifeboat.core.Parallel#each}) and waits for every one, also after one
     * failed or this thread was interrupted (then the tasks are interrupted and awaited, so none runs on behind what
     * the caller does next). With {@code stopOnFailure} the first failure stops the others. A failure is kept as it
     * was thrown (a damaged artifact as the integrity failure it is, however the upload or exec that read it wrapped
     * it), else named by {@code what}; the later ones are suppressed into the first. A cancel makes the failure
     * {@code cancelled} when nothing failed before it; this thread's interrupt flag is left clear.
     */
    private static <T> Outcomes<T> awaitEach(String name, int threads, List<dev.lifeboat.core.Parallel.Task<T>> tasks,
                                             boolean stopOnFailure, java.util.function.IntFunction<String> what, String cancelled) {
        List<dev.lifeboat.core.Parallel.Task<T>> named = new ArrayList<>();
        for (int n = 0; n < tasks.size(); n++) {
            var task = tasks.get(n);
            int i = n;
            named.add(() -> {
                try {
                    return task.call();
                } catch (IOException | RuntimeException e) {
                    IntegrityException damaged = IntegrityException.in(e);
                    Throwable c = damaged != null ? damaged : e;
                    throw c instanceof RuntimeException re ? re : new HostException(what.apply(i) + ": " + c.getMessage(), c);
                }
            });
        }
        var o = dev.lifeboat.core.Parallel.each(name, threads, named, stopOnFailure);
        RuntimeException failure = (RuntimeException) o.failure();
        if (o.interrupted() && failure == null) {
            failure = new LifeboatException(cancelled);
        }
        for (Exception e : o.afterCancel()) {
            failure.addSuppressed(e);
        }
        List<T> results = new ArrayList<>();
        for (T r : o.results()) {
            if (r != null) {
                results.add(r);
            }
        }
        return new Outcomes<>(results, failure, o.interrupted());
    }

    /** A pool of {@code threads} daemon threads named {@code name}, for one step's side-by-side work. */
    private static java.util.concurrent.ExecutorService daemonPool(int threads, String name) {
        return java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Removes what was staged and not swapped in; failures are added to {@code failure}. */
    private void discardStaged(RuntimeException failure) {
        for (Staged s : staged) {
            if (!swapped.contains(s)) {
                try {
                    s.discard();
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
        }
        staged.removeIf(s -> !swapped.contains(s));
    }

    /** Removes what was staged and never swapped in (a run that failed before its swap). */
    public void discardStaged() {
        RuntimeException failures = new HostException("discarding staged data");
        discardStaged(failures);
        if (failures.getSuppressed().length > 0) {
            throw (RuntimeException) failures.getSuppressed()[0];
        }
    }

    /** Whether anything was swapped in, so that a failure must swap it back. */
    public boolean swappedAny() {
        return !swapped.isEmpty();
    }

    /** Swaps back, newest first, everything this run swapped in: the data set aside is live again. */
    public void swapBack() {
        RuntimeException failed = null;
        for (int i = swapped.size() - 1; i >= 0; i--) {
            try {
                swapped.get(i).swapBack();
                swapped.remove(i);
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** What the swaps set aside, kept on the host as this restore's safety copies. */
    public List<SafetyCopy> kept() {
        return swapped.stream().flatMap(x -> x.kept().stream()).toList();
    }

    /** Runs the phases; {@code existing}: the stack's containers found on the host (stopped and recreated). */
    public void execute(List<ContainerSpec> existing) {
        checkImages(existing);
        Set<String> dbContainers = databaseContainers();
        touched.clear();
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
        List<Staged> toSwap = staged.stream().filter(x -> !swapped.contains(x)).toList();
        java.util.Map<AssetKind, List<AssetRecord>> inPlace = new java.util.LinkedHashMap<>();
        List<AssetKind> besideOnly = new ArrayList<>();
        for (var phase : kinds.inScope(m, scope).entrySet()) {
            List<AssetRecord> rest = phase.getValue().stream().filter(a -> toSwap.stream().noneMatch(x -> x.asset() == a)).toList();
            if (rest.isEmpty() && !toSwap.isEmpty()) {
                besideOnly.add(phase.getKey());
            } else {
                inPlace.put(phase.getKey(), rest);
            }
        }
        if (!toSwap.isEmpty()) {
            // every staged asset is swapped in one phase, side by side where the swaps share no container (ADR 29)
            timer.run("swap", () -> {
                String done = swapAll(toSwap);
                if (scope.everything()) {
                    for (AssetKind kind : besideOnly) {
                        kind.restore(this, List.of()); // what a full restore recreates besides the assets (volumes)
                    }
                }
                return done;
            });
        }
        // kinds whose restores share no container run side by side, as one phase (ADR 31)
        for (List<Map.Entry<AssetKind, List<AssetRecord>>> wave : PhaseWaves.of(new ArrayList<>(inPlace.entrySet()),
                e -> e.getKey().restoreUses(this, e.getValue()))) {
            if (wave.size() == 1) {
                AssetKind kind = wave.get(0).getKey();
                List<AssetRecord> rest = wave.get(0).getValue();
                timer.run(kind.phase(), () -> rest.isEmpty() && !scope.everything() ? null : kind.restore(this, rest));
            } else {
                timer.run(wave.stream().map(e -> e.getKey().phase()).collect(Collectors.joining(" + ")), () -> together(wave));
            }
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

    /**
     * Swaps {@code toSwap} in, side by side where their swaps share no container, the others after them in order
     * ({@link SwapOrder}). Every swap started is awaited, also when the run is cancelled meanwhile (a swap is never
     * left half done); the first failure is thrown, and nothing after it is swapped.
     */
    private String swapAll(List<Staged> toSwap) {
        SwapOrder order = SwapOrder.of(toSwap);
        List<Staged> together = order.together();
        List<Staged> after = order.after();
        java.util.concurrent.ExecutorService pool = together.isEmpty() ? null
                : daemonPool(Math.min(8, together.size()), "lifeboat-swap");
        RuntimeException failure = null;
        boolean interrupted = false;
        try {
            List<java.util.concurrent.Future<?>> swaps = new ArrayList<>();
            for (Staged x : together) {
                swaps.add(pool.submit(x::swap));
            }
            for (int i = 0; i < swaps.size(); i++) {
                while (true) {
                    try {
                        swaps.get(i).get();
                        swapped.add(together.get(i));
                        break;
                    } catch (java.util.concurrent.ExecutionException e) {
                        RuntimeException f = e.getCause() instanceof RuntimeException re ? re
                                : new HostException("Swapping in " + together.get(i).describe() + " failed: " + e.getCause());
                        if (failure == null) {
                            failure = f;
                        } else {
                            failure.addSuppressed(f);
                        }
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // the swaps under way end first: the rollback must find them done
                    }
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (interrupted) {
            throw new LifeboatException("Restore cancelled while swapping in what was restored beside the live data");
        }
        for (Staged x : after) {
            x.swap();
            swapped.add(x);
        }
        return toSwap.size() + " swapped in from beside the live data" + (together.size() > 1 ? ", " + together.size()
                + " of them side by side" : "");
    }

    /**
     * Restores the phases of {@code wave} side by side, each kind's in-place restore on its own thread (at most as many
     * at once as there are cores, two at least). Every one is awaited, also after one failed or the run was cancelled
     * (a phase is never left running behind the rollback); then the first failure is thrown, the others suppressed
     * into it. Returns each phase's summary with its own time.
     */
    private String together(List<Map.Entry<AssetKind, List<AssetRecord>>> wave) {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        List<dev.lifeboat.core.Parallel.Task<String>> running = new ArrayList<>();
        for (var e : wave) {
            AssetKind kind = e.getKey();
            running.add(() -> {
                long t = System.nanoTime();
                String done = kind.restore(this, e.getValue());
                return String.format(java.util.Locale.ROOT, "%s %.1f s%s", kind.phase(), (System.nanoTime() - t) / 1e9,
                        done == null ? "" : ": " + done);
            });
        }
        // each phase runs to its end, also after another failed: the rollback must find none half done by a stop
        Outcomes<String> outcomes = awaitEach("lifeboat-restore", threads, running, false,
                i -> "Restoring " + wave.get(i).getKey().phase() + " failed",
                "Restore cancelled while restoring " + wave.stream().map(x -> x.getKey().phase()).collect(Collectors.joining(", ")));
        if (outcomes.interrupted()) {
            Thread.currentThread().interrupt();
        }
        if (outcomes.failure() != null) {
            throw outcomes.failure();
        }
        return String.join("; ", outcomes.results());
    }

    /**
     * The in-place phases in waves: a wave's phases run side by side, the waves one after the other in the kinds'
     * order. A phase joins the current wave when it says which of the target's containers it uses and shares none with
     * the phases in the wave; one that shares a container starts the next wave; one that cannot say ({@code null}) runs
     * alone, after every phase before it and before every phase after it.
     */
    static final class PhaseWaves {
        private PhaseWaves() {
        }

        static <T> List<List<T>> of(List<T> phases, java.util.function.Function<T, Set<String>> uses) {
            List<List<T>> waves = new ArrayList<>();
            List<T> wave = new ArrayList<>();
            Set<String> claimed = new java.util.HashSet<>();
            for (T phase : phases) {
                Set<String> u = uses.apply(phase);
                if (u == null || !java.util.Collections.disjoint(u, claimed)) {
                    if (!wave.isEmpty()) {
                        waves.add(List.copyOf(wave));
                    }
                    wave = new ArrayList<>();
                    claimed = new java.util.HashSet<>();
                    if (u == null) {
                        waves.add(List.of(phase));
                        continue;
                    }
                }
                wave.add(phase);
                claimed.addAll(u);
            }
            if (!wave.isEmpty()) {
                waves.add(List.copyOf(wave));
            }
            return waves;
        }
    }

    /**
     * Which swaps run side by side ({@code together}: no two share a container) and which after them, one by one in
     * the order given ({@code after}): each that shares a container with an earlier swap, or cannot say which it
     * uses, and every swap after one that cannot say. A lone swap runs as one of {@code after}.
     */
    record SwapOrder(List<Staged> together, List<Staged> after) {
        static SwapOrder of(List<Staged> toSwap) {
            List<Staged> together = new ArrayList<>();
            List<Staged> after = new ArrayList<>();
            Set<String> claimed = new java.util.HashSet<>();
            boolean allClaimed = false;
            for (Staged x : toSwap) {
                Set<String> uses = x.containers();
                if (!allClaimed && uses != null && java.util.Collections.disjoint(uses, claimed)) {
                    together.add(x);
                } else {
                    after.add(x);
                    allClaimed |= uses == null;
                }
                if (uses != null) {
                    claimed.addAll(uses);
                }
            }
            if (together.size() == 1) {
                after.add(0, together.remove(0));
            }
            return new SwapOrder(List.copyOf(together), List.copyOf(after));
        }
    }

    /** Stops containers at once, each with its own stop timeout (compose's stop_grace_period), not one fixed wait. */
    private void stopInParallel(List<ContainerSpec> specs) {
        if (specs.isEmpty()) {
            return;
        }
        java.util.concurrent.ExecutorService pool = daemonPool(Math.min(8, specs.size()), "lifeboat-stop");
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
    private synchronized void ensureNetworks() {
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

    @Override
    public InputStream open(Artifact a) throws IOException {
        return provedAtEnd(a, point.open(a));
    }

    @Override
    public InputStream openCompressed(Artifact a) throws IOException {
        return provedAtEnd(a, point.openCompressed(a));
    }

    /** The artifact counts as verified once {@code in} was read to its end (where its reader checked it). */
    private InputStream provedAtEnd(Artifact a, InputStream in) {
        return new java.io.FilterInputStream(in) {
            // the reader ends (-1) only after both hashes matched: an artifact read to its end is proved
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    verified.add(a.file());
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    verified.add(a.file());
                }
                return n;
            }
        };
    }

    /** The artifacts read to their end so far, in staging or in place: their hashes and every chunk checked. */
    public Set<String> verified() {
        return Set.copyOf(verified);
    }


    @Override
    public ContainerSpec spec(String name) {
        String mapped = target.container(name);
        return containers.stream().filter(c -> c.name().equals(mapped)).findFirst()
                .orElseThrow(() -> new IntegrityException("manifest has no container spec for " + name));
    }

    @Override
    public Map<String, String> helperLabels() {
        Map<String, String> labels = new HashMap<>(target.labels());
        labels.put(Helpers.LABEL, runId);
        return labels;
    }

    @Override
    public DockerEngine docker() {
        return docker;
    }

    @Override
    public Manifest manifest() {
        return m;
    }

    @Override
    public RestoreScope scope() {
        return scope;
    }

    @Override
    public RestoreTarget target() {
        return target;
    }

    @Override
    public List<ContainerSpec> containers() {
        return containers;
    }

    @Override
    public void touched(String container) {
        touched.add(container);
    }

    @Override
    public boolean keepReplaced() {
        return keepReplacedConfig;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public void ensureCreated(ContainerSpec spec) {
        Optional<ContainerSpec> now = docker.inspect(spec.name());
        if (now.isEmpty()) {
            ensureNetworks();
            ensureVolumes(spec);
            docker.createContainer(spec.withImage(image(spec)));
        }
    }

    /** Creates the named volumes {@code spec} mounts that the target lacks, as recorded (the target's names and labels). */
    public synchronized void ensureVolumes(ContainerSpec spec) {
        for (var mount : spec.mounts()) {
            if (mount.isVolume() && docker.volume(mount.source()).isEmpty()) {
                docker.createVolume(m.volumes().stream().filter(v -> target.volume(v.name()).equals(mount.source()))
                        .findFirst().map(target::volumeSpec)
                        .orElse(new VolumeSpec(mount.source(), "local", target.labels())));
            }
        }
    }

    /** The image reference chosen for a container by {@link #checkImages}. */
    @Override
    public String image(ContainerSpec spec) {
        return images == null ? spec.image() : images.getOrDefault(spec.name(), spec.image());
    }

    /** Waits until the container runs (and is healthy when it has a healthcheck) and, for a server kind, serves. */
    private void awaitReady(ContainerSpec spec) {
        java.util.function.BooleanSupplier ready = kinds.all().stream().map(k -> k.readiness(docker, spec))
                .flatMap(Optional::stream).findFirst().orElse(() -> true);
        docker.awaitReady(spec.name(), READY_TIMEOUT, ready);
    }
}
