package dev.lifeboat.core.kinds.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a server is the one to restore into, against a real PostgreSQL 15. The official image's entrypoint, on a new
 * data directory, first runs a server on the socket alone (listen_addresses empty on its command line), then stops it
 * with every session and starts the real one: a restore that began on the first was cut off. That first server
 * answers queries on the same socket, so answering is not enough; here the first process of "the container" (this
 * machine's) is not a server, as while an entrypoint still runs.
 */
class PostgresReadinessTest {
    @TempDir
    Path tmp;

    @Test
    void aServerAnEntrypointRunsWhileItInitializesIsNotReady() throws Exception {
        try (LocalPostgres server = new LocalPostgres(tmp, true)) {
            assertFalse(server.client().readyWithin(1), "it answers, but it is about to be stopped");
        }
    }

    @Test
    void aServerOnTheSocketAloneByItsConfigurationIsReady() throws Exception {
        try (LocalPostgres server = new LocalPostgres(tmp)) {
            assertTrue(server.client().readyWithin(1));
        }
    }
}
