package dev.lifeboat.core.asset;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.storage.PointLocator;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a kind's checks of a restored asset get: the host, the point, the restored containers and the scope. */
public record CheckContext(DockerEngine docker, PointLocator.Located point, List<ContainerSpec> containers,
                           RestoreTarget target, StackSettings settings, RestoreScope scope, String runId) {
    public Manifest manifest() {
        return point.manifest();
    }

    public InputStream open(Artifact artifact) throws IOException {
        return point.open(artifact);
    }

    /** The restored container standing for the recorded {@code recorded}. */
    public ContainerSpec spec(String recorded) {
        String name = target.container(recorded);
        return containers.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new LifeboatException("no restored container for " + recorded));
    }

    public Map<String, String> helperLabels() {
        Map<String, String> labels = new HashMap<>(target.labels());
        labels.put(Helpers.LABEL, runId);
        return labels;
    }
}
