package dev.lifeboat.core.asset;

import dev.lifeboat.core.LifeboatException;

import java.util.List;

/** A pre-backup probe: runs a check and, when it fails, adds one line naming the problem and the cause. */
@FunctionalInterface
public interface Probe {
    Object run();

    static void check(List<String> problems, String message, Probe probe) {
        try {
            probe.run();
        } catch (LifeboatException e) {
            problems.add(message + " (" + e.getMessage().replaceAll("\\s+", " ").trim() + ")");
        }
    }
}
