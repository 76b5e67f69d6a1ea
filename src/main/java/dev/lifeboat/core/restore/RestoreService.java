package dev.lifeboat.core.restore;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.backup.BackupService;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.history.SafetyCopyRepository;
import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.asset.Staged;
import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.PlanContext;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.asset.RestoreTarget;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;
import dev.lifeboat.core.verify.VerifyReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    private final HistoryStore history;
    private final Function<Host, DockerEngine> connector;
    private final IntegrityVerifier verifier;
    private final BackupService backups;

    private final Repositories repositories;
    private final AssetKinds kinds;
    private final java.time.Clock clock = java.time.Clock.systemUTC();

    public RestoreService(Repositories repositories, Function<Host, DockerEngine> connector, AssetKinds kinds,
                          IntegrityVerifier verifier, BackupService backups) {
        this.history = repositories.history();
        this.kinds = kinds;
        this.repositories = repositories;
        this.connector = connector;
        this.verifier = verifier;
        this.backups = backups;
    }

    /**
     * What the point {@code pointId} offers to a restore of parts, as {@code --only} takes them
     * ({@code postgres:shop}, {@code redis}, {@code volume:uploads}, {@code config}), read from its manifest.
     */
    public List<String> offers(String pointId) {
        try (PointLocator.Located point = new PointLocator(repositories).locate(pointId)) {
            kinds.requireKnown(point.manifest());
            return kinds.offers(point.manifest());
        }
    }

    /** What a restore would do, without doing it: stopped containers, overwritten data, phases, expected time. */
    public RestorePlan plan(String pointId, RestoreOptions options) {
        try (PointLocator.Located point = new PointLocator(repositories).locate(pointId)) {
            Manifest m = point.manifest();
            Host host = target(m, options);
            RestoreScope scope = options.scope();
            List<String> stop = new ArrayList<>();
            List<String> overwrite = new ArrayList<>();
            List<String> create = new ArrayList<>();
            boolean exists;
            int besideCount = 0;
            int inPlace = 0;
            List<String> inPlacePhases = new ArrayList<>();
            try (DockerEngine docker = connector.apply(host)) {
                List<ContainerSpec> existing = docker.containersLabelled(StackDiscovery.PROJECT, m.stack());
                exists = BackupService.dataExists(docker, m, existing);
                java.util.Set<String> dbContainers = m.assets().stream()
                        .filter(a -> kinds.find(a.kind()).map(AssetKind::server).orElse(false))
                        .map(AssetRecord::container).collect(Collectors.toSet());
                if (scope.everything()) {
                    existing.stream().filter(c -> !dbContainers.contains(c.name()) && c.running())
                            .forEach(c -> stop.add(c.name() + " (stopped, removed and recreated from the point's spec)"));
                }
                PlanContext ctx = new PlanContext(docker, host.name(), scope);
                for (var phase : kinds.inScope(m, scope).entrySet()) {
                    for (AssetRecord a : phase.getValue()) {
                        phase.getKey().plan(ctx, a, overwrite, create);
                        if (phase.getKey().stagesBeside(ctx, a) && options.beside()) {
                            besideCount++;
                        } else {
                            inPlace++;
                            if (!inPlacePhases.contains(phase.getKey().phase())) {
                                inPlacePhases.add(phase.getKey().phase());
                            }
                        }
                    }
                }
            }
            List<String> phases = new ArrayList<>();
            if (besideCount > 0) {
                phases.add("beside");
            }
            phases.add("verify");
            // what is restored beside is kept aside when replaced, not backed up first (ADR 25)
            exists = exists && inPlace > 0;
            if (options.safetyBackup() && exists) {
                phases.add("safety backup");
            }
            if (scope.everything()) {
                phases.add("stop");
            }
            if (besideCount > 0) {
                phases.add("swap"); // what was restored beside is swapped in, then each kind restores the rest in place
                phases.addAll(inPlacePhases);
            } else {
                kinds.inScope(m, scope).keySet().forEach(k -> phases.add(k.phase()));
            }
            phases.addAll(List.of("start", "health", "post-restore checks"));
            List<dev.lifeboat.core.history.PastRestore> past = history.runs().pastRestores(50);
            Long expected = RestorePlan.estimate(past, m.storedBytes());
            return new RestorePlan(m.pointId(), host.name(), m.stack(), host.production(), scope.toString(),
                    options.safetyBackup() && exists, stop, overwrite, create, phases, m.storedBytes(), expected, past.size());
        }
    }

    /**
     * What restoring {@code pointId} over its live stack would change, read without changing anything: every
     * asset in scope asks its kind (rows per table now and at the point, files that change), and each recorded
     * container's image is compared with the one running. For the restore wizard's preview and
     * {@code restore --preview}.
     */
    public RestorePreview preview(String pointId, RestoreOptions options) {
        try (PointLocator.Located point = new PointLocator(repositories).locate(pointId)) {
            Manifest m = point.manifest();
            Host host = target(m, options);
            RestoreScope scope = options.scope();
            List<ContainerSpec> recorded = point.containerSpecs();
            var settings = history.plans().settings(m.host(), m.stack());
            List<dev.lifeboat.core.asset.PreviewSection> sections = new ArrayList<>();
            List<List<String>> images = new ArrayList<>();
            try (DockerEngine docker = connector.apply(host)) {
                var ctx = new dev.lifeboat.core.asset.CheckContext(docker, point, recorded, RestoreTarget.IN_PLACE, settings, scope,
                        "preview-" + dev.lifeboat.core.model.PointIds.newId(java.time.Instant.now()));
                for (var phase : kinds.inScope(m, scope).entrySet()) {
                    for (AssetRecord a : phase.getValue()) {
                        try {
                            phase.getKey().preview(ctx, a).ifPresent(sections::add);
                        } catch (java.io.IOException e) {
                            throw new LifeboatException("Cannot preview " + a.name() + ": " + e.getMessage(), e);
                        }
                    }
                }
                if (scope.everything()) {
                    for (ContainerSpec c : recorded) {
                        String now = docker.inspect(c.name()).map(x -> x.imageId() == null ? x.image() : x.imageId()).orElse(null);
                        String then = c.imageId() == null ? c.image() : c.imageId();
                        if (!java.util.Objects.equals(now, then)) {
                            images.add(List.of(c.name(), now == null ? "(no container)" : shortId(now), shortId(then) + " (" + c.image()
                                    + ")"));
                        }
                    }
                }
            }
            // "Overwrites 3 databases, 1 volume and 1 config directory: 2 tables and 1,204 files change"
            java.util.Comparator<String> order = java.util.Comparator.comparingInt((String w) -> {
                int i = List.of("database", "volume", "config directory", "table", "file").indexOf(w);
                return i < 0 ? Integer.MAX_VALUE : i;
            }).thenComparing(w -> w);
            java.util.Map<String, long[]> by = new java.util.TreeMap<>(order); // overwritten, by noun
            java.util.Map<String, long[]> changed = new java.util.TreeMap<>(order); // changes, by unit (files of volumes and configs add up)
            for (var x : sections) {
                by.computeIfAbsent(x.noun(), k -> new long[1])[0] += x.overwrites();
                changed.computeIfAbsent(x.unit(), k -> new long[1])[0] += x.changes();
            }
            String overwrites = listed(by.entrySet().stream().map(e -> plural(e.getValue()[0], e.getKey())).toList());
            String change = listed(changed.entrySet().stream().map(e -> plural(e.getValue()[0], e.getKey())).toList());
            String summary = (by.isEmpty() ? "Nothing this preview can read changes" : "Overwrites " + overwrites + ": " + change
                    + " change") + (images.isEmpty() ? "" : "; " + images.size() + " container" + (images.size() == 1 ? " runs"
                    : "s run") + " another image than the point's") + ". What the restore replaces is kept on the host for "
                    + dev.lifeboat.core.model.StackSettings.format(settings.keptRetention()) + ".";
            return new RestorePreview(m.pointId(), host.name(), m.stack(), sections, images, summary);
        }
    }

    /**
     * The host a restore of the point {@code m} lands on (its own, or the one asked for), once every kind in the
     * point is known here and the scope names something the point holds; refused otherwise, nothing changed.
     */
    private Host target(Manifest m, RestoreOptions options) {
        Host host = history.hosts().require(options.targetHost() == null ? m.host() : options.targetHost());
        kinds.requireKnown(m);
        kinds.requireMatches(options.scope(), m);
        return host;
    }

    /** "a", "a and b", "a, b and c". */
    private static String listed(List<String> items) {
        return items.size() <= 1 ? String.join("", items)
                : String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String plural(long n, String noun) {
        return String.format(java.util.Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    private static String shortId(String image) {
        return image.startsWith("sha256:") ? image.substring(7, Math.min(image.length(), 19)) : image;
    }

    /**
     * Restores a point under the stack's lock: a backup, prune or another restore of the same stack is
     * refused meanwhile, and this restore is refused while one of them runs.
     */
    public RestoreReport restore(String pointId, RestoreOptions options, Progress progress) {
        try (PointLocator.Located point = new PointLocator(repositories).locate(pointId)) {
            Manifest m = point.manifest();
            Host host = target(m, options);
            return history.locks().withStackLock(host.name(), m.stack(), "restore",
                    holder -> new dev.lifeboat.core.StackBusyException("Restore of " + host.name() + "/" + m.stack()
                            + " refused, nothing was changed: the stack is busy (" + holder + "); try again when it ends"),
                    () -> restore(point, options, progress));
        }
    }

    /** The restore itself; the caller holds the stack's lock. */
    private RestoreReport restore(PointLocator.Located point, RestoreOptions options, Progress progress) {
        return restore(point, options, progress, options.beside());
    }

    /**
     * {@code beside}: whether assets whose kind can are restored beside the live data and swapped in (ADR 25);
     * a rollback to a safety point restores in place, having swapped back what this run swapped in.
     */
    private RestoreReport restore(PointLocator.Located point, RestoreOptions options, Progress progress, boolean beside) {
        String pointId = point.manifest().pointId();
        Manifest m = point.manifest();
        Host host = history.hosts().require(options.targetHost() == null ? m.host() : options.targetHost());
        String actor = repositories.actor();
        try {
            ConfirmationPolicy.require(host, options.confirmation());
        } catch (LifeboatException refused) {
            history.runs().audit(actor, "restore-refused", m.host() + "/" + m.stack(), "point " + pointId + ": " + refused.getMessage());
            throw refused;
        }
        String runId = history.runs().start("restore", host.name(), m.stack(), pointId, point.destination(), actor);
        List<RunStep> phases = new ArrayList<>();
        long start = System.nanoTime();
        String safetyPoint = null;
        List<SafetyCopyRepository.Kept> kept = List.of();
        try {
            PhaseTimer timer = new PhaseTimer(phases, progress, "Restore");
            if (!beside) {
                verifyFirst(point, timer, progress, (a, artifact) -> true);
            }
            try (DockerEngine docker = connector.apply(host)) {
                backups.repairInterruptedRuns(docker, actor);
                List<ContainerSpec> existing = docker.containersLabelled(StackDiscovery.PROJECT, m.stack());
                List<ContainerSpec> recorded;
                try {
                    recorded = point.containerSpecs();
                } catch (IntegrityException e) {
                    throw new IntegrityException("Refusing to restore " + pointId + ": nothing was changed. " + e.getMessage(), e);
                }
                RestoreRun run = new RestoreRun(docker, kinds, point, recorded, timer, runId, RestoreTarget.IN_PLACE,
                        options.scope());
                run.checkImages(existing); // a missing image refuses before the safety backup and before any change
                List<Staged> staged = !beside ? List.of() : timer.run("beside", () -> {
                    try {
                        return run.stage();
                    } catch (IntegrityException e) {
                        throw new IntegrityException("Refusing to restore " + pointId + ": nothing was changed. "
                                + e.getMessage(), e);
                    } catch (RuntimeException e) {
                        throw new LifeboatException("Restoring beside the live data failed, so nothing was changed: "
                                + e.getMessage(), e);
                    }
                });
                Set<String> keptAside = staged.stream().map(x -> x.asset().name()).collect(Collectors.toSet());
                boolean allBeside = kinds.inScope(m, options.scope()).values().stream().flatMap(List::stream)
                        .allMatch(a -> keptAside.contains(a.name()));
                try {
                    if (beside) {
                        // what staging read was checked as it streamed (every chunk, both SHA-256): every other artifact
                        // of what is in scope is read whole before anything is touched; assets out of scope are not read
                        Set<String> inScope = kinds.inScope(m, options.scope()).values().stream().flatMap(List::stream)
                                .map(AssetRecord::name).collect(Collectors.toSet());
                        Set<String> read = run.verified();
                        verifyFirst(point, timer, progress, (a, artifact) -> !read.contains(artifact.file())
                                && (inScope.contains(a.name()) || kinds.find(a.kind()).isEmpty()));
                    }
                    if (options.safetyBackup() && !allBeside && BackupService.dataExists(docker, m, existing)) {
                        RecoveryPoint safety = timer.run("safety backup", () -> {
                            try {
                                return backups.safetyBackup(host.name(), m.stack(), point.destination(), m, recorded, keptAside,
                                        progress);
                            } catch (LifeboatException e) {
                                throw new LifeboatException("Safety backup of the existing stack failed, so nothing was changed: "
                                        + e.getMessage() + ". Fix it, or restore without one (--no-safety-backup)", e);
                            }
                        });
                        safetyPoint = safety.id();
                    }
                } catch (RuntimeException e) {
                    run.discardStaged();
                    throw e;
                }
                run.keepReplacedConfig(safetyPoint == null);
                try {
                    run.execute(existing);
                    SandboxChecks checks = new SandboxChecks(docker, kinds, point, run.targetSpecs(), RestoreTarget.IN_PLACE,
                            history.plans().settings(m.host(), m.stack()), runId);
                    timer.run("post-restore checks", () -> {
                        List<Check> all = checks.afterRestore(options.scope());
                        List<Check> bad = all.stream().filter(c -> !c.ok()).toList();
                        if (!bad.isEmpty()) {
                            throw new LifeboatException(bad.stream().map(c -> c.name() + ": " + c.detail())
                                    .collect(Collectors.joining("; ")));
                        }
                        return all.size() + " checks passed";
                    });
                } catch (RuntimeException failure) {
                    throw rollBack(failure, run, point, options, progress, timer, host, safetyPoint, actor, runId);
                }
                kept = keep(run, host, m, runId, pointId);
            }
            long total = (System.nanoTime() - start) / 1_000_000;
            history.runs().finish(runId, "ok", "restored " + pointId + " in " + total + " ms", pointId, phases);
            history.runs().audit(actor, "restore", host.name() + "/" + m.stack(), "point " + pointId
                    + (safetyPoint == null ? "" : ", safety point " + safetyPoint)
                    + (kept.isEmpty() ? "" : ", kept aside on the host: " + kept.stream()
                    .map(k -> k.id() + " (" + k.asset() + ")").collect(Collectors.joining(", "))));
            return new RestoreReport(pointId, host.name(), m.stack(), safetyPoint, List.copyOf(phases), total, kept);
        } catch (RuntimeException e) {
            history.runs().finish(runId, "failed", e.getMessage(), pointId, phases);
            throw e;
        }
    }

    /** Reads and checks the artifacts of the assets {@code include} accepts; refuses, naming them, if one fails. */
    private void verifyFirst(PointLocator.Located point, PhaseTimer timer, Progress progress,
                             java.util.function.BiPredicate<AssetRecord, dev.lifeboat.core.model.Artifact> include) {
        String pointId = point.manifest().pointId();
        timer.run("verify", () -> {
            VerifyReport report = verifier.verify(point, progress, new ArrayList<>(), include);
            if (!report.ok()) {
                throw new IntegrityException("Refusing to restore " + pointId + ": nothing was changed. "
                        + report.failures().stream().map(VerifyReport.Check::detail).collect(Collectors.joining("; ")));
            }
            return report.checks().size() + " checks passed";
        });
    }

    /**
     * After a failed restore: what was swapped in goes and the data set aside comes back, then the safety point
     * (if one was taken) is restored in place for the rest. Returns the exception to throw, saying which.
     */
    private RuntimeException rollBack(RuntimeException failure, RestoreRun run, PointLocator.Located point, RestoreOptions options,
                                      Progress progress, PhaseTimer timer, Host host, String safetyPoint, String actor,
                                      String runId) {
        Manifest m = point.manifest();
        String pointId = m.pointId();
        if (safetyPoint == null && !run.swappedAny()) {
            try {
                run.discardStaged();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            return failure;
        }
        String reason = failure.getMessage();
        List<String> how = new ArrayList<>();
        try {
            timer.run("rollback", () -> {
                run.discardStaged();
                if (run.swappedAny()) {
                    run.swapBack();
                    how.add("swapped back the data set aside");
                }
                if (safetyPoint != null) {
                    try (PointLocator.Located back = new PointLocator(repositories).locate(safetyPoint)) {
                        restore(back, new RestoreOptions(options.confirmation(), false, options.scope(), host.name()),
                                progress, false); // under the lock this restore holds
                    }
                    how.add("restored safety point " + safetyPoint);
                }
                return String.join(", ", how);
            });
        } catch (RuntimeException rollbackFailed) {
            // what is still set aside is recorded, so that 'lifeboat safety list' shows where it is
            List<SafetyCopyRepository.Kept> still = List.of();
            try {
                still = keep(run, host, m, runId, pointId);
            } catch (RuntimeException notRecorded) {
                rollbackFailed.addSuppressed(notRecorded);
            }
            return new LifeboatException("Restore of " + pointId + " failed (" + reason + ") and rolling back failed too ("
                    + rollbackFailed.getMessage() + ")." + (still.isEmpty() ? "" : " The data it replaced is still on the host: "
                    + still.stream().map(SafetyCopyRepository.Kept::description).collect(Collectors.joining("; ")) + ".")
                    + (safetyPoint == null ? "" : " Restore " + safetyPoint + " by hand: lifeboat restore " + safetyPoint),
                    failure);
        }
        String what = safetyPoint == null ? "the data it replaced" : "the safety point " + safetyPoint;
        history.runs().audit(actor, "restore-rolled-back", m.host() + "/" + m.stack(), "point " + pointId + ": " + reason
                + "; " + String.join(", ", how));
        return new LifeboatException("Restore of " + pointId + " failed: " + reason + ". Rolled back to " + what
                + ": the stack is as it was before the restore.", failure);
    }

    /** Records what the swaps set aside, kept on the host for the stack's retention of safety copies. */
    private List<SafetyCopyRepository.Kept> keep(RestoreRun run, Host host, Manifest m, String runId, String pointId) {
        List<SafetyCopyRepository.Kept> out = new ArrayList<>();
        java.time.Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // as the history stores it
        java.time.Duration keepFor = SafetyCopies.retention(history, host.name(), m.stack());
        for (SafetyCopy c : run.kept()) {
            SafetyCopyRepository.Kept k = new SafetyCopyRepository.Kept(java.util.UUID.randomUUID().toString().substring(0, 8),
                    host.name(), m.stack(), runId, pointId, c.kind(), c.asset(), c.location(), c.item(), c.image(), c.description(), now,
                    now.plus(keepFor), null, null);
            history.safetyCopies().record(k);
            out.add(k);
        }
        return out;
    }
}
