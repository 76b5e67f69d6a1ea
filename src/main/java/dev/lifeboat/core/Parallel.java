package dev.lifeboat.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Independent tasks side by side on a bounded pool of daemon threads, every one awaited: none runs on behind the
 * caller, also when the caller is interrupted (its tasks are then interrupted, and waited for to end).
 */
public final class Parallel {
    private Parallel() {
    }

    /** One task; it may read or write (I/O fails as {@link IOException}). */
    @FunctionalInterface
    public interface Task<T> {
        T call() throws IOException;
    }

    /**
     * How tasks ended: each one's result in the order given (null where it failed or never began), the first failure
     * with the later ones suppressed into it, and whether the caller was interrupted while it waited. Failures of
     * tasks that the caller's interrupt stopped, when nothing failed before it, are in {@code afterCancel}.
     */
    public record Outcomes<T>(List<T> results, Exception failure, boolean interrupted, List<Exception> afterCancel) {
    }

    /**
     * Runs {@code tasks} at most {@code threads} at once, in the order given, on threads named {@code name}, and
     * returns their results in that order. Every task runs to its end, also after one fails (removing what a sandbox
     * made, checking what it restored); then the first failure is thrown, the later ones suppressed into it.
     */
    public static <T> List<T> all(String name, int threads, List<Task<T>> tasks) throws IOException {
        return thrown(name, each(name, threads, tasks, false));
    }

    /**
     * As {@link #all}, for work a failure makes pointless (restoring beside what the run will then not swap in): the
     * first failure interrupts the tasks still running and cancels those not begun; once they have ended, it is
     * thrown, what they threw suppressed into it.
     */
    public static <T> List<T> untilOneFails(String name, int threads, List<Task<T>> tasks) throws IOException {
        return thrown(name, each(name, threads, tasks, true));
    }

    /**
     * Runs {@code task} on a thread of its own named {@code name} and waits for it to end, also when this thread is
     * interrupted meanwhile (the interrupt is kept for the caller, who stops at its next step). For short work a stop
     * must not cut off halfway: an exec whose connection an interrupt closes goes on in its container, and could
     * create a database after the cleanup that was to drop it.
     */
    public static <T> T toItsEnd(String name, Task<T> task) throws IOException {
        java.util.concurrent.FutureTask<T> work = new java.util.concurrent.FutureTask<>(task::call);
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return work.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new LifeboatException(String.valueOf(e.getCause()), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> List<T> thrown(String name, Outcomes<T> o) throws IOException {
        Exception first = o.failure();
        if (o.interrupted()) {
            Thread.currentThread().interrupt();
            InterruptedIOException cancel = new InterruptedIOException("interrupted while waiting for " + name);
            if (first != null) {
                cancel.addSuppressed(first);
            }
            o.afterCancel().forEach(cancel::addSuppressed);
            throw cancel;
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
        return o.results();
    }

    /**
     * Runs {@code tasks} as {@link #all} does ({@link #untilOneFails} when {@code stopOnFailure}) and returns how they
     * ended, throwing nothing: the caller decides, with what did end well at hand (to undo it, say). An interrupt of
     * the caller interrupts the tasks and waits for them; it is reported, and this thread's flag left clear.
     */
    public static <T> Outcomes<T> each(String name, int threads, List<Task<T>> tasks, boolean stopOnFailure) {
        if (tasks.isEmpty()) {
            return new Outcomes<>(List.of(), null, false, List.of());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<Integer> ended = new LinkedBlockingQueue<>();
        List<Future<T>> running = new ArrayList<>();
        for (int n = 0; n < tasks.size(); n++) {
            Task<T> task = tasks.get(n);
            int i = n;
            running.add(pool.submit(() -> {
                try {
                    return task.call();
                } finally {
                    ended.add(i);
                }
            }));
        }
        Collector<T> c = new Collector<>(running);
        boolean interrupted = false;
        try {
            for (int left = tasks.size(); left > 0; left--) {
                int i;
                try {
                    i = ended.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                    c.cancelled = true;
                    interrupted |= stop(pool);
                    break;
                }
                if (!c.collect(i) && stopOnFailure) {
                    interrupted |= stop(pool);
                    break;
                }
            }
            // after a stop every task has ended or was cancelled before it began: what they did is collected too
            for (int i = 0; i < running.size(); i++) {
                if (!c.collected[i] && running.get(i).isDone()) {
                    c.collect(i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        interrupted |= Thread.interrupted();
        Exception first = c.first(stopOnFailure);
        return new Outcomes<>(Collections.unmodifiableList(c.results), first, interrupted, c.afterCancel(first));
    }

    /** The outcomes of tasks as they end. */
    private static final class Collector<T> {
        private final List<Future<T>> running;
        private final List<T> results;
        private final boolean[] collected;
        private final Exception[] failures;
        private final boolean[] afterCancel;
        private int firstInTime = -1;
        private boolean cancelled;

        Collector(List<Future<T>> running) {
            this.running = running;
            this.results = new ArrayList<>(Collections.nCopies(running.size(), null));
            this.collected = new boolean[running.size()];
            this.failures = new Exception[running.size()];
            this.afterCancel = new boolean[running.size()];
        }

        /** Takes the outcome of task {@code i}, which has ended or has just returned; false when it failed. */
        boolean collect(int i) {
            collected[i] = true;
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        results.set(i, running.get(i).get());
                        return true;
                    } catch (InterruptedException e) {
                        interrupted = true; // its outcome is a moment away; the flag is kept for the caller
                    }
                }
            } catch (ExecutionException e) {
                failures[i] = e.getCause() instanceof Exception x ? x
                        : new LifeboatException(String.valueOf(e.getCause()), e.getCause());
                afterCancel[i] = cancelled;
                if (firstInTime < 0 && !cancelled) {
                    firstInTime = i;
                }
                return false;
            } catch (CancellationException notBegun) {
                return true; // cancelled before it began: it did nothing
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * The failure to report, the others suppressed into it: the one that stopped the rest where a failure stops them
         * (the others are what the stop did to them), else the first in the order given.
         */
        Exception first(boolean stopOnFailure) {
            int head = stopOnFailure ? firstInTime : -1;
            for (int i = 0; head < 0 && i < failures.length; i++) {
                if (failures[i] != null && !afterCancel[i]) {
                    head = i;
                }
            }
            if (head < 0) {
                return null;
            }
            for (int i = 0; i < failures.length; i++) {
                if (i != head && failures[i] != null && !afterCancel[i]) {
                    failures[head].addSuppressed(failures[i]);
                }
            }
            return failures[head];
        }

        /** Failures of tasks the caller's cancel stopped, when nothing had failed before it. */
        List<Exception> afterCancel(Exception first) {
            List<Exception> out = new ArrayList<>();
            for (int i = 0; i < failures.length; i++) {
                if (failures[i] != null && afterCancel[i]) {
                    if (first != null) {
                        first.addSuppressed(failures[i]);
                    } else {
                        out.add(failures[i]);
                    }
                }
            }
            return out;
        }
    }

    /**
     * Interrupts the pool's running tasks, cancels those it never began (their futures then end too) and waits for
     * the running ones to end. Returns whether this thread was interrupted meanwhile (its flag is left clear).
     */
    public static boolean stop(ExecutorService pool) {
        for (Runnable never : pool.shutdownNow()) {
            if (never instanceof Future<?> f) {
                f.cancel(false);
            }
        }
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(10, TimeUnit.MINUTES)) {
                    return interrupted;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }
}
