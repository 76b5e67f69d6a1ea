package dev.lifeboat.core;

import java.util.concurrent.Callable;

/** Runs test work as another machine: what it opens meanwhile records that name ({@code lifeboat.machine}). */
public final class AsMachine {
    private AsMachine() {
    }

    public static <T> T run(String name, Callable<T> work) throws Exception {
        String was = System.getProperty("lifeboat.machine");
        System.setProperty("lifeboat.machine", name);
        try {
            return work.call();
        } finally {
            if (was == null) {
                System.clearProperty("lifeboat.machine");
            } else {
                System.setProperty("lifeboat.machine", was);
            }
        }
    }
}
