package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.backup.SelfBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lifeboat's own recovery: its history, settings and secret store to a destination, and back on a new workstation. */
final class SelfCommand {
    private SelfCommand() {
    }

    @Command(name = "self-backup", description = "Back up Lifeboat itself to DEST: the history (hosts, destinations, plans,"
            + " points, drills), the settings and the secret store (still encrypted under its master password); the key"
            + " files and SSH identities only with --with-keys. The newest " + SelfBackup.KEEP + " per machine are kept.")
    static final class Backup extends AppCommand {
        @Option(names = "--to", required = true, paramLabel = "DEST")
        String destination;
        @Option(names = "--with-keys", description = "Also the destinations' key files and the hosts' SSH identities (then"
                + " anyone with this destination's key can read them: keep that key apart)")
        boolean withKeys;

        @Override
        protected int run(AppContext app) throws Exception {
            SelfBackup.Written w = app.selfBackup(destination, withKeys);
            out().println("Lifeboat backed up to " + destination + " as " + w.pointId() + " ("
                    + dev.lifeboat.core.Units.bytes(w.storedBytes()) + "): " + String.join(", ", w.contents())
                    + (withKeys ? "" : ". Keys not included: keep them apart (--with-keys adds them)")
                    + (w.removedOlder() > 0 ? "; " + w.removedOlder() + " older removed" : "") + ".");
            return 0;
        }
    }

    @Command(name = "self-restore", description = "On a new workstation: bring Lifeboat back from its newest self-backup at"
            + " DEST (add DEST first, with its key: lifeboat dest add). The home's current history, settings and secret"
            + " store are moved aside, not deleted.")
    static final class Restore extends AppCommand {
        @Option(names = "--from", required = true, paramLabel = "DEST")
        String destination;
        @Option(names = "--machine", paramLabel = "NAME", description = "The machine whose self-backup to take (default:"
                + " the newest of any)")
        String machine;
        @Option(names = "--point", paramLabel = "ID", description = "This self-backup rather than the newest")
        String point;

        @Override
        protected int run(AppContext app) throws Exception {
            SelfBackup.Staged staged = SelfBackup.stage(app.home(), app.repositories(), destination, machine, point);
            app.history().close(); // the history is replaced below: nothing may hold it open
            SelfBackup.Applied applied = SelfBackup.apply(app.home(), staged);
            out().println("Lifeboat restored from " + staged.pointId() + " (machine " + staged.machine() + ", taken "
                    + staged.takenAt() + "): " + String.join(", ", applied.restored()) + ".");
            if (!applied.setAside().isEmpty()) {
                out().println("Moved aside in " + app.home() + ": " + String.join(", ", applied.setAside()) + ".");
            }
            for (String s : applied.keysSkipped()) {
                out().println("Not written: " + s + ".");
            }
            out().println("Next: lifeboat points, then lifeboat verify on a point, before you rely on it.");
            return 0;
        }
    }
}
