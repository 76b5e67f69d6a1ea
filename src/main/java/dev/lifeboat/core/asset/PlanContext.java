package dev.lifeboat.core.asset;

import dev.lifeboat.core.host.DockerEngine;

/** What a kind gets to describe a restore before it happens: the live host (read only), and the scope. */
public record PlanContext(DockerEngine docker, String hostName, RestoreScope scope) {
}
