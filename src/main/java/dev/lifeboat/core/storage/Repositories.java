package dev.lifeboat.core.storage;

import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.secrets.Secrets;

/**
 * The registered destinations, opened with their keys (from key files or the secret store). Every
 * {@link Repository} it opens holds connections and must be closed.
 */
public final class Repositories {
    private final HistoryStore history;
    private final Secrets secrets;

    public Repositories(HistoryStore history, Secrets secrets) {
        this.history = history;
        this.secrets = secrets;
    }

    public HistoryStore history() {
        return history;
    }

    public Secrets secrets() {
        return secrets;
    }

    public Repository open(String destinationName) {
        return open(history.requireDestination(destinationName));
    }

    public Repository open(DestinationRecord destination) {
        return Repository.open(destination, secrets);
    }

    /** Checks (or makes) the destination a repository for the key and records it in the history. */
    public DestinationRecord register(String name, String kind, String location, String keyRef, String acceptHostKey) {
        return register(name, kind, location, keyRef, acceptHostKey, false, null);
    }

    /** As above; an {@code appendOnly} destination is pruned and rewritten only from its {@code owner} machine. */
    public DestinationRecord register(String name, String kind, String location, String keyRef, String acceptHostKey,
                                      boolean appendOnly, String owner) {
        if (owner != null && !appendOnly) {
            throw new dev.lifeboat.core.LifeboatException("--owner names the machine that prunes an append-only destination:"
                    + " give it with --append-only");
        }
        DestinationRecord d = Repository.initialise(name, kind, location, keyRef, acceptHostKey, secrets)
                .withAppendOnly(appendOnly, owner);
        history.addDestination(d);
        return d;
    }
}
