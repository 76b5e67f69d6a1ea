package dev.lifeboat.core.host;

import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.NetworkSpec;
import dev.lifeboat.core.model.VolumeSpec;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The Docker Engine of one host, as Lifeboat uses it: containers, images, volumes and networks by name,
 * exec and archive streams, waiting for readiness. {@link DockerGateway} is the real one (docker-java,
 * over the local socket or SSH); tests use an in-memory engine to check ordering, rollback, scope and
 * sandbox naming without a daemon. Failures are {@link dev.lifeboat.core.HostException}s naming the
 * host and the operation.
 */
public interface DockerEngine extends AutoCloseable {
    /** The host this engine belongs to. */
    Host host();

    /** The SSH tunnel for SSH hosts (for SFTP), or null for the local engine. */
    SshTunnel tunnel();

    /** The engine's version; fails with a clear message when the engine does not answer. */
    String serverVersion();

    /** All containers (running or not) carrying the label {@code key}, optionally with {@code value}. */
    List<ContainerSpec> containersLabelled(String key, String value);

    /** All containers (running or not) that mount the named volume, whatever stack they belong to. */
    List<ContainerSpec> containersUsingVolume(String volume);

    /** Whether the engine has this image locally (nothing is pulled). */
    boolean hasImage(String image);

    Optional<ContainerSpec> inspect(String nameOrId);

    /** The id of an image reference (tag or id) on this host, or empty when the host does not have it. */
    Optional<String> imageId(String ref);

    /** A network as recorded for a point; empty when it does not exist. */
    Optional<NetworkSpec> network(String name);

    /**
     * Creates a network from its record. When the recorded subnet is taken by a network made since, and no
     * container asked for a fixed address on it, Docker picks the subnet, as it did when compose made it.
     */
    void createNetwork(NetworkSpec spec, boolean fixedAddresses);

    void removeNetwork(String name);

    /** Names of the networks carrying label {@code key=value}. */
    List<String> networksLabelled(String key, String value);

    /**
     * Runs {@code cmd} inside a running container; stdin (may be null) is streamed in and closed,
     * stdout is streamed to {@code stdout}. Returns the exit code and the start of stderr.
     */
    ExecResult exec(String container, List<String> cmd, List<String> env, InputStream stdin, OutputStream stdout);

    /** Runs a short command and returns its stdout as text; a non-zero exit is an error naming stderr. */
    String execText(String container, List<String> env, String... cmd);

    /** A tar stream of {@code path} in the container (running or not), as the Engine API's archive endpoint gives it. */
    InputStream readArchive(String container, String path);

    /** Extracts a tar stream into {@code dir} of the container (running or not). Ownership in the tar is kept. */
    void writeArchive(String container, String dir, InputStream tar);

    Optional<VolumeSpec> volume(String name);

    void createVolume(VolumeSpec spec);

    void removeVolume(String name);

    List<String> volumesLabelled(String key, String value);

    /**
     * Creates (but does not start) a container from a recorded spec: from its whole recorded engine
     * configuration when the point has it (ports, networks with aliases, limits and all), with
     * {@code spec.image()} as the image; else from the spec's fields.
     */
    void createContainer(ContainerSpec spec);

    /**
     * Creates a stopped helper container from {@code image} with the given volumes mounted at
     * /lifeboat/&lt;volume&gt;; it is never started: the archive endpoint works on stopped containers.
     */
    String createHelper(String image, String name, Map<String, String> labels, List<String> volumes, boolean readOnly);

    /**
     * Moves the entries of directory {@code from} of volume {@code volume} into directory {@code to} of the same
     * volume (made if missing), by rename, never a copy: data set aside stays on the volume's filesystem and
     * comes back as fast. Paths are relative to the volume's root ("" is the root); {@code to} itself and the
     * entries named in {@code keep} stay where they are. Links are moved as links, never followed; a
     * {@code from} or {@code to} that is a link is refused. A helper from {@code image}, labelled
     * {@code labels}, does it and is removed afterwards.
     */
    void moveWithinVolume(String image, Map<String, String> labels, String volume, String from, String to, List<String> keep);

    /**
     * Makes the directory {@code dir} (one name, at the root of volume {@code volume}) for data Lifeboat stages
     * there: owned like the root, mode 700. Refuses when the name exists already (a link included).
     */
    void makeDirWithinVolume(String image, Map<String, String> labels, String volume, String dir);

    /**
     * Swaps the data staged in {@code staged} (a directory at the root of volume {@code volume}) in for the
     * root's entries: those move into the new directory {@code aside}, then the staged entries move to the
     * root and the emptied {@code staged} is removed. Renames only, never a copy; Lifeboat's own entries at
     * the root ({@code .lifeboat-*}) stay where they are; links are moved as links. Refuses, changing nothing,
     * when {@code staged} is missing or a link, or {@code aside} exists.
     */
    void swapIntoVolumeRoot(String image, Map<String, String> labels, String volume, String staged, String aside);

    /** The bytes free for writing on the filesystem that holds volume {@code volume}, as a helper from {@code image} sees it. */
    long freeBytesInVolume(String image, Map<String, String> labels, String volume);

    /**
     * Swaps entries of one directory of volume {@code volume} by rename: each of {@code names} that exists in
     * {@code dir} (relative to the volume's root, "" for the root) moves into the new directory {@code aside} at
     * the root, and the entry of the same name in the directory {@code staged} at the root, if there is one,
     * takes its place; {@code staged} is then removed. Refuses, changing nothing, when {@code staged} is missing
     * or a link, {@code aside} exists, or {@code dir} is reached through a link.
     */
    void swapFilesWithinVolume(String image, Map<String, String> labels, String volume, String dir, List<String> names,
                               String staged, String aside);

    /** Removes {@code dir} (one name at the root of volume {@code volume}) and all below it; a link is removed, never followed. */
    void removeWithinVolume(String image, Map<String, String> labels, String volume, String dir);

    void start(String container);

    void stop(String container, int timeoutSeconds);

    void remove(String container);

    /**
     * Waits until the container is healthy (when it has a healthcheck) and {@code probe} passes.
     * Fails fast when the container stops. "unhealthy" is not final in Docker (the checks go on, and a
     * database still starting or recovering becomes healthy later): it is waited out like "starting",
     * and named, with the healthcheck's last output, if the time runs out.
     */
    void awaitReady(String container, Duration timeout, BooleanSupplier probe);

    /** Waits until the container has exited on its own. */
    void awaitStopped(String container, Duration timeout);

    @Override
    void close();
}
