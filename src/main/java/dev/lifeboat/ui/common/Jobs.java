package dev.lifeboat.ui.common;

import dev.lifeboat.core.Progress;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one list of running work (backups, restores, tests, drills). Core services run on the
 * executor, never on the FX thread; their progress callbacks are moved onto the FX thread here. A job
 * can be cancelled: its thread is interrupted, and the core cleans up (no partial point is listed).
 */
public final class Jobs implements Background {
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
    private final ExecutorService executor;
    private final ObservableList<Job> running = FXCollections.observableArrayList();

    public Jobs(ExecutorService executor) {
        this.executor = executor;
    }

    public ObservableList<Job> running() {
        return running;
    }

    /** How a job of the panel ended, told on the FX thread before its own callback runs. */
    public record Ended(String name, boolean ok, boolean cancelled, long elapsedMs, String message) {
    }

    private Consumer<Ended> onEnded = e -> { };

    /** Who hears of every job of the panel that ends (the console's notifications). */
    public void setOnEnded(Consumer<Ended> listener) {
        this.onEnded = listener == null ? e -> { } : listener;
    }

    private void ended(Job job, boolean ok, String message) {
        if (!job.announced) {
            return; // a load: its view shows what came of it
        }
        try {
            onEnded.accept(new Ended(job.name, ok, job.cancelled.get(), System.currentTimeMillis() - job.startedAt, message));
        } catch (RuntimeException e) {
            LOG.warn("Telling that job '{}' ended failed: {}", job.name, e.getMessage(), e);
        }
    }

    @Override
    public <T> void run(String name, Function<Progress, T> work, Consumer<T> done, Consumer<Throwable> failed) {
        submit(name, work, done, failed);
    }

    /** Starts {@code work} in the background; {@code done} or {@code failed} run on the FX thread. */
    public <T> Job submit(String name, Function<Progress, T> work, Consumer<T> done, Consumer<Throwable> failed) {
        return submit(name, null, work, done, failed);
    }

    /** As {@link #submit}, for a load: shown among the running jobs while it runs, its end not announced. */
    @Override
    public <T> void load(String name, Function<Progress, T> work, Consumer<T> done, Consumer<Throwable> failed) {
        start(name, null, work, done, failed, false);
    }

    /**
     * As above, with how long such work usually takes, for the panel's progress bar and estimate:
     * {@code expected} is asked on the worker (it reads the history; null when unknown), never on the
     * FX thread.
     */
    public <T> Job submit(String name, java.util.function.Supplier<java.time.Duration> expected, Function<Progress, T> work,
                          Consumer<T> done, Consumer<Throwable> failed) {
        return start(name, expected, work, done, failed, true);
    }

    private <T> Job start(String name, java.util.function.Supplier<java.time.Duration> expected, Function<Progress, T> work,
                          Consumer<T> done, Consumer<Throwable> failed, boolean announced) {
        Job job = new Job(name, announced);
        running.add(job);
        Progress progress = (phase, message) -> Platform.runLater(() -> job.phase.set(message));
        Runnable task = () -> {
            try {
                if (expected != null) {
                    try {
                        job.expect(expected.get());
                    } catch (RuntimeException e) {
                        LOG.debug("No estimate for '{}': {}", name, e.getMessage());
                    }
                }
                T result = work.apply(progress);
                Platform.runLater(() -> {
                    running.remove(job);
                    ended(job, true, null);
                    done.accept(result);
                });
            } catch (RuntimeException e) {
                LOG.info("Job '{}' failed: {}", name, e.getMessage(), e);
                Platform.runLater(() -> {
                    running.remove(job);
                    ended(job, false, e.getMessage());
                    failed.accept(job.cancelled.get() ? new java.util.concurrent.CancellationException("Cancelled: "
                            + e.getMessage()) : e);
                });
            }
        };
        try {
            job.future = executor.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the callback of work that ended while the window closed: nothing runs any more
            running.remove(job);
            LOG.debug("Job '{}' not started: the console is closing", name);
        }
        return job;
    }

    /**
     * Reads something for a window (the history, a file) on a worker, not in the jobs panel: {@code done}
     * or {@code failed} then run on the FX thread. The FX thread never waits for the history.
     */
    public <T> void read(java.util.function.Supplier<T> work, Consumer<T> done, Consumer<Throwable> failed) {
        try {
            executor.submit(() -> {
                try {
                    T result = work.get();
                    Platform.runLater(() -> done.accept(result));
                } catch (RuntimeException e) {
                    LOG.info("Reading for the console failed: {}", e.getMessage(), e);
                    Platform.runLater(() -> failed.accept(e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("Read not started: the console is closing");
        }
    }

    /** One running job, observed by the jobs panel. */
    public static final class Job {
        private final String name;
        private final long startedAt = System.currentTimeMillis();
        private final ReadOnlyStringWrapper phase = new ReadOnlyStringWrapper("Starting…");
        private final ReadOnlyBooleanWrapper cancelled = new ReadOnlyBooleanWrapper(false);
        private final ReadOnlyLongWrapper elapsed = new ReadOnlyLongWrapper(0);
        private final javafx.beans.property.ReadOnlyDoubleWrapper progress =
                new javafx.beans.property.ReadOnlyDoubleWrapper(javafx.scene.control.ProgressIndicator.INDETERMINATE_PROGRESS);
        private volatile java.time.Duration expected;
        private volatile Future<?> future;

        /** Whether its end is told (a notice); a load's is not. */
        private final boolean announced;

        Job(String name, boolean announced) {
            this.name = name;
            this.announced = announced;
        }

        private final javafx.beans.property.ReadOnlyObjectWrapper<java.time.Duration> expectedShown =
                new javafx.beans.property.ReadOnlyObjectWrapper<>();

        /** Called on the worker once the estimate is known: the panel shows it when it arrives. */
        private void expect(java.time.Duration d) {
            java.time.Duration e = d == null || d.isZero() ? null : d;
            expected = e;
            Platform.runLater(() -> expectedShown.set(e));
        }

        /** How long it should take, or null when nothing like it ran before (or it is still being asked). */
        public java.time.Duration expected() {
            return expected;
        }

        /** The estimate for the FX thread: null until the worker has asked the history, and when there is none. */
        public javafx.beans.property.ReadOnlyObjectProperty<java.time.Duration> expectedProperty() {
            return expectedShown.getReadOnlyProperty();
        }

        /** Elapsed against the estimate, held below 1 until the work ends; indeterminate without an estimate. */
        public javafx.beans.property.ReadOnlyDoubleProperty progressProperty() {
            return progress.getReadOnlyProperty();
        }

        public String name() {
            return name;
        }

        public long startedAt() {
            return startedAt;
        }

        public ReadOnlyStringProperty phaseProperty() {
            return phase.getReadOnlyProperty();
        }

        public ReadOnlyBooleanProperty cancelledProperty() {
            return cancelled.getReadOnlyProperty();
        }

        public ReadOnlyLongProperty elapsedProperty() {
            return elapsed.getReadOnlyProperty();
        }

        void tick() {
            long ms = System.currentTimeMillis() - startedAt;
            elapsed.set(ms / 1000);
            java.time.Duration e = expected;
            if (e != null) {
                progress.set(Math.min(0.99, ms / (double) e.toMillis()));
            }
        }

        public void cancel() {
            cancelled.set(true);
            phase.set("Cancelling…");
            if (future != null) {
                future.cancel(true);
            }
        }
    }

    /** Called once a second on the FX thread by the panel, to move the elapsed times on. */
    public void tick() {
        running.forEach(Job::tick);
    }
}
