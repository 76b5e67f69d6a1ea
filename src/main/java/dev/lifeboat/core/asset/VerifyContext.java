package dev.lifeboat.core.asset;

import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.storage.PointLocator;

import java.util.Optional;

/**
 * What a kind's content check gets while a point is verified: the point, and the point's host when it
 * can be reached (connected on first use, once per verify), so a check can use the tools in the stack's
 * own containers (their versions match the data) and fall back to local ones.
 */
public interface VerifyContext {
    PointLocator.Located point();

    Optional<DockerEngine> host();
}
