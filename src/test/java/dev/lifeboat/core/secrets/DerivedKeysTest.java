package dev.lifeboat.core.secrets;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DerivedKeysTest {
    private final List<String> derived = new ArrayList<>();
    private final DerivedKeys keys = new DerivedKeys(2, (pw, salt, iterations) -> {
        derived.add(new String(pw) + "/" + salt[0] + "/" + iterations);
        return SecretStore.derive(pw, salt, 1000);
    });

    @Test
    void aKeyIsDerivedOncePerPasswordSaltAndIterations() {
        byte[] first = keys.derive("hunter2".toCharArray(), new byte[]{1}, 600_000);
        byte[] again = keys.derive("hunter2".toCharArray(), new byte[]{1}, 600_000);
        assertArrayEquals(first, again);
        assertEquals(List.of("hunter2/1/600000"), derived);
        // any other password, salt or count is derived anew: a wrong password never gets a right key
        byte[] wrong = keys.derive("hunter3".toCharArray(), new byte[]{1}, 600_000);
        keys.derive("hunter2".toCharArray(), new byte[]{2}, 600_000);
        keys.derive("hunter2".toCharArray(), new byte[]{2}, 700_000);
        assertEquals(4, derived.size());
        assertFalse(java.util.Arrays.equals(first, wrong));
    }

    @Test
    void theCallerGetsACopyAndTheLeastRecentlyUsedGoesFirst() {
        byte[] first = keys.derive("a".toCharArray(), new byte[]{1}, 1);
        java.util.Arrays.fill(first, (byte) 0); // the caller wipes its copy
        byte[] again = keys.derive("a".toCharArray(), new byte[]{1}, 1);
        assertFalse(java.util.Arrays.equals(first, again), "a wiped copy does not wipe the kept key");
        keys.derive("b".toCharArray(), new byte[]{1}, 1);
        keys.derive("a".toCharArray(), new byte[]{1}, 1); // a is now the most recently used
        keys.derive("c".toCharArray(), new byte[]{1}, 1); // capacity 2: b goes
        keys.derive("a".toCharArray(), new byte[]{1}, 1);
        keys.derive("b".toCharArray(), new byte[]{1}, 1);
        assertEquals(List.of("a/1/1", "b/1/1", "c/1/1", "b/1/1"), derived);
    }
}
