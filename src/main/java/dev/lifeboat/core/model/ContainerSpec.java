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
