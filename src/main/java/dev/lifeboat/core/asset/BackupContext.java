package dev.lifeboat.core.asset;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Stack;

/**
 * What a kind's backup of one asset gets: the host, the stack as discovered, the point's artifact
 * writer (pipeline included), progress, the hold for containers it stops, the run id that labels
 * its helper containers, and the assets that ship their WAL (point-in-time recovery, ADR 24): those
 * also take a physical base backup, which their WAL rolls forward.
 */
public record BackupContext(DockerEngine docker, Stack stack, PointArtifacts out, Progress progress, ContainerHold hold,
                            String runId, java.util.Set<String> walShipping) {
    /** The discovered spec of one of the stack's containers. */
    public ContainerSpec container(String name) {
        return stack.containers().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new LifeboatException("Stack " + stack.name() + " has no container " + name));
    }
}
