package dev.lifeboat.core.asset;

import dev.lifeboat.core.host.DockerGateway;

/** What a kind gets to describe a restore before it happens: the live host (read only), and the scope. */
public record PlanContext(DockerGateway docker, String hostName, RestoreScope scope) {
}
