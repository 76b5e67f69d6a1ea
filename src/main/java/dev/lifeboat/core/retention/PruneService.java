package dev.lifeboat.core.retention;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.RetentionPolicy;
import dev.lifeboat.core.storage.DeletionLog;
import dev.lifeboat.core.storage.Destination;
import dev.lifeboat.core.storage.Repository;
import dev.lifeboat.core.storage.Repositories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies GFS retention to one stack, per destination: lists the points the destination really holds,
 * decides with {@link GfsRetention}, and (unless it is a dry run) deletes the rest, holding the stack's
 * lock. A point that a running verify or restore is reading is never deleted.
 */
public final class PruneService {
    private static final Logger LOG = LoggerFactory.getLogger(PruneService.class);
    private final HistoryStore history;
    private final Repositories repositories;

    public PruneService(Repositories repositories) {
        this.history = repositories.history();
        this.repositories = repositories;
    }

    /**
     * One point and what retention decided for it; or ({@code leftover}) what a killed run left at the
     * destination (a point it never finished, or one half deleted), swept once a day old.
     */
    public record Entry(String destination, String pointId, Instant takenAt, boolean keep, List<String> reasons,
                        boolean deleted, boolean leftover) {
        /** A destination prune did not touch (append-only, not owned by this machine): no point, the reason only. */
        public boolean skipped() {
            return pointId.isEmpty();
        }
    }

    /** How far ahead of this machine's clock a point may be dated before it counts as planted. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofHours(1);

    /** The newest point a restore test proved: never pruned, so there is always a point known to restore. */
    private java.util.Optional<Destination.StoredPoint> newestProven(List<Destination.StoredPoint> points) {
        Set<String> proven = history.runs().provenPoints("restore-test");
        return points.stream().filter(p -> proven.contains(p.id())).max(java.util.Comparator.comparing(PruneService::takenAt));
    }

    /** Leftovers untouched for this long are a killed run's, not a slow one's (and the stack lock is held). */
    static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofDays(1);

    public List<Entry> prune(String host, String stack, String destination, RetentionPolicy policy, ZoneId zone,
                             boolean dryRun) {
        List<DestinationRecord> targets = destination == null ? history.destinations().all()
                : List.of(history.destinations().require(destination));
        String actor = repositories.actor();
        List<Entry> entries = new ArrayList<>();
        for (DestinationRecord d : targets) {
            if (!d.removableHere()) { // its points stay whatever retention says: nothing here lists, deletes or sweeps them
                LOG.info("Prune of {}/{} skips {}", host, stack, d.appendOnlyReason());
                entries.add(new Entry(d.name(), "", Instant.EPOCH, true, List.of("not pruned: " + d.appendOnlyReason()),
                        false, false));
                continue;
            }
            try (Repository repo = repositories.open(d)) {
                // under the stack's lock: nothing a backup writes, and no point a restore, restore test, drill
                // or copy is reading, can be swept or pruned meanwhile
                history.locks().withStackLock(host, stack, "prune", holder -> new dev.lifeboat.core.StackBusyException(
                        "Prune of " + host + "/" + stack + " skipped, nothing was deleted: the stack is busy (" + holder
                                + "); it runs again at its next slot"), () -> {
                    prune(d, repo, host, stack, policy, zone, dryRun, actor, entries);
                    return null;
                });
            }
        }
        entries.sort((a, b) -> b.takenAt().compareTo(a.takenAt()));
        return entries;
    }

