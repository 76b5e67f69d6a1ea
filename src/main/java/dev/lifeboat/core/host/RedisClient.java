package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.model.ContainerSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code redis-cli} inside a Redis container, on the port the server was started with. */
public final class RedisClient {
    private final DockerEngine docker;
    private final String container;
    private final List<String> base;
    private final List<String> env;

    public RedisClient(DockerEngine docker, ContainerSpec spec) {
        this(docker, spec.name(), List.of("redis-cli", "-p", portOf(spec)), spec);
    }

    private RedisClient(DockerEngine docker, String container, List<String> base, ContainerSpec spec) {
        this.docker = docker;
        this.container = container;
        this.base = base;
        String password = spec.envValue("REDIS_PASSWORD");
        this.env = password == null ? List.of() : List.of("REDISCLI_AUTH=" + password);
    }

    /** A client for a server in {@code container} that listens only on a unix socket. */
    public static RedisClient overSocket(DockerEngine docker, String container, String socket, ContainerSpec spec) {
        return new RedisClient(docker, container, List.of("redis-cli", "-s", socket), spec);
    }

    /** The port from {@code --port N} in the container's command, else REDIS_PORT, else 6379. */
    static String portOf(ContainerSpec spec) {
        List<String> cmd = spec.cmd() == null ? List.of() : spec.cmd();
        for (int i = 0; i < cmd.size() - 1; i++) {
            if (cmd.get(i).equals("--port")) {
                return cmd.get(i + 1);
            }
        }
        String env = spec.envValue("REDIS_PORT");
        return env == null ? "6379" : env;
    }

