package dev.lifeboat.core.restore;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.history.RunStep;

import java.io.IOException;
import java.util.List;

/** Times named phases into run steps, reporting each as it starts. */
public final class PhaseTimer {
    private final List<RunStep> steps;
    private final Progress progress;
    private final String what;

    public PhaseTimer(List<RunStep> steps, Progress progress, String what) {
        this.steps = steps;
        this.progress = progress;
        this.what = what;
    }

    public interface Body<T> {
        T run() throws IOException;
    }

    public List<RunStep> steps() {
        return steps;
    }

    /** A phase's result as its step's detail: a text as it is; what was staged beside, as each stage says it. */
    private static String detail(Object result) {
        if (result instanceof String s) {
            return s;
        }
        if (result instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof dev.lifeboat.core.asset.Staged)) {
            return l.stream().map(x -> ((dev.lifeboat.core.asset.Staged) x).describe()).collect(java.util.stream.Collectors.joining("; "));
        }
        return null;
    }

    public <T> T run(String name, Body<T> body) {
        progress.phase(name, what + ": " + name);
        long t = System.nanoTime();
        try {
            T result = body.run();
            steps.add(new RunStep(name, (System.nanoTime() - t) / 1_000_000, null, "ok", detail(result)));
            return result;
        } catch (IOException e) {
            steps.add(new RunStep(name, (System.nanoTime() - t) / 1_000_000, null, "failed", e.getMessage()));
            throw new LifeboatException(what + " phase '" + name + "' failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            steps.add(new RunStep(name, (System.nanoTime() - t) / 1_000_000, null, "failed", e.getMessage()));
            throw e;
        }
    }
}