    private void prune(DestinationRecord d, Repository repo, String host, String stack, RetentionPolicy policy, ZoneId zone,
                       boolean dryRun, String actor, List<Entry> entries) {
        {
            List<Destination.StoredPoint> points;
            try {
                points = repo.destination().list(host, stack);
            } catch (IOException e) {
                throw new LifeboatException("Destination " + d.name() + ": cannot list points: " + e.getMessage(), e);
            }
            Set<String> inUse = history.points().inUse();
            Map<String, String> held = new java.util.HashMap<>();
            history.points().holds().forEach(h -> held.put(h.pointId(), h.reason()));
            // safety points (taken before restores) have their own retention, outside the GFS slots
            java.time.Duration safetyRetention = history.plans().settings(host, stack).safetyRetention();
            Instant now = Instant.now();
            Map<String, String> kinds = new java.util.HashMap<>();
            history.points().of(host, stack).stream().filter(p -> p.destination().equals(d.name()))
                    .forEach(p -> kinds.put(p.id(), p.kind()));
            List<Destination.StoredPoint> genuine = new ArrayList<>();
            List<Destination.StoredPoint> safety = new ArrayList<>();
            Map<Destination.StoredPoint, String> hashes = new java.util.HashMap<>();
            Map<Destination.StoredPoint, dev.lifeboat.core.model.Manifest> manifests = new java.util.HashMap<>();
            List<String> future = new ArrayList<>();
            for (Destination.StoredPoint p : points) {
                if (takenAt(p).isAfter(now.plus(CLOCK_SKEW))) {
                    // a planted directory dated ahead would take every retention slot and push genuine points out
                    future.add(p.id());
                    entries.add(new Entry(d.name(), p.id(), takenAt(p), true, List.of("dated in the future: ignored, never"
                            + " deleted or counted by retention"), false, false));
                    continue;
                }
                try {
                    Repository.Proven proven = repo.prove(p, history.points().manifestSha256(p.id(), d.name()).orElse(null));
                    hashes.put(p, proven.sha256());
                    manifests.put(p, proven.manifest());
                    (dev.lifeboat.core.model.RecoveryPoint.isSafety(kinds.get(p.id())) ? safety : genuine).add(p);
                } catch (IntegrityException e) {
                    // not provably this repository's point: reported, never deleted
                    entries.add(new Entry(d.name(), p.id(), takenAt(p), true, List.of("not a genuine point of this"
                            + " repository, left alone: " + e.getMessage()), false, false));
                }
            }
            if (!future.isEmpty()) {
                LOG.warn("{} points of {}/{} on {} are dated in the future and were ignored by retention: {}", future.size(),
                        host, stack, d.name(), future.size() > 5 ? future.subList(0, 5) + "…" : future);
                history.alerts().raiseUnlessOpen(new dev.lifeboat.core.model.Finding("future-points:" + d.name() + ":" + host
                        + "/" + stack, "destination", host, stack, "Points dated in the future on " + d.name(),
                        future.size() + " points of " + host + "/" + stack + " on " + d.name() + " are dated after now ("
                        + future.get(0) + (future.size() > 1 ? ", …" : "") + "). Someone may have planted them to push"
                        + " genuine points out of retention; prune ignores them. Inspect the destination.", false));
            }
            Set<Destination.StoredPoint> pinned = new java.util.HashSet<>();
            genuine.stream().filter(p -> inUse.contains(p.id()) || held.containsKey(p.id())).forEach(pinned::add);
            newestProven(genuine).ifPresent(pinned::add);
            GfsRetention.Decision<Destination.StoredPoint> decision =
                    GfsRetention.apply(genuine, PruneService::takenAt, policy, zone, pinned);
            List<Destination.StoredPoint> toDelete = new ArrayList<>(decision.delete());
            Map<Destination.StoredPoint, java.util.Collection<String>> reasons = new java.util.HashMap<>(decision.reasons());
            for (Destination.StoredPoint p : safety) {
                boolean keep = inUse.contains(p.id()) || held.containsKey(p.id())
                        || !takenAt(p).isBefore(now.minus(safetyRetention));
                if (keep) {
                    reasons.put(p, List.of("safety point, kept " + dev.lifeboat.core.model.StackSettings.format(safetyRetention)));
                } else {
                    toDelete.add(p);
                }
            }
            for (Destination.StoredPoint p : genuine) {
                if (held.containsKey(p.id())) { // said in full: why it is held and how to release it
                    List<String> r = new ArrayList<>(reasons.getOrDefault(p, List.of()));
                    if (!inUse.contains(p.id())) {
                        r.remove("in use");
                    }
                    r.add("held (" + held.get(p.id()) + ") until released: lifeboat points release " + p.id());
                    reasons.put(p, r);
                }
            }
            for (Destination.StoredPoint p : safety) {
                if (held.containsKey(p.id())) {
                    reasons.put(p, List.of("held (" + held.get(p.id()) + ") until released: lifeboat points release " + p.id()));
                }
            }
            List<Destination.StoredPoint> kept = new ArrayList<>(decision.keep());
            safety.stream().filter(p -> !toDelete.contains(p)).forEach(kept::add);
            if (repo.destination() instanceof dev.lifeboat.core.storage.S3Bucket bucket && bucket.objectLocked()) {
                objectLock(bucket, d, decision, policy, zone, safety, safetyRetention, now, dryRun, kept, toDelete, reasons);
            }
            int deleted = 0;
            for (Destination.StoredPoint p : kept) {
                entries.add(new Entry(d.name(), p.id(), takenAt(p), true, List.copyOf(reasons.get(p)), false, false));
            }
            if (!dryRun && !toDelete.isEmpty()) {
                try {
                    DeletionLog.append(repo, host, stack, toDelete.stream()
                            .map(p -> new DeletionLog.Entry(p.id(), hashes.get(p), now)).toList());
                } catch (IOException e) {
                    throw new LifeboatException("Destination " + d.name() + ": cannot record what prune removes, so nothing"
                            + " was removed: " + e.getMessage(), e);
                }
            }
            for (Destination.StoredPoint p : toDelete) {
                boolean gone = false;
                if (!dryRun) {
                    try {
                        repo.destination().delete(p);
                        history.points().forget(p.id(), d.name());
                        gone = true;
                        deleted++;
                    } catch (IOException e) {
                        LOG.error("Could not delete point {} from {}", p.id(), d.name(), e);
                        throw new LifeboatException("Destination " + d.name() + ": deleting point " + p.id() + " failed: "
                                + e.getMessage() + " (" + deleted + " deleted before it)", e);
                    }
                }
                entries.add(new Entry(d.name(), p.id(), takenAt(p), false, List.of(), gone, false));
            }
            int swept = sweep(d, repo, host, stack, dryRun, entries);
            List<Destination.StoredPoint> keptGenuine = genuine.stream().filter(p -> !toDelete.contains(p)).toList();
            int walPruned = dryRun ? 0 : pruneWal(d, repo, host, stack, keptGenuine, manifests);
            if (!dryRun) {
                history.runs().audit(actor, "prune", host + "/" + stack + " on " + d.name(),
                        deleted + " deleted, " + decision.keep().size() + " kept (" + policy + ")"
                                + (swept == 0 ? "" : ", " + swept + " leftovers of killed runs removed")
                                + (walPruned == 0 ? "" : ", " + walPruned + " WAL files older than the oldest kept base backup"));
            }
        }
    }