    public String call(String... args) {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of(args));
        String out = docker.execText(container, env, cmd.toArray(String[]::new));
        if (out.startsWith("ERR") || out.startsWith("NOAUTH") || out.startsWith("WRONGPASS")) {
            throw new HostException("redis-cli " + args[0] + " in container " + container + " failed: " + out.trim());
        }
        return out;
    }

    /** Runs many commands in one redis-cli session, one command per line (redis-cli quoting rules). */
    public String script(String commands) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ExecResult r = docker.exec(container, base, env,
                new java.io.ByteArrayInputStream(commands.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out);
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (!r.ok() || text.lines().anyMatch(l -> l.startsWith("ERR") || l.startsWith("(error)"))) {
            throw new HostException("redis-cli script in container " + container + " failed: " + text.trim() + " "
                    + r.stderr().trim());
        }
        return text;
    }

    /** CONFIG GET for one parameter. */
    public String config(String name) {
        List<String> lines = call("CONFIG", "GET", name).lines().toList();
        return lines.size() >= 2 ? lines.get(1).trim() : "";
    }

    /**
     * CONFIG GET of several parameters in one redis-cli session (one exec instead of one each); a parameter
     * the server does not know is absent. Falls back to one CONFIG GET each when the answer does not pair up
     * as asked (a value holding a line break).
     */
    public Map<String, String> configs(String... names) {
        List<String> lines = session("CONFIG GET", "[a-z-]+", names).lines().toList();
        Map<String, String> out = new LinkedHashMap<>();
        java.util.Set<String> asked = java.util.Set.of(names);
        for (int i = 0; i < lines.size(); i += 2) {
            if (lines.get(i).isEmpty()) { // an unknown parameter: an empty reply, one blank line
                i--;
                continue;
            }
            if (i + 1 >= lines.size() || !asked.contains(lines.get(i)) || out.containsKey(lines.get(i))) {
                out.clear();
                for (String name : names) {
                    List<String> one = call("CONFIG", "GET", name).lines().toList();
                    if (one.size() >= 2) {
                        out.put(name, one.get(1).trim());
                    }
                }
                return out;
            }
            out.put(lines.get(i), lines.get(i + 1).trim());
        }
        return out;
    }

    /** The fields of several INFO sections, asked in one redis-cli session. */
    public Map<String, String> infos(String... sections) {
        return fields(session("INFO", "[a-z]+", sections));
    }

    /** One redis-cli session running {@code command} once per argument, each argument a plain word ({@code word}). */
    private String session(String command, String word, String... args) {
        StringBuilder commands = new StringBuilder();
        for (String arg : args) {
            if (!arg.matches(word)) {
                throw new IllegalArgumentException("not a word for " + command + ": " + arg);
            }
            commands.append(command).append(' ').append(arg).append('\n');
        }
        return script(commands.toString());
    }

    /** The fields of one INFO section. */
    public Map<String, String> info(String section) {
        return fields(call("INFO", section));
    }

    private static Map<String, String> fields(String info) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : info.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /**
     * Polls INFO persistence until {@code done} holds (after 50 ms, then twice as long each time up to half a
     * second), and returns the fields it saw last. Fails after
     * {@code timeout} with a message naming {@code what} was awaited.
     */
    public Map<String, String> awaitPersistence(java.util.function.Predicate<Map<String, String>> done,
                                                java.time.Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long wait = 50;
        while (true) {
            Map<String, String> p = info("persistence");
            if (done.test(p)) {
                return p;
            }
            if (System.nanoTime() > deadline) {
                throw new HostException("Redis in container " + container + ": " + what + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            try {
                // each look is a docker exec (a process in the container, some 60 ms of CPU on the host): a short
                // save is seen soon after its end, a long one is looked at twice a second, not ten times
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException("interrupted while waiting for " + what);
            }
        }
    }

    /**
     * Takes a fresh RDB snapshot and waits for it: LASTSAVE, BGSAVE (after any save already running ends), a look
     * every 50 ms for the first second and every 500 ms after that until no save runs, LASTSAVE again, INFO
     * persistence. Inside the container, in one exec, where it has a shell; else step by step from outside, each
     * look an exec of its own. Returns INFO persistence's fields with {@code lastsave_before} and
     * {@code lastsave_after} added. A refused BGSAVE fails with Redis's answer; a save still running after
     * {@code timeout}, as such.
     */
    public Map<String, String> snapshot(java.time.Duration timeout) {
        return inside(timeout, "BGSAVE", "redis-cli BGSAVE",
                " idle() { \"$@\" INFO persistence | grep -q '^rdb_bgsave_in_progress:0'; };"
                + " before=$(\"$@\" LASTSAVE) || exit 3;"
                + " while r=$(\"$@\" BGSAVE 2>&1); case \"$r\" in *'already in progress'*) true;; *) false;; esac;"
                + " do until idle \"$@\"; do look; done; done;"
                + " case \"$r\" in *'Background saving started'*) ;; *) echo \"$r\" >&2; exit 3;; esac;"
                + " until idle \"$@\"; do look; done;"
                + " echo \"lastsave_before:$before\"; echo \"lastsave_after:$(\"$@\" LASTSAVE)\"; \"$@\" INFO persistence")
                .map(RedisClient::fields).orElseGet(() -> snapshotFromOutside(timeout));
    }

    /** {@link #snapshot}'s steps for a container without a shell. */
    private Map<String, String> snapshotFromOutside(java.time.Duration timeout) {
        java.util.function.Predicate<Map<String, String>> idle = x -> "0".equals(x.get("rdb_bgsave_in_progress"));
        String before = call("LASTSAVE").trim();
        while (call("BGSAVE").contains("in progress")) {
            awaitPersistence(idle, timeout, "BGSAVE"); // another save is running: let it end, then take our own
        }
        Map<String, String> p = new LinkedHashMap<>(awaitPersistence(idle, timeout, "BGSAVE"));
        p.put("lastsave_before", before);
        p.put("lastsave_after", call("LASTSAVE").trim());
        return p;
    }

    /**
     * Runs {@code script} in the container with redis-cli's command line as its parameters and {@code look}, a
     * function that waits 50 ms for the first second and 500 ms after it, exiting 4 after {@code timeout}; its
     * output, or empty where the container has no shell. Exit 3 is a failure its stderr explains.
     */
    private java.util.Optional<String> inside(java.time.Duration timeout, String what, String failed, String script) {
        long looks = 20 + Math.max(0, timeout.toSeconds() - 1) * 2;
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "n=$1; shift; i=0;"
                + " look() { i=$((i+1)); [ \"$i\" -lt \"$n\" ] || exit 4; if [ \"$i\" -lt 20 ]; then sleep 0.05; else sleep 0.5; fi; };"
                + script, "sh", Long.toString(looks)));
        cmd.addAll(base);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.Optional<ExecResult> ran = InShell.exec(docker, container, cmd, env, out);
        if (ran.isEmpty()) {
            return java.util.Optional.empty();
        }
        ExecResult r = ran.get();
        if (r.exitCode() == 4) {
            throw new HostException("Redis in container " + container + ": " + what + " did not finish within "
                    + timeout.toSeconds() + " s");
        }
        if (!r.ok()) {
            throw new HostException(failed + " in container " + container + " failed: " + r.stderr().trim());
        }
        return java.util.Optional.of(out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Turns AOF on in a server Lifeboat started (a restore's twin), waits until Redis has rewritten its AOF from the
     * data it holds, and shuts it down: inside the container, two execs (the shutdown its own, see below) where
     * the container has a shell; else step by step from outside, each look an exec of its own.
     * Returns INFO persistence's fields as they were before the shutdown, with {@code appenddirname} and
     * {@code appendfilename} (empty where the server has no such parameter) added.
     */
    public Map<String, String> rewriteAofThenShutdown(java.time.Duration timeout) {
        java.util.Optional<String> said = inside(timeout, "the AOF rewrite", "redis-cli CONFIG SET appendonly yes",
                " r=$(\"$@\" CONFIG SET appendonly yes 2>&1); [ \"$r\" = OK ] || { echo \"$r\" >&2; exit 3; };"
                + " until [ \"$(\"$@\" INFO persistence | grep -cE '^(aof_enabled:1|aof_rewrite_in_progress:0|aof_rewrite_scheduled:0)')\" = 3 ];"
                + " do look; done;"
                + " \"$@\" INFO persistence; echo '# dirname'; \"$@\" CONFIG GET appenddirname; echo '# filename';"
                + " \"$@\" CONFIG GET appendfilename");
        Map<String, String> p;
        if (said.isPresent()) {
            String text = said.get();
            int dirname = text.indexOf("# dirname\n");
            int filename = text.indexOf("# filename\n");
            if (dirname < 0 || filename < dirname) {
                throw new HostException("Redis in container " + container + " did not say where its AOF is");
            }
            p = fields(text.substring(0, dirname));
            p.put("appenddirname", secondLine(text.substring(dirname + 10, filename)));
            p.put("appendfilename", secondLine(text.substring(filename + 11)));
        } else {
            call("CONFIG", "SET", "appendonly", "yes");
            p = new LinkedHashMap<>(awaitPersistence(x -> "1".equals(x.get("aof_enabled"))
                    && "0".equals(x.get("aof_rewrite_in_progress")) && "0".equals(x.get("aof_rewrite_scheduled")), timeout,
                    "the AOF rewrite"));
            p.put("appenddirname", config("appenddirname"));
            p.put("appendfilename", config("appendfilename"));
        }
        // in an exec of its own: a server that is its container's main process takes the container down with it,
        // and every exec in it, so the script above could not report after a SHUTDOWN of its own
        try {
            call("SHUTDOWN");
        } catch (HostException expected) {
            // redis-cli reports the connection closing under it; the caller awaits the container's end
        }
        return p;
    }

    /** The value of a CONFIG GET answer (its second line), empty where there is none. */
    private static String secondLine(String answer) {
        List<String> lines = answer.lines().toList();
        return lines.size() >= 2 ? lines.get(1).trim() : "";
    }

    /** Keys per logical database, from INFO keyspace: {"db0": 5, ...}. */
    public Map<String, Long> keyCounts() {
        return keyCounts(info("keyspace"));
    }

    /** Keys per logical database among INFO fields (those named dbN). */
    public static Map<String, Long> keyCounts(Map<String, String> info) {
        Map<String, Long> counts = new LinkedHashMap<>();
        info.forEach((db, v) -> {
            if (db.matches("db\\d+")) {
                counts.put(db, Long.parseLong(v.split(",")[0].substring("keys=".length())));
            }
        });
        return counts;
    }

    /**
     * Waits inside the container, for about {@code seconds}, until Redis has loaded its data ({@code loading:0});
     * true once it has. One exec where looking from outside took one per look, as {@link PostgresClient#readyWithin}.
     * Where the container has no shell, asks once, as {@link #ready}.
     */
    public boolean readyWithin(int seconds) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "n=$1; shift; i=0; until \"$@\" INFO persistence 2>/dev/null"
                + " | grep -q '^loading:0'; do i=$((i+1)); [ \"$i\" -lt \"$n\" ] || exit 1; sleep 0.05; done", "sh",
                Integer.toString(Math.max(1, seconds) * 20)));
        cmd.addAll(base);
        return WaitInside.run(docker, container, cmd, env, this::ready);
    }

    public boolean ready() {
        try {
            // one exec: INFO answers while Redis loads its data (loading:1), and once it has loaded (loading:0)
            return "0".equals(info("persistence").get("loading"));
        } catch (HostException e) {
            return false;
        }
    }

}
