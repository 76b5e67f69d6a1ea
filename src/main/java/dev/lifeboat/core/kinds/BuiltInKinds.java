package dev.lifeboat.core.kinds;

import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.kinds.config.ConfigKind;
import dev.lifeboat.core.kinds.postgres.PostgresKind;
import dev.lifeboat.core.kinds.redis.RedisKind;
import dev.lifeboat.core.kinds.volume.VolumeKind;

import java.util.List;

/**
 * The kinds Lifeboat ships with, in discovery order: the database servers first (their data volumes are
 * covered by their dumps), then the volumes nothing covers, then the config files.
 */
public final class BuiltInKinds {
    private BuiltInKinds() {
    }

    public static AssetKinds all() {
        return new AssetKinds(List.of(new PostgresKind(), new RedisKind(), new VolumeKind(), new ConfigKind()));
    }
}
