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
}
