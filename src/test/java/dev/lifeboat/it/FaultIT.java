package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault tests: a destination that fills up mid-backup, and a wrong key. Nothing may be mistaken for
 * a backup, the stack must be left running, and the message must say what happened.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultIT {
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;

    @BeforeAll
    void demoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("ft"), false);
    }

    @AfterAll
    void removeDemoStack() {
        Rig.removeByLabel(demo.name());
    }

    @Test
    void aFullDestinationFailsCleanlyAndLeavesTheStackRunning() throws Exception {
        Path small = tmp.resolve("small-disk");
        Files.createDirectories(small);
        run("mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", small.toString());
        try {
            Path key = tmp.resolve("small.key");
            demo.run("key", "generate", key.toString()).ok();
            demo.run("dest", "add", "small", "--dir", small.toString(), "--key-file", key.toString()).ok();

            Rig.Result r = demo.run("backup", demo.stack(), "--to", "small", "-q");

            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains("No space left on device"), r.err());
            try (Stream<Path> s = Files.walk(small)) {
                assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".partial-")
                        || p.getFileName().toString().equals("manifest.json")), "nothing that looks like a point is left");
            }
            assertFalse(demo.run("points").ok().out().contains(demo.name()), "no point recorded");
            String app = Rig.docker("inspect", "--format", "{{.State.Running}}", demo.name() + "-app").trim();
            assertEquals("true", app, "a container stopped for the volume step is always started again");
            assertTrue(demo.run("history").ok().out().contains("backup   failed"));
        } finally {
            run("umount", small.toString());
        }
    }

    @Test
    void aBackupKilledMidVolumeLeavesNoPointAndTheNextRunRepairsTheStack() throws Exception {
        // a volume big enough that the volume step (with the app stopped) lasts a few seconds
        Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                demo.name() + "_uploads:/v", Rig.IMAGE, "sh", "-c", "head -c 300000000 /dev/urandom > /v/big.bin");
        // the engine tells when the app stops (from this moment on, so nothing is missed): one docker events
        // process instead of a docker inspect every 20 ms
        java.time.Instant now = java.time.Instant.now();
        String since = now.getEpochSecond() + "." + String.format("%09d", now.getNano());
        Process events = new ProcessBuilder("docker", "events", "--since", since, "--filter", "container=" + demo.name() + "-app",
                "--filter", "event=die", "--format", "{{.Status}}").redirectErrorStream(true).start();
        try {
            java.util.concurrent.CompletableFuture<String> died = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new java.io.BufferedReader(new java.io.InputStreamReader(events.getInputStream())).readLine();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Process backup = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                    System.getProperty("java.class.path"), "dev.lifeboat.Lifeboat", "--home", demo.home().toString(),
                    "backup", demo.stack(), "--to", "disk", "-q")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("killed-backup.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!died.isDone()) {
                assertTrue(backup.isAlive(), "the backup ended before its volume step could be interrupted");
                assertTrue(System.currentTimeMillis() < deadline, "the app was never stopped for the volume step");
                try {
                    died.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // the backup is still before its volume step
                }
            }
            assertEquals("die", died.get());
            backup.destroyForcibly().waitFor(); // SIGKILL, mid-volume: no finally block runs
        } finally {
            events.destroy();
            events.waitFor();
        }

        assertFalse(appRunning(), "the kill left the app stopped (the state the next run must repair)");
        assertEquals("", demo.run("points", demo.stack()).ok().out().trim(), "a killed run is no backup");
        try (Stream<Path> s = Files.walk(demo.dest())) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("manifest.json")));
        }

        String pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        assertTrue(appRunning(), "the next run started the container the killed run had stopped");
        assertEquals(List.of(), Rig.helpers(demo.home()),
                "the killed run's helper container was removed");
        assertTrue(demo.run("history").ok().out().contains("interrupted"), "the killed run is recorded as interrupted");
        demo.run("verify", pointId).ok();
    }

    private long partials() throws IOException {
        if (!Files.exists(demo.dest())) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(demo.dest())) {
            return s.filter(p -> p.getFileName().toString().startsWith(".partial-")).count();
        }
    }

    private boolean appRunning() {
        return Rig.docker("inspect", "--format", "{{.State.Running}}", demo.name() + "-app").trim().equals("true");
    }

    @Test
    void aStoppedDatabaseIsReportedBeforeAnyWorkStarts() throws Exception {
        long partialsBefore = partials();
        Rig.docker("stop", demo.name() + "-cache");
        try {
            Rig.Result check = demo.run("check", demo.stack());
            assertEquals(1, check.code());
            assertTrue(check.out().contains("Redis container " + demo.name() + "-cache is not running"), check.out());

            Rig.Result r = demo.run("backup", demo.stack(), "--to", "disk", "-q");
            assertEquals(1, r.code());
            assertTrue(r.err().contains("not started") && r.err().contains(demo.name() + "-cache is not running"), r.err());
            assertEquals(partialsBefore, partials(), "no work was started");
        } finally {
            Rig.docker("start", demo.name() + "-cache");
        }
        assertTrue(demo.run("check", demo.stack()).ok().out().contains("ready for backup"));
    }

    @Test
    void aRedisWithoutRoomForItsSnapshotIsReportedBeforeAnyWorkStarts() throws Exception {
        String stack = demo.name() + "tiny";
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // Redis keeps its RDB on a 2 MiB tmpfs, and holds about 6 MiB of data
        Rig.docker("run", "-d", "--name", stack + "-cache", "--network", "host", "--label", "lifeboat.demo=" + demo.name(),
                "--label", "com.docker.compose.project=" + stack, "--label", "com.docker.compose.service=cache",
                "--label", "lifeboat.kind=redis", "--tmpfs", "/data:size=2m", Rig.IMAGE, "redis-server", "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--dir", "/data", "--save", "", "--enable-debug-command", "yes");
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                Rig.docker("exec", stack + "-cache", "redis-cli", "-p", Integer.toString(port), "DEBUG", "POPULATE", "40000",
                        "key", "128");
                break;
            } catch (AssertionError notYet) {
                assertTrue(System.currentTimeMillis() < deadline, notYet.getMessage());
                Thread.sleep(200);
            }
        }
        Rig.Result check = demo.run("check", demo.host() + "/" + stack);
        assertEquals(1, check.code(), check.out());
        assertTrue(check.out().contains("BGSAVE needs about") && check.out().contains("free in /data"), check.out());
        Rig.Result r = demo.run("backup", demo.host() + "/" + stack, "--to", "disk", "-q");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not started") && r.err().contains("BGSAVE needs about"), r.err());
        Rig.docker("rm", "-f", stack + "-cache");
    }

    @Test
    void aWrongKeyFileIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path other = tmp.resolve("other.key");
        demo.run("key", "generate", other.toString()).ok();
        Rig.Result r = Rig.lifeboat(tmp.resolve("home2"), "dest", "add", "disk", "--dir", demo.dest().toString(),
                "--key-file", other.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("does not open destination disk"), r.err());
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }
}
