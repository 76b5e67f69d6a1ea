package dev.lifeboat.core.restore;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.AssetRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestoreScopeTest {
    private static AssetRecord asset(String kind, String name) {
        return new AssetRecord(kind, name, "c", 0, List.of(), null, null, null, Map.of());
    }

    @Test
    void scopesSelectAssetsDatabasesAndTables() {
        RestoreScope table = new RestoreScope(List.of("postgres:shop.orders"));
        assertTrue(table.includes(asset("postgres", "postgres:db")));
        assertFalse(table.includes(asset("redis", "redis:cache")));
        assertFalse(table.includes(asset("volume", "volume:uploads")));
        assertTrue(table.includesDatabase("shop"));
        assertFalse(table.includesDatabase("analytics"));
        assertEquals("public.orders", table.table("shop"));
        assertEquals("audit.log", new RestoreScope(List.of("postgres:shop.audit.log")).table("shop"));
        assertNull(new RestoreScope(List.of("postgres:shop")).table("shop"));

        RestoreScope mixed = new RestoreScope(List.of("redis", "volume:uploads"));
        assertTrue(mixed.includes(asset("redis", "redis:cache")));
        assertTrue(mixed.includes(asset("volume", "volume:uploads")));
        assertFalse(mixed.includes(asset("volume", "volume:pgdata")));
        assertFalse(mixed.includes(asset("config", "config")));
        assertFalse(mixed.everything());
        assertTrue(RestoreScope.ALL.everything() && RestoreScope.ALL.includesDatabase("any"));
        assertThrows(LifeboatException.class, () -> new RestoreScope(List.of("mysql:x")));
    }

    @Test
    void theExpectedTimeFollowsTheRestoresClosestInSize() {
        assertNull(RestorePlan.estimate(List.of(), 1000));
        // 1 ms per KB for small restores, 0.5 ms per KB for big ones: a big point is estimated from the big ones
        List<long[]> past = List.of(new long[] {1_000_000, 1000}, new long[] {2_000_000, 2000},
                new long[] {1_000_000_000, 500_000}, new long[] {2_000_000_000, 1_000_000});
        assertEquals(750_000, RestorePlan.estimate(past, 1_500_000_000L));
        assertEquals(1500, RestorePlan.estimate(past.subList(0, 2), 1_500_000));
    }

    @Test
    void aScopeMatchingNothingInThePointIsRefusedWithWhatItHolds() {
        var dump = new dev.lifeboat.core.model.Artifact("pg-shop.lbe", "pg-dump", "shop", 1, "a", 1, "b", "zstd", "aes");
        AssetRecord pg = new AssetRecord("postgres", "postgres:db", "db", 0, List.of(dump),
                Map.of("shop.public.orders", 5L), null, null, Map.of());
        var m = new dev.lifeboat.core.model.Manifest(1, "p1", "h", "s", null, null, "k", "v", List.of(), List.of(),
                List.of(pg, asset("volume", "volume:uploads"), asset("redis", "redis:cache")), Map.of());
        new RestoreScope(List.of("postgres:shop", "volume:uploads", "redis", "postgres:shop.orders")).requireMatches(m);
        LifeboatException e = assertThrows(LifeboatException.class,
                () -> new RestoreScope(List.of("postgres:shpo", "volume:uplods")).requireMatches(m));
        assertTrue(e.getMessage().contains("postgres:shpo, volume:uplods"), e.getMessage());
        assertTrue(e.getMessage().contains("postgres:shop, volume:uploads, redis"), e.getMessage());
        assertThrows(LifeboatException.class, () -> new RestoreScope(List.of("postgres:shop.nosuch")).requireMatches(m));
        assertThrows(LifeboatException.class, () -> new RestoreScope(List.of("config")).requireMatches(m));
    }
}
