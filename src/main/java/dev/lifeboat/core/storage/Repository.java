package dev.lifeboat.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.pipeline.ArtifactPipeline;
import dev.lifeboat.core.pipeline.RepositoryKey;

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
public final class Repository {
    static final String MARKER = "lifeboat-repository.json";
    private final Destination destination;
    private final ArtifactPipeline pipeline;

    private Repository(Destination destination, ArtifactPipeline pipeline) {
        this.destination = destination;
        this.pipeline = pipeline;
    }

    /** Registers a directory as a repository for {@code key}, or checks that it already is one for it. */
    public static DestinationRecord initialiseLocal(String name, Path dir, Path keyFile) {
        RepositoryKey key = RepositoryKey.load(keyFile);
        Path root = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            Path marker = root.resolve(MARKER);
            if (Files.exists(marker)) {
                checkKey(name, readMarkerKeyId(marker), key, keyFile);
            } else {
                Path tmp = root.resolve("." + MARKER + ".tmp");
                try (OutputStream out = LocalDirectory.durableFile(tmp)) {
                    out.write(ManifestCodec.mapper().writeValueAsBytes(Map.of("format", 1, "keyId", key.id())));
                }
                Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                LocalDirectory.fsyncDirectory(root);
            }
        } catch (IOException e) {
            throw new LifeboatException("Cannot use " + root + " as a destination: " + e.getMessage(), e);
        }
        return new DestinationRecord(name, "local", root.toString(), keyFile.toAbsolutePath().normalize().toString(),
                key.id());
    }

    public static Repository open(DestinationRecord record) {
        if (!"local".equals(record.kind())) {
            throw new LifeboatException("Destination " + record.name() + ": kind " + record.kind() + " is not supported yet");
        }
        RepositoryKey key = RepositoryKey.load(Path.of(record.keyFile()));
        Path root = Path.of(record.location());
        Path marker = root.resolve(MARKER);
        if (!Files.exists(marker)) {
            throw new LifeboatException("Destination " + record.name() + ": " + root
                    + " is not reachable or not a Lifeboat repository (no " + MARKER + ")");
        }
        checkKey(record.name(), readMarkerKeyId(marker), key, Path.of(record.keyFile()));
        return new Repository(new LocalDirectory(record.name(), root), new ArtifactPipeline(key));
    }

    private static String readMarkerKeyId(Path marker) {
        try {
            JsonNode node = ManifestCodec.mapper().readTree(Files.readAllBytes(marker));
            return node.path("keyId").asText();
        } catch (IOException e) {
            throw new LifeboatException("Cannot read " + marker + ": " + e.getMessage(), e);
        }
    }

    private static void checkKey(String name, String expected, RepositoryKey key, Path keyFile) {
        if (!expected.equals(key.id())) {
            throw new LifeboatException("Key file " + keyFile + " does not open destination " + name
                    + " (key id " + key.id() + ", the repository expects " + expected + ")");
        }
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
