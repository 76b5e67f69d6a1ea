package dev.lifeboat.it;

import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.kinds.postgres.PostgresKind;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A PostgreSQL container that starts the way the official image does on a new data directory (a sandbox's, or a
 * server restored to another host): its entrypoint initializes the directory, runs a server on the socket alone for
 * its setup, stops it with every session, and only then hands over to the real server. Lifeboat must wait for the
 * real one: a restore begun on the first was cut off when the entrypoint stopped it.
 */
@Tag("integration")
class InitializingServerIT {
    /** The entrypoint's steps, as the official image takes them; its setup here lasts three seconds. */
    private static final String ENTRYPOINT = """
            set -e
            B=/usr/lib/postgresql/15/bin
            as() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
            mkdir -p /var/run/postgresql "$PGDATA"
            chown postgres:postgres /var/run/postgresql "$PGDATA"
            chmod 700 "$PGDATA"
            as "$B/initdb" -D "$PGDATA" -U postgres -A trust --no-sync >/dev/null
            echo "listen_addresses = '127.0.0.1'" >> "$PGDATA/postgresql.conf"
            as "$B/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
            touch /tmp/initializing-server-was-up
            sleep 3
            as "$B/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
            exec setpriv --reuid=postgres --regid=postgres --init-groups "$B/postgres" -D "$PGDATA"
            """;

    @Test
    void aRestoreWaitsForTheRealServerNotTheOneThatInitializes() {
        String name = Rig.uniqueName("lbx-initdb");
        try {
            Rig.docker("run", "-d", "--name", name, "--label", "lifeboat.demo=" + name, "--network", "none",
                    "-e", "PGDATA=/var/lib/postgresql/data", "-e", "PG_MAJOR=15", Rig.IMAGE, "sh", "-c", ENTRYPOINT);
            try (DockerGateway docker = DockerGateway.connect(new Host("local", "unix:///var/run/docker.sock", false), null)) {
                ContainerSpec spec = docker.inspect(name).orElseThrow();
                docker.awaitReady(name, Duration.ofSeconds(60), new PostgresKind().readiness(docker, spec).orElseThrow());
            }
            Rig.docker("exec", name, "test", "-e", "/tmp/initializing-server-was-up"); // the setup's server did run
            assertEquals("postgres", Rig.docker("exec", name, "cat", "/proc/1/comm").trim(),
                    "ready only once the entrypoint has handed over to the real server");
        } finally {
            Rig.removeByLabel(name);
        }
    }
}
