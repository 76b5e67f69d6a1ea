package dev.lifeboat.core.restore;

import dev.lifeboat.core.ConfirmationRequiredException;
import dev.lifeboat.core.model.Host;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfirmationPolicyTest {
    private final Host prod = new Host("db1", "unix:///var/run/docker.sock", true);
    private final Host staging = new Host("stage", "unix:///var/run/docker.sock", false);

    @Test
    void restoreRefusesProductionWithoutExactPhrase() {
        for (String typed : new String[] {null, "", "restore production", "RESTORE PRODUCTION ", " RESTORE PRODUCTION",
                "RESTORE  PRODUCTION", "yes"}) {
            assertFalse(ConfirmationPolicy.accepts(prod, typed), "accepted '" + typed + "'");
        }
        ConfirmationRequiredException e = assertThrows(ConfirmationRequiredException.class,
                () -> ConfirmationPolicy.require(prod, "yes"));
        assertTrue(e.getMessage().contains("RESTORE PRODUCTION") && e.getMessage().contains("db1"), e.getMessage());
    }

    @Test
    void restoreAcceptsProductionWithExactPhrase() {
        assertDoesNotThrow(() -> ConfirmationPolicy.require(prod, "RESTORE PRODUCTION"));
    }

    @Test
    void nonProductionHostsNeedNoPhrase() {
        assertTrue(ConfirmationPolicy.accepts(staging, null));
    }
}
