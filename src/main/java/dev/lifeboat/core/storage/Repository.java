package dev.lifeboat.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.pipeline.ArtifactPipeline;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.secrets.Secrets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * A destination opened with its key: the pipeline to write and read artifacts, and the signed
 * manifests. A marker file at the destination's root records the id of the key it was created with,
 * so a wrong key file is refused before anything is written or read.
 */
public final class Repository implements AutoCloseable {
    static final String MARKER = "lifeboat-repository.json";
    private final Destination destination;
    private final ArtifactPipeline pipeline;
    private final String id;

    /** Why this machine may not delete or rewrite here (an append-only destination it does not own), or null. */
    private String appendOnly;

    private Repository(Destination destination, ArtifactPipeline pipeline, String id) {
        this.destination = destination;
        this.pipeline = pipeline;
        this.id = id;
    }

    /**
     * This repository's id: random, made when the repository was created, kept in its marker file with
     * a MAC under the key. Every manifest written here names it, so a manifest replayed from another
     * destination (even one with the same key) is refused.
     */
    public String id() {
        return id;
    }

    /** The marker of a repository with {@code id} for {@code key}: format, key id, repository id and their MAC. */
    private static byte[] marker(RepositoryKey key, String id) throws IOException {
        return ManifestCodec.mapper().writeValueAsBytes(Map.of("format", 2, "keyId", key.id(), "repositoryId", id,
                "mac", key.sign(markerBytes(key.id(), id))));
    }

