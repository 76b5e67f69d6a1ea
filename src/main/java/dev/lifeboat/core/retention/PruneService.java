package dev.lifeboat.core.retention;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.PointIds;
import dev.lifeboat.core.model.RetentionPolicy;
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
import java.util.Set;

/**
 * Applies GFS retention to one stack, per destination: lists the points the destination really holds,
 * decides with {@link GfsRetention}, and (unless it is a dry run) deletes the rest. A point that a
 * running verify or restore is reading is never deleted.
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
    }

    /** Leftovers untouched for this long are a killed run's, not a slow one's (and the stack lock is held). */
    static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofDays(1);

    public List<Entry> prune(String host, String stack, String destination, RetentionPolicy policy, ZoneId zone,
                             boolean dryRun) {
        List<DestinationRecord> targets = destination == null ? history.destinations()
                : List.of(history.requireDestination(destination));
        String actor = System.getProperty("user.name", "unknown");
        List<Entry> entries = new ArrayList<>();
        for (DestinationRecord d : targets) {
            try (Repository repo = repositories.open(d)) {
                prune(d, repo, host, stack, policy, zone, dryRun, actor, entries);
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
            Set<String> inUse = history.pointsInUse();
            Set<Destination.StoredPoint> pinned = new java.util.HashSet<>();
            points.stream().filter(p -> inUse.contains(p.id())).forEach(pinned::add);
            GfsRetention.Decision<Destination.StoredPoint> decision =
                    GfsRetention.apply(points, PruneService::takenAt, policy, zone, pinned);
            int deleted = 0;
            for (Destination.StoredPoint p : decision.keep()) {
                entries.add(new Entry(d.name(), p.id(), takenAt(p), true, List.copyOf(decision.reasons().get(p)), false, false));
            }
            for (Destination.StoredPoint p : decision.delete()) {
                boolean gone = false;
                if (!dryRun) {
                    try {
                        repo.destination().delete(p);
                        history.forgetPoint(p.id(), d.name());
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
            if (!dryRun) {
                history.audit(actor, "prune", host + "/" + stack + " on " + d.name(),
                        deleted + " deleted, " + decision.keep().size() + " kept (" + policy + ")"
                                + (swept == 0 ? "" : ", " + swept + " leftovers of killed runs removed"));
            }
        }
    }

    /**
     * Removes what killed runs left of this stack at the destination, under the stack's lock so that no
     * backup of it is writing meanwhile; skipped (and said in the log) while one runs.
     */
    private int sweep(DestinationRecord d, Repository repo, String host, String stack, boolean dryRun, List<Entry> entries) {
        String owner = "prune-" + java.util.UUID.randomUUID();
        java.util.Optional<String> busy = history.tryLockStack(host, stack, owner);
        if (busy.isPresent()) {
            LOG.info("Not sweeping leftovers of {}/{} on {}: {} holds the stack", host, stack, d.name(), busy.get());
            return 0;
        }
        try {
            List<Destination.Abandoned> found = repo.destination().sweepAbandoned(host, stack, Instant.now().minus(LEFTOVER_AGE),
                    dryRun);
            for (Destination.Abandoned a : found) {
                entries.add(new Entry(d.name(), a.name(), a.lastModified(), false, List.of("left by a killed run"), !dryRun, true));
            }
            return found.size();
        } catch (IOException e) {
            throw new LifeboatException("Destination " + d.name() + ": cannot sweep leftovers of killed runs: " + e.getMessage(), e);
        } finally {
            history.unlockStack(host, stack, owner);
        }
    }

    /** When a point was taken: from its id (set at the start of the backup), else from its commit time. */
    static Instant takenAt(Destination.StoredPoint p) {
        return PointIds.startedAt(p.id()).orElse(p.committedAt());
    }
}
