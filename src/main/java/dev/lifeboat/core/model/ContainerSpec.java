package dev.lifeboat.core.model;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to recreate a container, as recorded from {@code docker inspect} at backup time.
 * {@code name} has no leading slash.
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
        boolean running) {

    /**
     * This spec with every environment value replaced by {@code ***}, for the plain-text manifest.
     * The full specs travel encrypted in the point's {@code containers.json} artifact.
     */
    public ContainerSpec redacted() {
        List<String> masked = env == null ? null
                : env.stream().map(e -> e.contains("=") ? e.substring(0, e.indexOf('=') + 1) + "***" : e).toList();
        return new ContainerSpec(name, image, imageId, cmd, entrypoint, masked, labels, user, workingDir, networkMode,
                restartPolicy, mounts, healthcheck, running);
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
}
