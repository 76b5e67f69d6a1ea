package dev.lifeboat.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything needed to recreate a container, as recorded from {@code docker inspect} at backup time.
 * {@code name} has no leading slash.
 *
 * <p>{@code engine} is the container's whole configuration as the Engine API gave it: {@code Id},
 * {@code Config}, {@code HostConfig} and {@code Networks} (each network's endpoint settings, aliases
 * included). Restore creates the container from it, so ports, networks, capabilities, limits, logging
 * and the rest come back as they ran. It is null in points written before it was recorded; those are
 * recreated from the fields above.
 */
public record ContainerSpec(
        String name,
        String image,
        String imageId,
        List<String> cmd,
        List<String> entrypoint,
        List<String> env,
        Map<String, String> labels,
        String user,
        String workingDir,
        String networkMode,
        String restartPolicy,
        List<MountSpec> mounts,
        HealthSpec healthcheck,
        boolean running,
        JsonNode engine) {

    public ContainerSpec {
        // a spec recorded without the engine's record reads back as JSON null: the same as none
        engine = engine == null || engine.isNull() || engine.isMissingNode() ? null : engine;
    }

    /** Docker's own default stop timeout, used when the container sets none. */
    public static final int DEFAULT_STOP_TIMEOUT = 10;

    /** Labels the plain manifest keeps: they name the stack and the service, nothing else. */
    private static final Set<String> PLAIN_LABELS = Set.of("com.docker.compose.project", "com.docker.compose.service",
            "lifeboat.kind");

    public ContainerSpec(String name, String image, String imageId, List<String> cmd, List<String> entrypoint,
                         List<String> env, Map<String, String> labels, String user, String workingDir, String networkMode,
                         String restartPolicy, List<MountSpec> mounts, HealthSpec healthcheck, boolean running) {
        this(name, image, imageId, cmd, entrypoint, env, labels, user, workingDir, networkMode, restartPolicy, mounts,
                healthcheck, running, null);
    }

    /**
     * This spec as the plain-text manifest holds it: name, image, mounts and state, and only the labels
     * that name the stack and service. Command, entrypoint, environment, other labels and the
     * healthcheck can carry secrets ({@code redis-server --requirepass X}, a basic-auth label); they
     * travel only in the point's encrypted {@code containers.json} artifact.
     */
    public ContainerSpec redacted() {
        Map<String, String> kept = new LinkedHashMap<>();
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (PLAIN_LABELS.contains(k)) {
                    kept.put(k, v);
                }
            });
        }
        return new ContainerSpec(name, image, imageId, null, null, null, kept, null, null, networkMode, null, mounts, null,
                running, null);
    }

    /** This spec with another image reference (the recorded id when the tag has moved). */
    public ContainerSpec withImage(String ref) {
        return new ContainerSpec(name, ref, imageId, cmd, entrypoint, env, labels, user, workingDir, networkMode,
                restartPolicy, mounts, healthcheck, running, engine);
    }

    public String label(String key) {
        return labels == null ? null : labels.get(key);
    }

    public String envValue(String key) {
        if (env == null) {
            return null;
        }
        for (String e : env) {
            if (e.startsWith(key + "=")) {
                return e.substring(key.length() + 1);
            }
        }
        return null;
    }

    /** Seconds Docker waits after the stop signal: the container's own {@code StopTimeout} (compose's stop_grace_period). */
    public int stopTimeout() {
        if (engine != null) {
            JsonNode t = engine.path("Config").path("StopTimeout");
            if (t.isNumber() && t.asInt() >= 0) {
                return t.asInt();
            }
        }
        return DEFAULT_STOP_TIMEOUT;
    }

    /** The user-defined networks the container is attached to, with their endpoint settings. */
    public Map<String, JsonNode> networks() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (engine != null && engine.path("Networks").isObject()) {
            engine.path("Networks").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** A deep copy of the engine record, for targets that change it. */
    public ObjectNode engineCopy() {
        return engine == null ? null : ((ObjectNode) engine).deepCopy();
    }
}
