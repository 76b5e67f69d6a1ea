package dev.lifeboat.core.storage;

import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.secrets.Secrets;

/**
 * The registered destinations, opened with their keys (from key files or the secret store), on behalf
 * of one acting user: the services that work through them name that user in the runs and audit entries
 * they record. Every {@link Repository} it opens holds connections and must be closed.
 */
public final class Repositories {
    private final HistoryStore history;
    private final Secrets secrets;
    private final String actor;

    /** {@code actor}: who acts (the composition root decides: the login user of the CLI, console or agent). */
    public Repositories(HistoryStore history, Secrets secrets, String actor) {
        this.history = history;
        this.secrets = secrets;
        this.actor = actor;
    }

    /** Who acts through these repositories, as the history's runs and audit entries name them. */
    public String actor() {
        return actor;
    }

    public HistoryStore history() {
        return history;
    }

    public Secrets secrets() {
        return secrets;
    }

    public Repository open(String destinationName) {
        return open(history.destinations().require(destinationName));
    }

    public Repository open(DestinationRecord destination) {
        return Repository.open(destination, secrets);
    }

    /**
     * A destination to register: where ({@code kind}: local, s3, sftp; {@code location} as each kind reads
     * it), the key ({@code keyRef}: a key file or secret:NAME), the SSH host key accepted on first contact
     * (SFTP), and whether it is append-only for this machine (pruned only from {@code owner}).
     */
    public record Registration(String name, String kind, String location, String keyRef, String acceptHostKey,
                               boolean appendOnly, String owner) {
        public Registration(String name, String kind, String location, String keyRef) {
            this(name, kind, location, keyRef, null, false, null);
        }
    }

    /**
     * The one way a destination is added, from the CLI, the plan wizard or the first run: checks (or makes)
     * it a repository for the key, records it, and writes the audit entry ({@code note}, may be null, is
     * appended to it).
     */
    public DestinationRecord register(Registration r, String actor, String note) {
        if (r.owner() != null && !r.appendOnly()) {
            throw new dev.lifeboat.core.LifeboatException("--owner names the machine that prunes an append-only destination:"
                    + " give it with --append-only");
        }
        DestinationRecord d = Repository.initialise(r.name(), r.kind(), r.location(), r.keyRef(), r.acceptHostKey(), secrets)
                .withAppendOnly(r.appendOnly(), r.owner());
        history.destinations().add(d);
        history.runs().audit(actor, "dest-add", d.name(), d.location() + " key " + d.keyId()
                + (d.appendOnly() ? ", append-only" + (d.owner() == null ? "" : " (owner " + d.owner() + ")") : "")
                + (note == null ? "" : " " + note));
        return d;
    }
}
