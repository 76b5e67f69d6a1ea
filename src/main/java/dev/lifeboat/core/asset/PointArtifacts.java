package dev.lifeboat.core.asset;

import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.pipeline.ArtifactDigest;
import dev.lifeboat.core.pipeline.ArtifactPipeline;
import dev.lifeboat.core.storage.PointWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;

/** Writes the artifacts of one recovery point through the pipeline; safe for concurrent assets. */
public final class PointArtifacts {
    /** Produces an artifact's plaintext into the stream it is given. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream plain) throws IOException;
    }

    private final PointWriter writer;
    private final ArtifactPipeline pipeline;
    private final Set<String> names = new HashSet<>();

    public PointArtifacts(PointWriter writer, ArtifactPipeline pipeline) {
        this.writer = writer;
        this.pipeline = pipeline;
    }

    public Artifact write(String baseName, String role, String database, Body body) throws IOException {
        String file = uniqueName(baseName);
        ArtifactPipeline.Writer plain = pipeline.writer(writer.create(file));
        try (plain) {
            body.writeTo(plain);
        }
        ArtifactDigest d = plain.digest();
        return new Artifact(file, role, database, d.plainBytes(), d.plainSha256(), d.storedBytes(), d.storedSha256(),
                ArtifactPipeline.COMPRESSION, ArtifactPipeline.ENCRYPTION);
    }

    private synchronized String uniqueName(String baseName) {
        String safe = baseName.replaceAll("[^A-Za-z0-9_.-]", "_");
        String candidate = safe + ".lbe";
        for (int i = 2; !names.add(candidate); i++) {
            candidate = safe + "-" + i + ".lbe";
        }
        return candidate;
    }
}