    /**
     * WAL retention (ADR 24): the WAL of a PostgreSQL asset that ships it is kept from the segment the
     * oldest kept base backup starts at; what is older rolls no kept base backup forward and goes, from the
     * destination and then from the history. Timeline history files stay. Without a kept base backup
     * nothing is removed.
     */
    private int pruneWal(DestinationRecord d, Repository repo, String host, String stack, List<Destination.StoredPoint> kept,
                         Map<Destination.StoredPoint, dev.lifeboat.core.model.Manifest> manifests) {
        int removed = 0;
        for (dev.lifeboat.core.history.PitrConfig c : history.pitr().of(host, stack)) {
            if (!c.destination().equals(d.name())) {
                continue;
            }
            java.util.Optional<String> oldestStart = kept.stream().map(manifests::get).filter(java.util.Objects::nonNull)
                    .flatMap(m -> m.assets().stream()).filter(a -> a.name().equals(c.asset()) && a.details() != null)
                    .map(a -> a.details().get("baseStartWal")).filter(java.util.Objects::nonNull)
                    .min(java.util.Comparator.comparing(dev.lifeboat.core.history.WalFile::position));
            if (oldestStart.isEmpty()) {
                continue;
            }
            long keepFrom = dev.lifeboat.core.history.WalFile.position(oldestStart.get());
            for (dev.lifeboat.core.history.WalFile f : history.pitr().files(host, stack, c.asset(), d.name())) {
                if (f.name().endsWith(".history") || dev.lifeboat.core.history.WalFile.position(f.name()) >= keepFrom) {
                    continue;
                }
                try {
                    repo.destination().wal(host, stack, c.container()).delete(f.name() + ".lbe");
                } catch (IOException e) {
                    throw new LifeboatException("Destination " + d.name() + ": deleting WAL file " + f.name() + " failed: "
                            + e.getMessage() + " (" + removed + " removed before it)", e);
                }
                history.pitr().forget(f);
                removed++;
            }
        }
        return removed;
    }

