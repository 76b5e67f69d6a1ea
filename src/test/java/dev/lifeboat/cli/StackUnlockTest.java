package dev.lifeboat.cli;

import dev.lifeboat.core.history.HistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code stack unlock}: the admin's way out of a lock a gone run or a gone machine left behind. */
class StackUnlockTest {
    @TempDir
    Path home;

    private int run(StringWriter out, StringWriter err, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all, new PrintWriter(out), new PrintWriter(err));
    }

    private void lockAs(String machine, String owner) throws Exception {
        dev.lifeboat.core.AsMachine.run(machine, () -> {
            try (HistoryStore h = HistoryStore.open(home)) {
                assertTrue(h.locks().tryLock("db1", "shop", owner).isEmpty());
            }
            return null;
        });
    }

    @Test
    void aLockHeldOnAnotherMachineIsRemovedOnlyWithForceAndTheAuditSaysWhose() throws Exception {
        lockAs("app-2", "backup r1");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(1, run(out, err, "stack", "unlock", "db1/shop"));
        assertTrue(err.toString().contains("on app-2") && err.toString().contains("--force"), err.toString());
        try (HistoryStore h = HistoryStore.open(home)) {
            assertTrue(h.locks().of("db1", "shop").isPresent(), "refused: the lock stays");
        }

        assertEquals(0, run(out, err, "stack", "unlock", "db1/shop", "--force"), err.toString());
        try (HistoryStore h = HistoryStore.open(home)) {
            assertTrue(h.locks().of("db1", "shop").isEmpty());
            assertTrue(h.runs().auditEvents(5).stream().anyMatch(e -> e.action().equals("stack-unlock") && e.detail().contains("app-2")));
        }
    }

    @Test
    void aLockOfALiveProcessHereIsNeverRemoved() throws Exception {
        lockAs(System.getProperty("lifeboat.machine", dev.lifeboat.core.Machine.name()), "restore r2"); // this test's own pid
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(1, run(out, err, "stack", "unlock", "db1/shop", "--force"));
        assertTrue(err.toString().contains("still running"), err.toString());
    }
}
