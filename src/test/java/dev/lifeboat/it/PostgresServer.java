package dev.lifeboat.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL 15 server (Debian's package, in the fixture image) for a history shared by a team: a
 * container with the host's network listening on a free loopback port, trust authentication for local
 * connections. Created and removed by its label.
 */
final class PostgresServer implements AutoCloseable {
    final String name = Rig.uniqueName("history-pg");
    final int port;

    PostgresServer() throws Exception {
        port = ComposeStack.freePort();
        String cmd = "mkdir -p /run/postgresql /var/lib/lifeboat-pg && chown postgres:postgres /run/postgresql /var/lib/lifeboat-pg"
                + " && setpriv --reuid=postgres --regid=postgres --init-groups initdb -D /var/lib/lifeboat-pg -U postgres"
                + " -A trust --no-sync >/dev/null && exec setpriv --reuid=postgres --regid=postgres --init-groups"
                + " postgres -D /var/lib/lifeboat-pg -c listen_addresses=127.0.0.1 -c port=" + port + " -c fsync=off";
        Rig.docker("run", "-d", "--name", name, "--network", "host", "--label", "lifeboat.demo=" + name, Rig.IMAGE,
                "sh", "-c", cmd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection ignored = admin()) {
                return;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    String log = Rig.docker("logs", name);
                    close();
                    throw new IllegalStateException("PostgreSQL did not accept connections within 60 s: " + log, notYet);
                }
                Thread.sleep(100); // polling a server that is starting; the loop ends on the first connection
            }
        }
    }

    Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** A new empty database; returns the URL Lifeboat's history uses for it. */
    String createDatabase(String db) throws SQLException {
        try (Connection c = admin()) {
            c.createStatement().execute("CREATE DATABASE \"" + db + "\"");
        }
        return url(db);
    }

    String url(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=postgres";
    }

    @Override
    public void close() {
        Rig.removeByLabel(name);
    }
}
