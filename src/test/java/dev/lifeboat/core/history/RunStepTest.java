package dev.lifeboat.core.history;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which phases of a restore or drill keep the stack down. */
class RunStepTest {
    private static RunStep step(String name, long ms) {
        return new RunStep(name, ms, null, "ok", null);
    }

    @Test
    void theStackIsDownFromItsStopToHealthyAgainNotWhileCheckedOrBackedUp() {
        assertEquals(1 + 20 + 300 + 4 + 5, RunStep.downtimeMs(List.of(step("verify", 4000), step("safety backup", 9000),
                step("stop", 1), step("volumes", 20), step("databases", 300), step("start", 4), step("health", 5),
                step("post-restore checks", 600))));
        // a sandbox drill: its own set-up and removal, and the checks after, are not downtime
        assertEquals(300 + 7, RunStep.downtimeMs(List.of(step("assessment", 50), step("clean leftovers", 9),
                step("databases", 300), step("health", 7), step("verify", 80), step("remove sandbox", 40))));
        // an in-place drill's phases carry the restore's names; a restore to a moment's too
        assertEquals(2 + 900, RunStep.downtimeMs(List.of(step("restore verify", 70), step("restore safety backup", 500),
                step("restore stop", 2), step("restore ship WAL", 30), step("restore recover", 900))));
    }
}
