package dev.lifeboat.core.kinds.postgres;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.ContainerSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real PostgreSQL 15 (Debian's package) started in a test's directory as the postgres user on a private socket,
 * with no TCP listener; a container's commands run as processes on this machine, each exec counted. Stopped, by
 * its own PID, on {@link #close}.
 */
final class LocalPostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final Path sockets;
    private final Process server;
    /** Every command run in "the container", in order. */
    final List<List<String>> execs = new ArrayList<>();
    /** When set, the container has no shell: an exec of {@code sh} fails as Docker's would. */
    boolean noShell;

    LocalPostgres(Path dir) throws Exception {
        this(dir, false);
    }

    /**
     * A server on the socket alone: by its configuration file, or with {@code initializing} by its command line, as the
     * official image's entrypoint starts the server it initializes a data directory with (the server is then up, and
     * answers, but not ready for a restore).
     */
    LocalPostgres(Path dir, boolean initializing) throws Exception {
        this.dir = dir;
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path data = dir.resolve("data");
        sockets = dir.resolve("run");
        Files.createDirectories(sockets);
        Files.createDirectories(data);
        run("chown", "postgres:postgres", sockets.toString(), data.toString());
        run("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", BIN.resolve("initdb").toString(), "-D",
                data.toString(), "-U", "postgres", "-A", "trust", "--no-sync");
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                BIN.resolve("postgres").toString(), "-D", data.toString(), "-k", sockets.toString(), "-c", "fsync=off"));
        if (initializing) {
            cmd.addAll(List.of("-c", "listen_addresses="));
        } else {
            Files.writeString(data.resolve("postgresql.conf"), "\nlisten_addresses = ''\n", java.nio.file.StandardOpenOption.APPEND);
        }
        server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("pg.log").toFile()).start();
        assertTrue(initializing ? answersWithin(60) : client().readyWithin(60), this::log);
    }

    /** Whether the server answers a query on its socket, whatever it is there for. */
    private boolean answersWithin(int seconds) throws Exception {
        for (int i = 0; i < seconds * 20; i++) {
            Process p = new ProcessBuilder(BIN.resolve("psql").toString(), "-X", "-q", "-At", "-h", sockets.toString(), "-U",
                    "postgres", "-d", "postgres", "-c", "SELECT 1").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0 && out.equals("1")) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** A client of the server as Lifeboat's would be of a container named {@code db}. */
    PostgresClient client() {
        InMemoryEngine engine = new InMemoryEngine("local").execs(this::exec);
        return new PostgresClient(engine, new ContainerSpec("db", "postgres", null, null, null, null, Map.of(), null, null,
                null, null, List.of(), null, true));
    }

    String log() {
        try {
            return Files.readString(dir.resolve("pg.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws Exception {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    private synchronized ExecResult exec(String container, List<String> cmd, List<String> env, InputStream stdin, OutputStream stdout) {
        execs.add(cmd);
        if (noShell && cmd.get(0).equals("sh")) {
            throw new HostException("exec failed: \"sh\": executable file not found in $PATH");
        }
        try {
            Path err = dir.resolve("err");
            ProcessBuilder b = new ProcessBuilder(cmd).redirectError(err.toFile());
            env.forEach(kv -> b.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)));
            b.environment().put("PGHOST", sockets.toString());
            Process p = b.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    stdin.transferTo(in);
                }
            }
            p.getInputStream().transferTo(stdout);
            int code = p.waitFor();
            return new ExecResult(code, Files.readString(err));
        } catch (IOException e) {
            throw new HostException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted", e);
        }
    }
}
