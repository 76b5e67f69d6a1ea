package dev.lifeboat.core.model;

import java.util.List;

/**
 * Something in a stack that holds data and gets its own artifacts in a recovery point. Each asset
 * belongs to one kind ({@code dev.lifeboat.core.asset.AssetKind}), which backs it up, restores,
 * verifies and checks it; the four built-in kinds' assets are the records below, a plug-in kind brings
 * its own.
 */
public interface Asset {
    /** The id of the kind that handles it, as the manifest names it: {@code postgres}, {@code volume}, ... */
    String kind();

    /** A short stable name, unique within a stack, for example {@code postgres:db} or {@code volume:uploads}. */
    String name();

    /** What an admin recognises it by: databases, data file, mounts, directory. */
    String describe();

    /** The named volumes this asset's backup already covers, so no other asset archives them as files. */
    default List<String> coveredVolumes() {
        return List.of();
    }

    /** A PostgreSQL server in a container: all its non-template databases plus the globals (roles). */
    record PostgresInstance(String container, String superuser, List<String> databases, List<String> dataVolumes)
            implements Asset {
        public String kind() {
            return "postgres";
        }

        public String name() {
            return "postgres:" + container;
        }

        public List<String> coveredVolumes() {
            return dataVolumes;
        }

        public String describe() {
            return "databases " + databases();
        }
    }

    /** A Redis server in a container, backed up as an RDB snapshot. */
    record RedisInstance(String container, String dataDir, String dbFilename, boolean appendOnly, List<String> dataVolumes)
            implements Asset {
        public String kind() {
            return "redis";
        }

        public String name() {
            return "redis:" + container;
        }

        public List<String> coveredVolumes() {
            return dataVolumes;
        }

        public String describe() {
            return dataDir + "/" + dbFilename + (appendOnly ? " (AOF on)" : "");
        }
    }

    /** A named volume, archived as a tar; {@code stopContainers} are stopped while it is read. */
    record DockerVolume(String volume, List<String> mountedBy, List<String> stopContainers) implements Asset {
        public String kind() {
            return "volume";
        }

        public String name() {
            return "volume:" + volume;
        }

        public List<String> coveredVolumes() {
            return List.of(volume);
        }

        public String describe() {
            return "mounted by " + mountedBy + (stopContainers.isEmpty() ? "" : ", stops " + stopContainers);
        }
    }

    /** The files on the host the stack came from: compose file, .env, certificates. */
    record ConfigFiles(String directory, List<String> composeFiles) implements Asset {
        public String kind() {
            return "config";
        }

        public String name() {
            return "config";
        }

        public String describe() {
            return directory;
        }
    }
}
