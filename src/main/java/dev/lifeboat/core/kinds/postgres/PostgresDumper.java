package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.asset.PointArtifacts;
import dev.lifeboat.core.HostException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dumps a PostgreSQL server with its own tools inside its container: {@code pg_dumpall --globals-only}
 * for roles, then {@code pg_dump -Fc -Z0} per database (uncompressed: the pipeline's zstd does that
 * faster and in parallel), streamed straight into the pipeline.
 */
public final class PostgresDumper {
    private final DockerEngine docker;

    public PostgresDumper(DockerEngine docker) {
        this.docker = docker;
    }

    public AssetRecord backup(Asset.PostgresInstance asset, ContainerSpec spec, PointArtifacts out) throws IOException {
        long start = System.nanoTime();
        PostgresClient pg = new PostgresClient(docker, spec);
        List<String> databases = pg.databases();
        List<Artifact> artifacts = new ArrayList<>();
        Map<String, Long> rowCounts = new LinkedHashMap<>();
        String prefix = "postgres-" + asset.container();
        artifacts.add(out.write(prefix + "-globals.sql", PostgresKind.GLOBALS_ROLE, null,
                plain -> check(pg.run(List.of("pg_dumpall", "--globals-only"), null, plain), "pg_dumpall", asset)));
        for (String db : databases) {
            pg.rowCounts(db).forEach((table, n) -> rowCounts.put(db + "." + table, n));
            artifacts.add(out.write(prefix + "-" + db + ".pgdump", PostgresKind.DUMP_ROLE, db,
                    plain -> check(pg.run(List.of("pg_dump", "-Fc", "-Z0", "-d", PostgresClient.conninfo(db)), null, plain), "pg_dump " + db, asset)));
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("superuser", pg.superuser());
        details.put("databases", String.join(",", databases));
        details.put("toolVersion", pg.version());
        return new AssetRecord("postgres", asset.name(), asset.container(), (System.nanoTime() - start) / 1_000_000,
                artifacts, rowCounts, null, null, details);
    }

    private static void check(ExecResult r, String what, Asset.PostgresInstance asset) {
        if (!r.ok()) {
            throw new HostException(what + " in container " + asset.container() + " exited with " + r.exitCode() + ": "
                    + r.stderr().trim());
        }
    }
}
