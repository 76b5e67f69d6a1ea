package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.model.ContainerSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RedisClient against a real Redis (Debian's redis-server, started here on a private socket): the
 * container's commands run as processes on this machine, each exec counted.
 */
class RedisClientTest {
    /** When set, the container has no shell: an exec of {@code sh} fails as Docker's would. */
    private boolean noShell;
    @TempDir
    Path tmp;
    private Process server;
    private final List<List<String>> execs = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void severalParametersAndSectionsAreAskedInOneSessionWithTheAnswersOfOneEach() throws Exception {
        RedisClient redis = start(Files.createDirectories(tmp.resolve("data")));
        redis.call("SET", "a", "1");
        redis.call("SELECT", "0");
        execs.clear();

        Map<String, String> configs = redis.configs("dir", "dbfilename", "appendonly", "no-such-parameter");
        assertEquals(1, execs.size(), "one redis-cli session");
        assertEquals(Map.of("dir", redis.config("dir"), "dbfilename", "dump.rdb", "appendonly", redis.config("appendonly")), configs);
        assertEquals(tmp.resolve("data").toRealPath().toString(), configs.get("dir"));

        execs.clear();
        Map<String, String> info = redis.infos("keyspace", "server");
        assertEquals(1, execs.size());
        assertEquals(redis.keyCounts(), RedisClient.keyCounts(info));
        assertEquals(Map.of("db0", 1L), RedisClient.keyCounts(info));
        assertEquals(redis.info("server").get("redis_version"), info.get("redis_version"));
        assertTrue(redis.ready());
    }

    @Test
    void aSnapshotIsTakenAndAwaitedInOneExecAndWrittenToDisk() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        RedisClient redis = start(data);
        StringBuilder sets = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sets.append("SET key:").append(i).append(" value-").append(i).append('\n');
        }
        redis.script(sets.toString());
        Files.deleteIfExists(data.resolve("dump.rdb"));
        execs.clear();
        Map<String, String> p = redis.snapshot(java.time.Duration.ofSeconds(30));
        assertEquals(1, execs.size(), "LASTSAVE, BGSAVE, the waiting and INFO in one exec");
        assertEquals("ok", p.get("rdb_last_bgsave_status"));
        assertEquals("0", p.get("rdb_bgsave_in_progress"));
        assertTrue(Long.parseLong(p.get("lastsave_after")) >= Long.parseLong(p.get("lastsave_before")), p.toString());
        assertTrue(Files.size(data.resolve("dump.rdb")) > 10_000, "the snapshot is on disk when it returns");
    }

    @Test
    void aTwinRewritesItsAofInOneExecAndShutsDownInAnother() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        RedisClient redis = start(data);
        redis.call("SET", "cart:1", "three apples");
        execs.clear();
        Map<String, String> p = redis.rewriteAofThenShutdown(java.time.Duration.ofSeconds(30));
        assertEquals(2, execs.size(), "turning AOF on, awaiting the rewrite and where it is: one exec; the shutdown its own");
        assertEquals("ok", p.get("aof_last_bgrewrite_status"), p.toString());
        assertEquals("1", p.get("aof_enabled"));
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server shut down");
        String where = p.get("appenddirname").isBlank() ? p.get("appendfilename") : p.get("appenddirname");
        assertTrue(Files.exists(data.resolve(where)), where + " in " + data);
        try (var files = Files.walk(data.resolve(where))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().contains("base")
                    || f.getFileName().toString().endsWith(".aof")), "the rewritten AOF is on disk");
        }
    }

    @Test
    void withoutAShellTheSnapshotIsTakenStepByStepFromOutsideAndWrittenToDisk() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        RedisClient redis = start(data);
        redis.call("SET", "cart:1", "three apples");
        Files.deleteIfExists(data.resolve("dump.rdb"));
        noShell = true;
        execs.clear();
        Map<String, String> p = redis.snapshot(java.time.Duration.ofSeconds(30));
        assertEquals("sh", execs.get(0).get(0), "the shell was tried first");
        assertTrue(execs.size() >= 4 && execs.stream().skip(1).noneMatch(c -> c.get(0).equals("sh")),
                "then LASTSAVE, BGSAVE, a look and LASTSAVE, each an exec of redis-cli: " + execs);
        assertEquals("ok", p.get("rdb_last_bgsave_status"));
        assertEquals("0", p.get("rdb_bgsave_in_progress"));
        assertTrue(Long.parseLong(p.get("lastsave_after")) >= Long.parseLong(p.get("lastsave_before")), p.toString());
        assertTrue(Files.exists(data.resolve("dump.rdb")), "the snapshot is on disk when it returns");
    }

    @Test
    void withoutAShellATwinRewritesItsAofStepByStepAndShutsDown() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        RedisClient redis = start(data);
        redis.call("SET", "cart:1", "three apples");
        noShell = true;
        execs.clear();
        Map<String, String> p = redis.rewriteAofThenShutdown(java.time.Duration.ofSeconds(30));
        assertTrue(execs.size() > 2 && execs.stream().skip(1).noneMatch(c -> c.get(0).equals("sh")), execs.toString());
        assertEquals("ok", p.get("aof_last_bgrewrite_status"), p.toString());
        assertEquals("1", p.get("aof_enabled"));
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server shut down");
        String where = p.get("appenddirname").isBlank() ? p.get("appendfilename") : p.get("appenddirname");
        assertTrue(Files.exists(data.resolve(where)), where + " in " + data);
    }

    @Test
    void aSnapshotThatFailsIsAwaitedAndReportedAsFailed() throws Exception {
        Path gone = Files.createDirectories(tmp.resolve("gone"));
        RedisClient redis = start(gone);
        Files.delete(gone); // Redis's directory: the save's temporary file cannot be created
        Map<String, String> p = redis.snapshot(java.time.Duration.ofSeconds(30));
        assertEquals("err", p.get("rdb_last_bgsave_status"), p.toString());
    }

    @Test
    void aValueWithALineBreakNeverGivesAnotherParameterItsValue() throws Exception {
        RedisClient redis = start(Files.createDirectories(tmp.resolve("a\ndbfilename")));
        Map<String, String> configs = redis.configs("dir", "dbfilename", "appendonly");
        assertEquals("dump.rdb", configs.get("dbfilename"));
        assertEquals("no", configs.get("appendonly"));
        assertEquals(redis.config("dir"), configs.get("dir"), "as one CONFIG GET reads it");
        assertFalse(configs.get("dir").contains("dbfilename"));
    }

    @Test
    void aReadinessWaitIsOneExecThatWaitsInsideTheContainerUntilRedisAnswers() throws Exception {
        Path socket = tmp.resolve("redis.sock");
        RedisClient redis = RedisClient.overSocket(new InMemoryEngine("local").execs(this::run), "cache", socket.toString(),
                new ContainerSpec("cache", "redis", null, null, null, null, Map.of(), null, null, null, null, List.of(), null, true));
        long t0 = System.nanoTime();
        assertFalse(redis.readyWithin(1), "nothing listens yet");
        assertTrue(System.nanoTime() - t0 >= 900_000_000L, "it kept looking for the second it was given");
        assertEquals(1, execs.size(), "one exec: the looking happened inside");
        execs.clear();
        server = new ProcessBuilder("redis-server", "--port", "0", "--unixsocket", socket.toString(), "--dir", tmp.toString(),
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(tmp.resolve("redis.log").toFile()).start();
        assertTrue(redis.readyWithin(30), this::log);
        assertEquals(1, execs.size(), "the server was awaited in one exec");
    }

    private RedisClient start(Path dir) throws Exception {
        Path socket = tmp.resolve("redis.sock");
        server = new ProcessBuilder("redis-server", "--port", "0", "--unixsocket", socket.toString(), "--dir", dir.toString(),
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(tmp.resolve("redis.log").toFile()).start();
        InMemoryEngine engine = new InMemoryEngine("local").execs(this::run);
        ContainerSpec spec = new ContainerSpec("cache", "redis", null, null, null, null, Map.of(), null, null, null, null,
                List.of(), null, true);
        RedisClient redis = RedisClient.overSocket(engine, "cache", socket.toString(), spec);
        for (int i = 0; i < 200 && !redis.ready(); i++) {
            assertTrue(server.isAlive(), () -> "redis-server ended: " + log());
            Thread.sleep(25); // polling the server's answer, not waiting for time to pass
        }
        assertTrue(redis.ready(), this::log);
        return redis;
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("redis.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private ExecResult run(String container, List<String> cmd, List<String> env, InputStream stdin, OutputStream stdout) {
        execs.add(cmd);
        if (noShell && cmd.get(0).equals("sh")) {
            throw new HostException("exec failed: \"sh\": executable file not found in $PATH");
        }
        try {
            Process p = new ProcessBuilder(cmd).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    stdin.transferTo(in);
                }
            }
            p.getInputStream().transferTo(stdout);
            String err = new String(p.getErrorStream().readAllBytes());
            return new ExecResult(p.waitFor(), err);
        } catch (IOException e) {
            throw new HostException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted", e);
        }
    }
}
