package dev.lifeboat.core.kinds;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.kinds.postgres.PostgresKind;
import dev.lifeboat.core.model.AssetRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --only} through the registry: each kind decides what an entry selects and what it must match. */
class RestoreScopeTest {
    private final AssetKinds kinds = BuiltInKinds.all();

    private static AssetRecord asset(String kind, String name) {
        return new AssetRecord(kind, name, "c", 0, List.of(), null, null, null, Map.of());
    }

    @Test
    void scopesSelectAssetsDatabasesAndTables() {
        RestoreScope table = kinds.scope(List.of("postgres:shop.orders"));
        assertTrue(kinds.selects(table, asset("postgres", "postgres:db")));
        assertFalse(kinds.selects(table, asset("redis", "redis:cache")));
        assertFalse(kinds.selects(table, asset("volume", "volume:uploads")));
        assertTrue(PostgresKind.includesDatabase(table, "shop"));
        assertFalse(PostgresKind.includesDatabase(table, "analytics"));
        assertEquals("public.orders", PostgresKind.table(table, "shop"));
        assertEquals("audit.log", PostgresKind.table(kinds.scope(List.of("postgres:shop.audit.log")), "shop"));
        assertNull(PostgresKind.table(kinds.scope(List.of("postgres:shop")), "shop"));
        assertTrue(PostgresKind.includesDatabase(kinds.scope(List.of("postgres")), "any"));

        RestoreScope mixed = kinds.scope(List.of("redis", "volume:uploads"));
        assertTrue(kinds.selects(mixed, asset("redis", "redis:cache")));
        assertTrue(kinds.selects(mixed, asset("volume", "volume:uploads")));
        assertFalse(kinds.selects(mixed, asset("volume", "volume:pgdata")));
        assertFalse(kinds.selects(mixed, asset("config", "config")));
        assertFalse(mixed.everything());
        assertTrue(RestoreScope.ALL.everything() && PostgresKind.includesDatabase(RestoreScope.ALL, "any"));
        assertFalse(kinds.selects(RestoreScope.ALL, asset(AssetKinds.STACK, "stack")), "the stack record is no asset");
        LifeboatException unknown = assertThrows(LifeboatException.class, () -> kinds.scope(List.of("mysql:x")));
        assertTrue(unknown.getMessage().contains("postgres[:DB[.TABLE]], redis, volume:NAME or config"), unknown.getMessage());
    }

    @Test
    void aScopeMatchingNothingInThePointIsRefusedWithWhatItHolds() {
        var dump = new dev.lifeboat.core.model.Artifact("pg-shop.lbe", "pg-dump", "shop", 1, "a", 1, "b", "zstd", "aes");
        AssetRecord pg = new AssetRecord("postgres", "postgres:db", "db", 0, List.of(dump),
                Map.of("shop.public.orders", 5L), null, null, Map.of());
        var m = new dev.lifeboat.core.model.Manifest(1, "p1", "h", "s", null, null, "k", "v", List.of(), List.of(),
                List.of(pg, asset("volume", "volume:uploads"), asset("redis", "redis:cache")), Map.of());
        kinds.requireMatches(kinds.scope(List.of("postgres:shop", "volume:uploads", "redis", "postgres:shop.orders")), m);
        LifeboatException e = assertThrows(LifeboatException.class,
                () -> kinds.requireMatches(kinds.scope(List.of("postgres:shpo", "volume:uplods")), m));
        assertTrue(e.getMessage().contains("postgres:shpo, volume:uplods"), e.getMessage());
        assertTrue(e.getMessage().contains("postgres:shop, volume:uploads, redis"), e.getMessage());
        assertThrows(LifeboatException.class, () -> kinds.requireMatches(kinds.scope(List.of("postgres:shop.nosuch")), m));
        assertThrows(LifeboatException.class, () -> kinds.requireMatches(kinds.scope(List.of("config")), m));
    }

    @Test
    void aPointHoldingAKindThisLifeboatDoesNotKnowIsRefusedBeforeAnythingIsTouched() {
        var m = new dev.lifeboat.core.model.Manifest(1, "p1", "h", "s", null, null, "k", "v", List.of(), List.of(),
                List.of(asset(AssetKinds.STACK, "stack"), asset("volume", "volume:uploads"), asset("mysql", "mysql:db")),
                Map.of());
        LifeboatException e = assertThrows(LifeboatException.class, () -> kinds.requireKnown(m));
        assertTrue(e.getMessage().contains("mysql:db (mysql)") && e.getMessage().contains("nothing was changed"),
                e.getMessage());
        assertEquals(List.of("volume", "postgres"), kinds.inScope(new dev.lifeboat.core.model.Manifest(1, "p1", "h", "s",
                null, null, "k", "v", List.of(), List.of(), List.of(asset("postgres", "postgres:db"),
                asset("volume", "volume:v")), Map.of()), RestoreScope.ALL).keySet().stream().map(k -> k.id()).toList(),
                "volumes are restored before the databases, whatever the manifest's order");
    }

    @Test
    void kindIdsAreUniqueAndPlain() {
        assertThrows(IllegalArgumentException.class, () -> kinds.with(new PostgresKind()));
    }
}
