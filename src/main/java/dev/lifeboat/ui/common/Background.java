package dev.lifeboat.ui.common;

import dev.lifeboat.core.Progress;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a view model's work runs. In the console, on workers, shown in the jobs panel, with the result
 * handed to the FX thread ({@link Jobs}); in view-model tests, inline on the test's thread, so they need
 * no FX toolkit and no waiting.
 */
public interface Background {
    <T> void run(String name, Function<Progress, T> work, Consumer<T> done, Consumer<Throwable> failed);

    /**
     * As {@link #run}, for reading what a view shows (a dashboard, a timeline, a wizard's plan): it may show among
     * the running jobs, but its end is not announced; the view shows the result, or why there is none.
     */
    default <T> void load(String name, Function<Progress, T> work, Consumer<T> done, Consumer<Throwable> failed) {
        run(name, work, done, failed);
    }

    /** Runs the work and its continuation at once on the calling thread. */
    static Background inline() {
        return new Background() {
            @Override
            public <T> void run(String name, Function<Progress, T> work, Consumer<T> done, Consumer<Throwable> failed) {
                T result;
                try {
                    result = work.apply(Progress.NONE);
                } catch (RuntimeException e) {
                    failed.accept(e);
                    return;
                }
                done.accept(result);
            }
        };
    }
}
