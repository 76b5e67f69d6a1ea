package dev.lifeboat.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Independent tasks side by side on a bounded pool of daemon threads, every one awaited. */
public final class Parallel {
    private Parallel() {
    }

    /** One task; it may read or write (I/O fails as {@link IOException}). */
    @FunctionalInterface
    public interface Task<T> {
        T call() throws IOException;
    }

    /**
     * Runs {@code tasks} at most {@code threads} at once, in the order given, on threads named {@code name}, and
     * returns their results in that order. Every task is awaited, also after one fails; then the first failure is
     * thrown, the later ones suppressed into it.
     */
    public static <T> List<T> all(String name, int threads, List<Task<T>> tasks) throws IOException {
        if (tasks.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> running = new ArrayList<>();
            for (Task<T> task : tasks) {
                running.add(pool.submit(task::call));
            }
            List<T> results = new ArrayList<>();
            Exception first = null;
            for (Future<T> f : running) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception x ? x : new LifeboatException(String.valueOf(e.getCause()),
                            e.getCause());
                    if (first == null) {
                        first = cause;
                    } else {
                        first.addSuppressed(cause);
                    }
                    results.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for " + name);
                }
            }
            if (first instanceof IOException io) {
                throw io;
            }
            if (first instanceof RuntimeException re) {
                throw re;
            }
            if (first != null) {
                throw new LifeboatException(first.getMessage(), first);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
