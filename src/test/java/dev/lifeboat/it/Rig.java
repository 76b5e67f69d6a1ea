package dev.lifeboat.it;

import dev.lifeboat.cli.Cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The integration rig: the real dockerd (through the docker CLI, independent of Lifeboat's own
 * client), the fixture image, and Lifeboat's CLI run in-process against a throwaway home.
 * Everything a test creates carries the label {@code lifeboat.demo=<name>} and is removed by it.
 */
final class Rig {
    static final String IMAGE = System.getProperty("lifeboat.fixture.image", "lifeboat-fixture:bookworm");

    private Rig() {
    }

    record Result(int code, String out, String err) {
        Result ok() {
            assertEquals(0, code, "exit code; stderr: " + err + " stdout: " + out);
            return this;
        }
    }

    private static final java.util.Map<Path, List<String>> GLOBAL_ARGS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Options added to every command run on {@code home} (e.g. its master password file). */
    static void alwaysWith(Path home, String... args) {
        GLOBAL_ARGS.put(home, List.of(args));
    }

    static Result lifeboat(Path home, String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        all.addAll(GLOBAL_ARGS.getOrDefault(home, List.of()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static String uniqueName(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Waits until Redis on loopback {@code port} answers PING (it has loaded its data by then), at most 30 s. */
    static void awaitRedis(int port) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Resp r = new Resp(port)) {
                if ("PONG".equals(String.valueOf(r.call("PING")))) {
                    return;
                }
            } catch (IOException notYet) {
                // refused while it starts
            }
            if (System.nanoTime() > deadline) {
                fail("Redis on port " + port + " did not answer within 30 s");
            }
            try {
                Thread.sleep(50); // polling its answer, not waiting for time to pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Runs the docker CLI and returns stdout; fails the test on a non-zero exit. */
    static String docker(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (p.waitFor() != 0) {
                fail(String.join(" ", cmd) + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every container and volume of a sandbox that a run recorded in {@code home} made (label
     * {@code lifeboat.sandbox=<run id>}), as the Engine API lists them. Only this home's: other test
     * classes may run sandboxes on the same engine meanwhile.
     */
    static List<String> sandboxObjects(Path home) {
        return labelledByRunsOf(home, dev.lifeboat.core.asset.RestoreTarget.Sandbox.LABEL, true);
    }

    /** The helper containers of runs recorded in {@code home} (label {@code lifeboat.helper=<run id>}). */
    static List<String> helpers(Path home) {
        return labelledByRunsOf(home, dev.lifeboat.core.asset.Helpers.LABEL, false);
    }

    private static List<String> labelledByRunsOf(Path home, String label, boolean volumesToo) {
        List<String> runs;
        try (dev.lifeboat.core.history.HistoryStore h = dev.lifeboat.core.history.HistoryStore.open(home)) {
            runs = h.runs().recent(10_000).stream().map(dev.lifeboat.core.history.RunRecord::id).toList();
        }
        java.util.Set<String> ours = new java.util.HashSet<>(runs);
        List<String> all = new ArrayList<>();
        docker("ps", "-a", "--format", "{{.ID}} {{.Label \"" + label + "\"}}", "--filter", "label=" + label).lines()
                .map(l -> l.split(" ", 2)).filter(f -> f.length == 2 && ours.contains(f[1].trim())).forEach(f -> all.add(f[0]));
        if (volumesToo) {
            docker("volume", "ls", "--format", "{{.Name}} {{.Label \"" + label + "\"}}", "--filter", "label=" + label).lines()
                    .map(l -> l.split(" ", 2)).filter(f -> f.length == 2 && ours.contains(f[1].trim())).forEach(f -> all.add(f[0]));
        }
        return all;
    }

    /** Removes every container and volume labelled {@code lifeboat.demo=name}. */
    static void removeByLabel(String name) {
        String ids = docker("ps", "-aq", "--filter", "label=lifeboat.demo=" + name).trim();
        if (!ids.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
            cmd.addAll(ids.lines().toList());
            docker(cmd.toArray(String[]::new));
        }
        String vols = docker("volume", "ls", "-q", "--filter", "label=lifeboat.demo=" + name).trim();
        if (!vols.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("volume", "rm", "-f"));
            cmd.addAll(vols.lines().toList());
            docker(cmd.toArray(String[]::new));
        }
    }

    /** A home with a local host, a key and a local destination, and a demo stack called {@code name}. */
    static DemoHome demoHome(Path tmp, String name, boolean production) {
        Path home = tmp.resolve("home");
        if (production) {
            lifeboat(home, "host", "add", "local", "--docker", "unix:///var/run/docker.sock", "--production").ok();
        } else {
            lifeboat(home, "host", "add", "local", "--docker", "unix:///var/run/docker.sock").ok();
        }
        return demoOn(tmp, home, "local", name);
    }

    /** A key, a local destination and a demo stack on a host already added to {@code home}. */
    static DemoHome demoOn(Path tmp, Path home, String host, String name) {
        Path key = tmp.resolve("repo.key");
        Path dest = tmp.resolve("backups");
        Path config = tmp.resolve("stacks").resolve(name);
        lifeboat(home, "key", "generate", key.toString()).ok();
        lifeboat(home, "dest", "add", "disk", "--dir", dest.toString(), "--key-file", key.toString()).ok();
        String up = lifeboat(home, "demo", "up", host, "--name", name, "--image", IMAGE, "--config-dir",
                config.toString()).ok().out();
        int pg = Integer.parseInt(up.replaceAll("(?s).*PostgreSQL on 127\\.0\\.0\\.1:(\\d+).*", "$1"));
        int redis = Integer.parseInt(up.replaceAll("(?s).*Redis on 127\\.0\\.0\\.1:(\\d+).*", "$1"));
        return new DemoHome(home, host, dest, config, name, pg, redis);
    }

    record DemoHome(Path home, String host, Path dest, Path config, String name, int pgPort, int redisPort) {
        Result run(String... args) {
            return lifeboat(home, args);
        }

        String stack() {
            return host + "/" + name;
        }

        Path pointDir(String pointId) {
            return dest.resolve(host).resolve(name).resolve(pointId);
        }
    }

    /**
     * Waits until a server process this test started accepts connections on 127.0.0.1:{@code port}; if it
     * dies or does not within {@code timeoutMs}, it is killed and its log is the failure's message.
     */
    static void awaitListening(Process p, int port, Path log, String what, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (java.net.Socket ignored = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException(what + " did not start: " + java.nio.file.Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }
}
