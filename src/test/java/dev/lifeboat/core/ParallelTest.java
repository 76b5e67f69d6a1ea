package dev.lifeboat.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {
    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IOException("the other task never ran alongside");
            }
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
    }

    @Test
    void resultsComeInTheOrderGivenAndTasksRunSideBySide() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        List<Parallel.Task<String>> tasks = List.of(() -> {
            both.countDown();
            await(both); // returns only when the second runs at the same time
            return "a";
        }, () -> {
            both.countDown();
            await(both);
            return "b";
        });
        assertEquals(List.of("a", "b"), Parallel.all("test", 2, tasks));
    }

    @Test
    void aFailureIsThrownOnlyOnceEveryTaskEndedWithTheLaterOnesSuppressed() {
        AtomicBoolean slowEnded = new AtomicBoolean();
        CountDownLatch failed = new CountDownLatch(1);
        List<Parallel.Task<String>> tasks = List.of(() -> {
            failed.countDown();
            throw new IOException("first");
        }, () -> {
            await(failed); // ends after the first one failed
            slowEnded.set(true);
            return "slow";
        }, () -> {
            throw new IllegalStateException("third");
        });
        IOException e = assertThrows(IOException.class, () -> Parallel.all("test", 3, tasks));
        assertEquals("first", e.getMessage());
        assertTrue(slowEnded.get(), "every task was awaited");
        assertEquals("third", e.getSuppressed()[0].getMessage());
    }

    @Test
    void whenOneFailsTheOthersAreStoppedAndAwaitedAndItsFailureIsTheOneThrown() {
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicBoolean ended = new AtomicBoolean();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        List<Parallel.Task<String>> tasks = List.of(() -> {
            waiting.countDown();
            try {
                never.await(20, java.util.concurrent.TimeUnit.SECONDS); // only a stop ends it early
                return "ran to its end";
            } catch (InterruptedException e) {
                stopped.set(true);
                throw new java.io.InterruptedIOException("stopped");
            } finally {
                ended.set(true);
            }
        }, () -> {
            await(waiting);
            throw new IOException("damaged");
        }, () -> "never needed");
        IOException e = assertThrows(IOException.class, () -> Parallel.untilOneFails("test", 2, tasks));
        assertEquals("damaged", e.getMessage(), "the failure that stopped the others, not what the stop did to them");
        assertTrue(stopped.get(), "the task still running was interrupted");
        assertTrue(ended.get(), "and awaited");
        assertEquals("stopped", e.getSuppressed()[0].getMessage());
    }

    @Test
    void aCallerInterruptedWhileWaitingStopsItsTasksAndReturnsOnlyOnceTheyEnded() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cleaningUp = new CountDownLatch(1);
        CountDownLatch mayEnd = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        AtomicBoolean endedWhenItReturned = new AtomicBoolean();
        AtomicBoolean flagSetAfter = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        List<Parallel.Task<String>> tasks = List.of(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(20, java.util.concurrent.TimeUnit.SECONDS);
                return "not interrupted";
            } catch (InterruptedException e) {
                cleaningUp.countDown(); // as a stage removes what it made: the caller must not go on meanwhile
                try {
                    mayEnd.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
                ended.set(true);
                throw new java.io.InterruptedIOException("stopped");
            }
        });
        Thread caller = new Thread(() -> {
            try {
                Parallel.all("test", 1, tasks);
            } catch (Throwable t) {
                thrown.set(t);
            }
            endedWhenItReturned.set(ended.get());
            flagSetAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertTrue(running.await(20, java.util.concurrent.TimeUnit.SECONDS));
        caller.interrupt();
        assertTrue(cleaningUp.await(20, java.util.concurrent.TimeUnit.SECONDS), "the task was interrupted");
        caller.join(500);
        assertTrue(caller.isAlive(), "the caller waits while its task still cleans up");
        mayEnd.countDown();
        caller.join(20_000);
        assertTrue(endedWhenItReturned.get(), "it returned only after its task ended");
        assertTrue(thrown.get() instanceof java.io.InterruptedIOException, String.valueOf(thrown.get()));
        assertTrue(flagSetAfter.get(), "the cancel reaches the caller's caller");
    }

    @Test
    void aCleanupRunsEveryStepWithTheInterruptFlagClearAndSetsItAgain() {
        IOException failure = new IOException("stopped");
        List<Boolean> flagDuringSteps = new java.util.ArrayList<>();
        Thread.currentThread().interrupt();
        try {
            Cleanup.after(failure, () -> {
                flagDuringSteps.add(Thread.currentThread().isInterrupted());
                throw new IllegalStateException("first step failed");
            }, () -> flagDuringSteps.add(Thread.currentThread().isInterrupted()));
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is set again for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(false, false), flagDuringSteps, "both steps ran, without the flag");
        assertEquals("first step failed", failure.getSuppressed()[0].getMessage());
    }
}
