package dev.lifeboat.core.restore;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.SafetyCopyRepository.Kept;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Host;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The data restores replaced and kept on the hosts instead of backing it up first (ADR 25): listed per
 * stack beside its safety points, released by the admin, and removed when its retention ends.
 */
public final class SafetyCopies {
    private static final Logger LOG = LoggerFactory.getLogger(SafetyCopies.class);
    private final HistoryStore history;
    private final Function<Host, DockerEngine> connector;
    private final AssetKinds kinds;
    private final Clock clock;
    private final String actor;

    public SafetyCopies(HistoryStore history, Function<Host, DockerEngine> connector, AssetKinds kinds, Clock clock, String actor) {
        this.history = history;
        this.connector = connector;
        this.kinds = kinds;
        this.clock = clock;
        this.actor = actor;
    }

    /** How long the safety copies of a stack's restores are kept ({@code lifeboat stack set --keep-replaced}). */
    static Duration retention(HistoryStore history, String host, String stack) {
        return history.plans().settings(host, stack).keptRetention();
    }

    /** A stack's safety copies still on its host, newest first. */
    public List<Kept> held(String host, String stack) {
        return history.safetyCopies().held(host, stack);
    }

    /** Removes a safety copy from its host now; the admin decided it is not needed. */
    public Kept release(String id) {
        Kept k = history.safetyCopies().find(id).orElseThrow(() -> new LifeboatException("No safety copy " + id
                + "; lifeboat safety list HOST/STACK shows them"));
        if (k.released()) {
            throw new LifeboatException("Safety copy " + id + " was released already, at " + k.releasedAt()
                    + (k.releasedBy() == null ? "" : " by " + k.releasedBy()));
        }
        remove(k, actor, "released");
        return k;
    }

    /** Removes every safety copy whose retention ended; returns how many. A host that cannot be reached is tried next time. */
    public int releaseExpired() {
        int n = 0;
        for (Kept k : history.safetyCopies().due(clock.instant())) {
            try {
                remove(k, "retention", "expired");
                n++;
            } catch (RuntimeException e) {
                LOG.warn("Safety copy {} of {}/{} ({}) is past its retention but could not be removed: {}", k.id(), k.host(),
                        k.stack(), k.asset(), e.getMessage());
            }
        }
        return n;
    }

    private void remove(Kept k, String by, String verb) {
        Host host = history.hosts().require(k.host());
        try (DockerEngine docker = connector.apply(host)) {
            kinds.find(k.kind()).orElseThrow(() -> new LifeboatException("Safety copy " + k.id() + " is of kind " + k.kind()
                    + ", which this Lifeboat does not know")).release(docker, new SafetyCopy(k.kind(), k.asset(), k.location(),
                    k.item(), k.image(), k.description()));
        }
        if (history.safetyCopies().released(k.id(), clock.instant(), by)) {
            history.runs().audit(by, "safety-copy-" + verb, k.host() + "/" + k.stack(), k.id() + ": " + k.asset() + " ("
                    + k.description() + ") kept since " + k.keptAt());
        }
    }
}
