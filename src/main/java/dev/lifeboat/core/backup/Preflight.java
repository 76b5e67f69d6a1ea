package dev.lifeboat.core.backup;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.Stack;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before any work starts, that a backup can succeed: each asset's kind says what it needs (the
 * database containers up, their tools there and the credentials working, the config directory present
 * on the host). Every failure is collected, so the admin sees all of them at once.
 */
public final class Preflight {
    private final DockerEngine docker;
    private final AssetKinds kinds;

    public Preflight(DockerEngine docker, AssetKinds kinds) {
        this.docker = docker;
        this.kinds = kinds;
    }

    /** The problems found; empty when the backup can go ahead. */
    public List<String> problems(Stack stack) {
        List<String> problems = new ArrayList<>();
        for (Asset a : stack.assets()) {
            problems.addAll(kinds.of(a).preflight(docker, a, stack));
        }
        return problems;
    }

    /** Throws one error listing every problem, or returns when there is none. */
    public void require(Stack stack) {
        List<String> problems = problems(stack);
        if (!problems.isEmpty()) {
            throw new LifeboatException("Backup of " + stack.host() + "/" + stack.name() + " not started: "
                    + String.join("; ", problems));
        }
    }
}
