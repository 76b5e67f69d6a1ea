package dev.lifeboat.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The name of the machine Lifeboat runs on, as an append-only destination's owner is named: the
 * {@code lifeboat.machine} system property or the {@code LIFEBOAT_MACHINE} variable where set (for a
 * machine whose hostname changes, such as a container), else the hostname.
 */
public final class Machine {
    private Machine() {
    }

    public static String name() {
        String set = System.getProperty("lifeboat.machine");
        if (set == null || set.isBlank()) {
            set = System.getenv("LIFEBOAT_MACHINE");
        }
        if (set != null && !set.isBlank()) {
            return set.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            try {
                return Files.readString(Path.of("/etc/hostname")).trim();
            } catch (IOException unreadable) {
                return "localhost";
            }
        }
    }
}