    private static byte[] markerBytes(String keyId, String repositoryId) {
        return ("lifeboat repository\n" + keyId + "\n" + repositoryId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The repository id from the marker, checked against its MAC; a marker written before ids existed is
     * given one now. A marker whose id or MAC was changed is refused.
     */
    private static String repositoryId(byte[] marker, Destination where, RepositoryKey key) throws IOException {
        JsonNode node = ManifestCodec.mapper().readTree(marker);
        String id = node.path("repositoryId").asText("");
        if (id.isEmpty()) {
            String fresh = java.util.UUID.randomUUID().toString();
            where.writeRoot(MARKER, marker(key, fresh));
            return fresh;
        }
        String mac = node.path("mac").asText("");
        if (!MessageDigest.isEqual(mac.getBytes(StandardCharsets.US_ASCII),
                key.sign(markerBytes(key.id(), id)).getBytes(StandardCharsets.US_ASCII))) {
            throw new IntegrityException(where.describe() + ": " + MARKER + " was changed by someone without the key"
                    + " (its repository id does not carry a valid MAC); nothing here is trusted");
        }
        return id;
    }

    /** Registers a directory as a repository for the key in {@code keyFile}, or checks that it already is one for it. */
    public static DestinationRecord initialiseLocal(String name, Path dir, Path keyFile) {
        return initialise(name, "local", dir.toAbsolutePath().normalize().toString(), keyFile.toString(), null, Secrets.NONE);
    }

    /**
     * Registers any kind of destination ("local": a directory; "s3": an s3:// location; "sftp": an
     * sftp:// location) for the key {@code keyRef} (a key file's path, or {@code secret:NAME}), or checks
     * that it already is one for that key. For SFTP, {@code acceptHostKey} is the fingerprint the admin
     * accepted on first contact; it is pinned into the stored location.
     */
    public static DestinationRecord initialise(String name, String kind, String location, String keyRef,
                                               String acceptHostKey, Secrets secrets) {
        String ref = Secrets.isReference(keyRef) ? keyRef : Path.of(keyRef).toAbsolutePath().normalize().toString();
        RepositoryKey key = RepositoryKey.resolve(ref, secrets);
        if ("sftp".equals(kind) && !location.contains("hostKey=")) {
            StagedDirectory.sftp(name, location, acceptHostKey, secrets).close(); // refuses unless the server's key is the accepted one
            location = SftpTree.pin(location, acceptHostKey);
        }
        Destination destination = destination(name, kind, location, secrets);
        try {
            var marker = destination.readRoot(MARKER);
            if (marker.isPresent()) {
                checkKey(name, markerKeyId(marker.get(), destination), key, ref);
            } else {
                destination.writeRoot(MARKER, marker(key, java.util.UUID.randomUUID().toString()));
            }
        } catch (IOException e) {
            throw new LifeboatException("Cannot use " + destination.describe() + " as a destination: " + e.getMessage(), e);
        } finally {
            destination.close();
        }
        return new DestinationRecord(name, kind, location, ref, key.id());
    }

    static Destination destination(String name, String kind, String location, Secrets secrets) {
        return switch (kind) {
            case "local" -> StagedDirectory.local(name, Path.of(location));
            case "s3" -> new S3Bucket(name, location, secrets);
            case "sftp" -> StagedDirectory.sftp(name, location, null, secrets);
            default -> throw new LifeboatException("Destination " + name + ": kind " + kind + " is not supported");
        };
    }

    public static Repository open(DestinationRecord record, Secrets secrets) {
        RepositoryKey key = RepositoryKey.resolve(record.keyFile(), secrets);
        Destination destination = destination(record.name(), record.kind(), record.location(), secrets);
        byte[] marker;
        try {
            marker = destination.readRoot(MARKER).orElseThrow(() -> new LifeboatException("Destination " + record.name()
                    + ": " + destination.describe() + " is not a Lifeboat repository (no " + MARKER + ")"));
        } catch (IOException e) {
            destination.close();
            throw new LifeboatException("Destination " + record.name() + ": " + destination.describe()
                    + " is not reachable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            destination.close();
            throw e;
        }
        String id;
        try {
            checkKey(record.name(), markerKeyId(marker, destination), key, record.keyFile());
            if (!record.removableHere() && ManifestCodec.mapper().readTree(marker).path("repositoryId").asText("").isEmpty()) {
                throw new LifeboatException("Destination " + record.name() + ": its marker predates repository ids and must"
                        + " be rewritten once, but " + record.appendOnlyReason() + ". Open it once from that machine");
            }
            id = repositoryId(marker, destination, key);
        } catch (IOException e) {
            destination.close();
            throw new LifeboatException("Destination " + record.name() + ": " + destination.describe()
                    + " cannot be opened: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            destination.close();
            throw e;
        }
        Repository repository = new Repository(destination, new ArtifactPipeline(key), id);
        repository.appendOnly = record.removableHere() ? null : record.appendOnlyReason();
        return repository;
    }

    /** Whether this machine may delete or rewrite what this repository holds (not an append-only destination it does not own). */
    public boolean removable() {
        return appendOnly == null;
    }

    /** Refuses, saying why, when this machine may not delete or rewrite here. */
    public void requireRemovable(String what) {
        if (appendOnly != null) {
            throw new LifeboatException("Refusing to " + what + ": " + appendOnly);
        }
    }

    private static String markerKeyId(byte[] marker, Destination where) {
        try {
            JsonNode node = ManifestCodec.mapper().readTree(marker);
            return node.path("keyId").asText();
        } catch (IOException e) {
            throw new LifeboatException("Cannot read " + MARKER + " of " + where.describe() + ": " + e.getMessage(), e);
        }
    }

    private static void checkKey(String name, String expected, RepositoryKey key, String keyRef) {
        if (!expected.equals(key.id())) {
            throw new LifeboatException((Secrets.isReference(keyRef) ? "Key " : "Key file ") + keyRef
                    + " does not open destination " + name
                    + " (key id " + key.id() + ", the repository expects " + expected + ")");
        }
    }

    @Override
    public void close() {
        destination.close();
    }

    public Destination destination() {
        return destination;
    }

    public ArtifactPipeline pipeline() {
        return pipeline;
    }

    public String sign(byte[] manifest) {
        return pipeline.key().sign(manifest);
    }

    /** A manifest that proved its signature and its identity, with the SHA-256 of its bytes. */
    public record Proven(Manifest manifest, String sha256) {
    }

    /** Reads a point's manifest and checks its signature and its identity (see {@link #prove}). */
    public Manifest manifest(Destination.StoredPoint point) {
        return prove(point, null).manifest();
    }

    /**
     * Reads a point's manifest and proves it is this point's: its signature under the repository key,
     * then the point id, host and stack it names against where it was found, and the repository it names
     * against this one (format 2); and, when the history knows the point ({@code expectedSha256}), the
     * bytes' SHA-256. A manifest copied over another point, or replayed from another stack or
     * destination, is refused with both identities named.
     */
    public Proven prove(Destination.StoredPoint point, String expectedSha256) {
        byte[] json;
        try {
            json = destination.read(point, StagedDirectory.MANIFEST);
            String signature = new String(destination.read(point, StagedDirectory.SIGNATURE), StandardCharsets.US_ASCII).trim();
            if (!MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                    sign(json).getBytes(StandardCharsets.US_ASCII))) {
                throw new IntegrityException("Recovery point " + point.id() + ": manifest signature does not match "
                        + "(the manifest was modified, or it was written with another key)");
            }
        } catch (IOException e) {
            throw new IntegrityException("Recovery point " + point.id() + ": cannot read its manifest: " + e.getMessage(), e);
        }
        Manifest m = ManifestCodec.read(json, "Recovery point " + point.id());
        String where = point.host() + "/" + point.stack() + "/" + point.id() + " on " + destination.name();
        if (!point.id().equals(m.pointId())) {
            throw new IntegrityException("Recovery point " + point.id() + " holds the manifest of point " + m.pointId()
                    + " (" + where + "): one point was passed off as another; refusing it");
        }
        if ((point.host() != null && !point.host().equals(m.host())) || (point.stack() != null && !point.stack().equals(m.stack()))) {
            throw new IntegrityException("Recovery point " + point.id() + " at " + where + " holds a manifest of "
                    + m.host() + "/" + m.stack() + " (replayed from another stack); refusing it");
        }
        if (m.repositoryId() != null && !m.repositoryId().equals(id)) {
            throw new IntegrityException("Recovery point " + point.id() + " at " + where + " was written to repository "
                    + m.repositoryId() + ", not this one (" + id + "): replayed from another destination; refusing it");
        }
        String sha = sha256(json);
        if (expectedSha256 != null && !expectedSha256.equals(sha)) {
            throw new IntegrityException("Recovery point " + point.id() + " at " + where + ": its manifest is not the one"
                    + " this history recorded when it was written (SHA-256 " + sha.substring(0, 12) + "…, recorded "
                    + expectedSha256.substring(0, Math.min(12, expectedSha256.length())) + "…); refusing it");
        }
        return new Proven(m, sha);
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
