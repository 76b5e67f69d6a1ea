package dev.lifeboat.core.backup;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.Stack;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssetSelectionTest {
    private final Stack stack = new Stack("h", "shop", List.of(), List.of(), List.of(
            new Asset.PostgresInstance("shop-db", "postgres", List.of("shop"), List.of("shop_pg")),
            new Asset.RedisInstance("shop-cache", "/data", "dump.rdb", false, List.of()),
            new Asset.DockerVolume("shop_uploads", List.of("shop-app"), List.of("shop-app")),
            new Asset.ConfigFiles("/srv/shop", List.of("compose.yaml"))));

    @Test
    void noSelectionMeansEveryAsset() {
        assertSame(stack, BackupService.selected(stack, List.of()));
    }

    @Test
    void aSelectionKeepsOnlyTheChosenAssetsInStackOrder() {
        Stack s = BackupService.selected(stack, List.of("config", "postgres:shop-db"));
        assertEquals(List.of("postgres:shop-db", "config"), s.assets().stream().map(Asset::name).toList());
    }

    @Test
    void aChosenAssetTheStackNoLongerHasFailsTheRunNamingIt() {
        var e = assertThrows(LifeboatException.class, () -> BackupService.selected(stack, List.of("volume:gone")));
        assertTrue(e.getMessage().contains("volume:gone") && e.getMessage().contains("volume:shop_uploads"), e.getMessage());
    }
}
