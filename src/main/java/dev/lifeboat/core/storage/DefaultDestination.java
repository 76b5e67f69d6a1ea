package dev.lifeboat.core.storage;

import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.pipeline.RepositoryKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The embedded default destination: a local directory under the Lifeboat home
 * ({@code backups/}), encrypted with a new key in {@code keys/local-disk.key} (mode 600). Created once,
 * when the first host is set up from the console or a backup is asked for with no destination; the
 * admin is told where the key is, so a copy can be kept off the machine.
 */
public final class DefaultDestination {
    public static final String NAME = "local-disk";

    private DefaultDestination() {
    }

    /** What {@link #ensure} did: the destination, and the key file when it was just created. */
    public record Result(DestinationRecord destination, Optional<Path> newKey) {
    }

    /** The default destination, created (with its key) if no destination exists yet. */
    public static Result ensure(Path home, Repositories repositories, String actor) {
        var existing = repositories.history().destinations().all();
        if (!existing.isEmpty()) {
            return new Result(existing.get(0), Optional.empty());
        }
        Path key = home.resolve("keys").resolve(NAME + ".key");
        if (Files.exists(key)) {
            RepositoryKey.load(key);
        } else {
            RepositoryKey.generate(key);
        }
        DestinationRecord d = repositories.register(new Repositories.Registration(NAME, "local",
                home.resolve("backups").toAbsolutePath().normalize().toString(), key.toAbsolutePath().toString()), actor,
                "(embedded default)");
        return new Result(d, Optional.of(key));
    }
}
