package dev.lifeboat.core.storage;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.NetworkSpec;
import dev.lifeboat.core.model.RecoveryPoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a recovery point by id: first where the history says it is, then by scanning every registered
 * destination, so that a point is still found after the workstation's history was lost.
 */
public final class PointLocator {
    private final HistoryStore history;
    private final Repositories repositories;

    public PointLocator(Repositories repositories) {
        this.history = repositories.history();
        this.repositories = repositories;
    }

    /** A point opened for reading: its repository, its place there and its verified manifest. */
    public record Located(Repository repository, Destination.StoredPoint stored, Manifest manifest) implements AutoCloseable {
        @Override
        public void close() {
            repository.close();
        }

        public String destination() {
            return repository.destination().name();
        }

        /** Opens the plaintext of one artifact; checksums are checked as it is read. */
        public InputStream open(Artifact a) throws IOException {
            InputStream in = repository.destination().open(stored, a.file());
            return repository.pipeline().reader(in, a.file(), a.storedSha256(), a.plainSha256());
        }

        /**
         * Opens one artifact decrypted but still compressed, for a consumer that decompresses it (ADR 28); every
         * chunk's authentication and the stored SHA-256 are checked as it is read.
         */
        public InputStream openCompressed(Artifact a) throws IOException {
            InputStream in = repository.destination().open(stored, a.file());
            return repository.pipeline().compressedReader(in, a.file(), a.storedSha256());
        }

        /**
         * The full container specs, environment included, from the encrypted {@code containers.json}
         * artifact (the manifest only has them with the environment masked).
         */
        public List<ContainerSpec> containerSpecs() {
            return encryptedList(CONTAINER_SPECS_ROLE, ContainerSpec[].class, "container specs").orElseThrow(() ->
                    new IntegrityException("Recovery point " + manifest.pointId() + " has no container specs artifact"));
        }

        /** The stack's user-defined networks as recorded; empty for points written before networks were recorded. */
        public List<NetworkSpec> networkSpecs() {
            return encryptedList(NETWORK_SPECS_ROLE, NetworkSpec[].class, "network specs").orElse(List.of());
        }

        /** The JSON array in the point's encrypted artifact of {@code role}; empty when the point has none. */
        private <T> java.util.Optional<List<T>> encryptedList(String role, Class<T[]> type, String what) {
            for (AssetRecord asset : manifest.assets()) {
                for (Artifact a : asset.artifacts()) {
                    if (role.equals(a.role())) {
                        try (InputStream in = open(a)) {
                            return java.util.Optional.of(List.of(ManifestCodec.mapper().readValue(in.readAllBytes(), type)));
                        } catch (IOException e) {
                            throw new IntegrityException(a.file() + ": cannot read the " + what + ": " + e.getMessage(), e);
                        }
                    }
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** The role of the artifact holding the stack's full container specs. */
    public static final String CONTAINER_SPECS_ROLE = "container-specs";

    /** The role of the artifact holding the stack's user-defined networks. */
    public static final String NETWORK_SPECS_ROLE = "network-specs";

    /** The point, opened: the caller closes it (which closes its repository's connections). */
    public Located locate(String pointId) {
        List<String> problems = new ArrayList<>();
        IntegrityException damaged = null;
        Set<String> tried = new HashSet<>();
        for (RecoveryPoint p : history.points().withId(pointId)) {
            tried.add(p.destination());
            Repository repo = null;
            try {
                repo = repositories.open(p.destination());
                Destination.StoredPoint sp = new Destination.StoredPoint(p.host(), p.stack(), p.id(), p.location(), p.createdAt());
                return new Located(repo, sp, repo.prove(sp, history.points().manifestSha256(p.id(), p.destination()).orElse(null))
                        .manifest());
            } catch (IntegrityException e) {
                damaged = damaged == null ? e : damaged;
                closeQuietly(repo);
            } catch (LifeboatException e) {
                problems.add(p.destination() + ": " + e.getMessage());
                closeQuietly(repo);
            } catch (RuntimeException e) {
                closeQuietly(repo);
                throw e;
            }
        }
        for (DestinationRecord d : history.destinations().all()) {
            if (tried.contains(d.name())) {
                continue;
            }
            Repository repo = null;
            try {
                repo = repositories.open(d);
                for (Destination.StoredPoint sp : repo.destination().list(null, null)) {
                    if (sp.id().equals(pointId)) {
                        return new Located(repo, sp, repo.manifest(sp));
                    }
                }
                closeQuietly(repo);
            } catch (IntegrityException e) {
                damaged = damaged == null ? e : damaged;
                closeQuietly(repo);
            } catch (LifeboatException | IOException e) {
                problems.add(d.name() + ": " + e.getMessage());
                closeQuietly(repo);
            } catch (RuntimeException e) {
                closeQuietly(repo);
                throw e;
            }
        }
        if (damaged != null) {
            throw damaged; // the point exists but no copy of it can be trusted
        }
        if (!problems.isEmpty()) {
            throw new LifeboatException("Recovery point " + pointId + " could not be opened: " + String.join("; ", problems));
        }
        throw new LifeboatException("No recovery point " + pointId + " in any destination; list them with 'lifeboat points'");
    }

    private static void closeQuietly(Repository repo) {
        if (repo != null) {
            repo.close();
        }
    }
}
