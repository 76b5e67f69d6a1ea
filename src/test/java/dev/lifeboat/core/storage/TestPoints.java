package dev.lifeboat.core.storage;

import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.PointIds;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.secrets.Secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Genuine (signed, bound to their repository) points without artifacts, for retention tests on a local destination. */
public final class TestPoints {
    private TestPoints() {
    }

    public static void write(Path destRoot, Path keyFile, String host, String stack, String id) throws IOException {
        RepositoryKey key = RepositoryKey.resolve(keyFile.toString(), Secrets.NONE);
        String repositoryId = ManifestCodec.mapper().readTree(destRoot.resolve(Repository.MARKER).toFile())
                .path("repositoryId").asText();
        Instant at = PointIds.startedAt(id).orElseThrow();
        byte[] json = ManifestCodec.write(new Manifest(Manifest.FORMAT, id, host, stack, at, at, key.id(), "test", List.of(),
                List.of(), List.of(), Map.of()).boundTo(repositoryId, null));
        Path dir = destRoot.resolve(host).resolve(stack).resolve(id);
        Files.createDirectories(dir);
        Files.write(dir.resolve("manifest.json"), json);
        Files.writeString(dir.resolve("manifest.sig"), key.sign(json));
    }
}
