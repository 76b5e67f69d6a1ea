package dev.lifeboat.core.pitr;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WalShippingTest {
    @Test
    void theNextSegmentFollowsOnItsTimelineAcrossALogFile() {
        assertEquals("000000010000000000000004", WalShipping.next("000000010000000000000003"));
        assertEquals("0000000200000001000000A0", WalShipping.next("00000002000000010000009F"));
        assertEquals("000000010000000200000000", WalShipping.next("0000000100000001000000FF"));
        assertEquals("", WalShipping.next("00000002.history"));
        assertEquals("0000000100000001000000FF", WalShipping.previous("000000010000000200000000"));
        assertEquals("000000010000000000000003", WalShipping.previous("000000010000000000000004"));
    }

    @Test
    void aSlotNameIsLowerCaseLettersDigitsAndUnderscoresAtMost63() {
        assertEquals("lifeboat_shop_db_1", WalShipping.slotName("shop-db-1"));
        assertEquals("lifeboat_my_app_postgres", WalShipping.slotName("My.App-Postgres"));
        assertEquals(63, WalShipping.slotName("x".repeat(100)).length());
    }
}
