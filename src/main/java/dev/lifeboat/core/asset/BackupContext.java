package dev.lifeboat.core.asset;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Stack;

/**
 * What a kind's backup of one asset gets: the host, the stack as discovered, the point's artifact
 * writer (pipeline included), progress, the hold for containers it stops, and the run id that labels
 * its helper containers.
 */
public record BackupContext(DockerEngine docker, Stack stack, PointArtifacts out, Progress progress, ContainerHold hold,
                            String runId) {
    /** The discovered spec of one of the stack's containers. */
    public ContainerSpec container(String name) {
        return stack.containers().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new LifeboatException("Stack " + stack.name() + " has no container " + name));
    }
}
