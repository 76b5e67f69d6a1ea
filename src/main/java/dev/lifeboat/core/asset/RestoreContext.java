package dev.lifeboat.core.asset;

import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a kind's restore gets from the run: the host, the point (its manifest and artifacts, each
 * checked as it streams), the scope, the target (in place or a sandbox, with its name mapping), and the
 * containers as they are to be created.
 */
public interface RestoreContext {
    /** How long a restored server may take to accept connections. */
    Duration READY_TIMEOUT = Duration.ofMinutes(3);

    DockerEngine docker();

    Manifest manifest();

    RestoreScope scope();

    RestoreTarget target();

    /** The plaintext of one of the point's artifacts; hashes and authentication are checked as it is read. */
    InputStream open(Artifact artifact) throws IOException;

    /**
     * The artifact's zstd frames, decrypted, for a consumer that decompresses them where the data goes (ADR 28):
     * every chunk's authentication and the stored SHA-256 are checked as it is read, the content's checksums by
     * the decompressor.
     */
    InputStream openCompressed(Artifact artifact) throws IOException;

    /** The containers as they are created on the target (sandbox names, mounts and labels). */
    List<ContainerSpec> containers();

    /** The target's spec of the recorded container {@code recorded}. */
    ContainerSpec spec(String recorded);

    /** Creates the container (its networks and volumes first) unless it exists. */
    void ensureCreated(ContainerSpec spec);

    /** The image reference chosen for a container: the recorded id when its tag has moved. */
    String image(ContainerSpec spec);

    /** Marks a container this phase restored into: it is started and awaited at the end even in a partial restore. */
    void touched(String container);

    /** Labels for a helper container: the target's plus the run's, so a killed run's helpers are found and removed. */
    Map<String, String> helperLabels();

    /** Whether what a restore replaces must be kept beside it (no safety point holds it). */
    boolean keepReplaced();

    String runId();

    /** The target's names of the containers {@code assets} were recorded in (each a server kind's own container). */
    default java.util.Set<String> containersOf(List<dev.lifeboat.core.model.AssetRecord> assets) {
        return assets.stream().map(a -> target().container(a.container())).collect(java.util.stream.Collectors.toSet());
    }
}