    /**
     * On a bucket with Object Lock: a point whose retention has not lapsed is not deleted (the server
     * would refuse) but kept until it has; every kept point's retention is extended to the date its GFS
     * tiers hold it ({@link GfsRetention#holdUntil}), a safety point's to the end of its own retention.
     * Retention is never shortened, so a point that leaves its tiers lets its lock lapse.
     */
    private void objectLock(dev.lifeboat.core.storage.S3Bucket bucket, DestinationRecord d,
                            GfsRetention.Decision<Destination.StoredPoint> decision, RetentionPolicy policy, ZoneId zone,
                            List<Destination.StoredPoint> safety, java.time.Duration safetyRetention, Instant now, boolean dryRun,
                            List<Destination.StoredPoint> kept, List<Destination.StoredPoint> toDelete,
                            Map<Destination.StoredPoint, java.util.Collection<String>> reasons) {
        try {
            for (java.util.Iterator<Destination.StoredPoint> it = toDelete.iterator(); it.hasNext(); ) {
                Destination.StoredPoint p = it.next();
                Instant retained = bucket.retainedUntil(p);
                if (retained != null && retained.isAfter(now)) {
                    it.remove();
                    kept.add(p);
                    reasons.put(p, List.of("retained by Object Lock until " + retained + "; deleted once that lapses"));
                }
            }
            for (Destination.StoredPoint p : kept) {
                boolean safe = safety.contains(p);
                Instant until = safe ? takenAt(p).plus(safetyRetention)
                        : GfsRetention.holdUntil(takenAt(p), decision.reasons().getOrDefault(p, Set.of()), policy, zone, now);
                if (!until.isAfter(now) || reasons.getOrDefault(p, List.of()).stream().anyMatch(r -> r.startsWith("retained by"))) {
                    continue;
                }
                if (!dryRun) {
                    bucket.extendRetention(p, until);
                }
                List<String> r = new ArrayList<>(reasons.getOrDefault(p, List.of()));
                r.add("immutable until " + until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                reasons.put(p, r);
            }
        } catch (IOException e) {
            throw new LifeboatException("Destination " + d.name() + ": Object Lock retention could not be read or extended,"
                    + " so nothing was deleted: " + e.getMessage(), e);
        }
    }

    /**
     * Removes what killed runs left of this stack at the destination; the caller holds the stack's lock, so
     * no backup of it is writing meanwhile.
     */
    private int sweep(DestinationRecord d, Repository repo, String host, String stack, boolean dryRun, List<Entry> entries) {
        try {
            List<Destination.Abandoned> found = repo.destination().sweepAbandoned(host, stack, Instant.now().minus(LEFTOVER_AGE),
                    dryRun);
            for (Destination.Abandoned a : found) {
                entries.add(new Entry(d.name(), a.name(), a.lastModified(), false, List.of("left by a killed run"), !dryRun, true));
            }
            return found.size();
        } catch (IOException e) {
            throw new LifeboatException("Destination " + d.name() + ": cannot sweep leftovers of killed runs: " + e.getMessage(), e);
        }
    }

    static Instant takenAt(Destination.StoredPoint p) {
        return p.takenAt();
    }
}
