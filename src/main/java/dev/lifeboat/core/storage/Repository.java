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

    private Repository(Destination destination, ArtifactPipeline pipeline) {
        this.destination = destination;
        this.pipeline = pipeline;
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
            new SftpDirectory(name, location, acceptHostKey, secrets).close(); // refuses unless the server's key is the accepted one
            location = SftpDirectory.pin(location, acceptHostKey);
        }
        Destination destination = destination(name, kind, location, secrets);
        try {
            var marker = destination.readRoot(MARKER);
            if (marker.isPresent()) {
                checkKey(name, markerKeyId(marker.get(), destination), key, ref);
            } else {
                destination.writeRoot(MARKER, ManifestCodec.mapper().writeValueAsBytes(Map.of("format", 1, "keyId", key.id())));
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
            case "local" -> new LocalDirectory(name, Path.of(location));
            case "s3" -> new S3Bucket(name, location, secrets);
            case "sftp" -> new SftpDirectory(name, location, null, secrets);
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
        try {
            checkKey(record.name(), markerKeyId(marker, destination), key, record.keyFile());
        } catch (RuntimeException e) {
            destination.close();
            throw e;
        }
        return new Repository(destination, new ArtifactPipeline(key));
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

    /** Reads a point's manifest and checks its signature against the repository key. */
    public Manifest manifest(Destination.StoredPoint point) {
        try {
            byte[] json = destination.read(point, LocalDirectory.MANIFEST);
            String signature = new String(destination.read(point, LocalDirectory.SIGNATURE), StandardCharsets.US_ASCII).trim();
            if (!MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                    sign(json).getBytes(StandardCharsets.US_ASCII))) {
                throw new IntegrityException("Recovery point " + point.id() + ": manifest signature does not match "
                        + "(the manifest was modified, or it was written with another key)");
            }
            return ManifestCodec.read(json, "Recovery point " + point.id());
        } catch (IOException e) {
            throw new IntegrityException("Recovery point " + point.id() + ": cannot read its manifest: " + e.getMessage(), e);
        }
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
