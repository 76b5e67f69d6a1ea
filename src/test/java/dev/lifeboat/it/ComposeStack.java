package dev.lifeboat.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An ordinary compose project made by Debian's {@code docker-compose}: two user networks with
 * aliases, two loopback-published ports, a bind-mounted config file, {@code env_file}s, healthchecks
 * and three restart policies, PostgreSQL and Redis on a bridge network. Nothing connects to a
 * container's address: data is read with {@code docker exec}, configuration with {@code docker inspect}.
 */
final class ComposeStack {
    static final ObjectMapper JSON = new ObjectMapper();
    final String project;
    final Path dir;
    final int webPort;
    final int adminPort;

    ComposeStack(Path parent, String project) throws IOException {
        this.project = project;
        this.dir = parent.resolve(project);
        this.webPort = freePort();
        this.adminPort = freePort();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String db() {
        return project + "_db_1";
    }

    String cache() {
        return project + "_cache_1";
    }

    String app() {
        return project + "_app_1";
    }

    List<String> containers() {
        return List.of(app(), cache(), db());
    }

    /** Where the {@code media} volume keeps its files: a bind-type local volume (driver options), outside the project. */
    Path mediaStore() {
        return dir.resolveSibling(project + "-media-store");
    }

    /** Writes the project directory and runs {@code docker-compose up -d}, then waits for the databases' healthchecks. */
    void up() throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(mediaStore());
        String pg = "mkdir -p /var/run/postgresql \\\"$$PGDATA\\\" && chown postgres:postgres /var/run/postgresql \\\"$$PGDATA\\\""
                + " && chmod 700 \\\"$$PGDATA\\\" && if [ ! -s \\\"$$PGDATA/PG_VERSION\\\" ]; then"
                + " setpriv --reuid=postgres --regid=postgres --init-groups initdb -D \\\"$$PGDATA\\\" -U postgres -A trust"
                + " --no-sync >/dev/null; fi && exec setpriv --reuid=postgres --regid=postgres --init-groups"
                + " postgres -D \\\"$$PGDATA\\\" -c listen_addresses=''";
        Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "3.8"
                services:
                  db:
                    image: %1$s
                    command: ["sh", "-c", "%2$s"]
                    env_file: db.env
                    volumes:
                      - pgdata:/var/lib/postgresql/data
                    networks:
                      back:
                        aliases: [database, pg]
                    healthcheck:
                      test: ["CMD-SHELL", "pg_isready -q -h /var/run/postgresql"]
                      interval: 30s
                      timeout: 5s
                      retries: 60
                    restart: always
                    stop_grace_period: 20s
                  cache:
                    image: %1$s
                    command: ["redis-server", "--dir", "/data", "--appendonly", "no", "--save", "60 1"]
                    volumes:
                      - redisdata:/data
                    networks:
                      back:
                        aliases: [sessions]
                    healthcheck:
                      test: ["CMD", "redis-cli", "ping"]
                      interval: 30s
                      retries: 60
                    restart: unless-stopped
                  app:
                    image: %1$s
                    command: ["sh", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait"]
                    env_file: app.env
                    working_dir: /srv
                    hostname: shop-app
                    volumes:
                      - ./conf/app.conf:/etc/app.conf:ro
                      - uploads:/srv/uploads
                      - media:/srv/media
                    ports:
                      - "127.0.0.1:%3$d:8080"
                      - "127.0.0.1:%4$d:8443"
                    networks:
                      front:
                        aliases: [web, www]
                      back: {}
                    extra_hosts:
                      - "backup.internal:127.0.0.1"
                    cap_add: [NET_ADMIN]
                    tmpfs: [/run/app]
                    ulimits:
                      nofile: {soft: 4096, hard: 8192}
                    stop_signal: SIGINT
                    stop_grace_period: 5s
                    healthcheck:
                      test: ["CMD-SHELL", "test -r /etc/app.conf"]
                      interval: 30s
                      retries: 30
                    depends_on: [db, cache]
                    restart: on-failure:3
                networks:
                  front:
                    labels:
                      dev.lifeboat.test: front
                  back:
                    driver_opts:
                      com.docker.network.driver.mtu: "1400"
                volumes:
                  pgdata: {}
                  redisdata: {}
                  uploads: {}
                  media:
                    driver_opts:
                      type: none
                      o: bind
                      device: %5$s
                """.formatted(Rig.IMAGE, pg, webPort, adminPort, mediaStore()));
        Files.writeString(dir.resolve("db.env"), "POSTGRES_PASSWORD=compose-secret-4711\nPGDATA=/var/lib/postgresql/data\n");
        Files.writeString(dir.resolve("app.env"), "DATABASE_URL=postgres://postgres@database/shop\nREDIS_HOST=sessions\n");
        Files.writeString(dir.resolve("conf/app.conf"), "listen 8080\nworkers 4\n");
        compose("up", "-d");
        awaitHealthy(db());
        awaitHealthy(cache());
        awaitHealthy(app());
    }

    /**
     * Waits until the container's own healthcheck passes, run with {@code docker exec} as Lifeboat runs it: Docker's
     * first look comes only one interval (30 s, Docker's default) after the start.
     */
    void awaitHealthy(String container) {
        List<String> test = new ArrayList<>();
        try {
            JSON.readTree(Rig.docker("inspect", "-f", "{{json .Config.Healthcheck.Test}}", container)).forEach(t -> test.add(t.asText()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", container));
        cmd.addAll(test.get(0).equals("CMD-SHELL") ? List.of("/bin/sh", "-c", test.get(1)) : test.subList(1, test.size()));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0) {
                    return;
                }
                Thread.sleep(250); // polling the check's answer, with a deadline
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail(container + "'s healthcheck did not pass within 90 s");
    }

    /** Runs docker-compose in the project directory. */
    String compose(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-p", project));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                fail(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String psql(String db, String sql) {
        return Rig.docker("exec", "-u", "postgres", db(), "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h",
                "/var/run/postgresql", "-d", db, "-c", sql);
    }

    String redis(String... args) {
        List<String> cmd = new ArrayList<>(List.of("exec", cache(), "redis-cli"));
        cmd.addAll(List.of(args));
        return Rig.docker(cmd.toArray(String[]::new));
    }

    /** The data, read through the containers: row counts and md5 of ordered rows, Redis values, the uploads. */
    Map<String, String> data() {
        Map<String, String> d = new TreeMap<>();
        d.put("orders", psql("shop", "SELECT count(*) || ' ' || md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o").trim());
        d.put("redis", redis("--no-raw", "MGET", "cart:1", "cart:2").trim());
        // as the app sees it: what a restore keeps aside at the root (.lifeboat-*, hidden) is Lifeboat's, not the app's
        d.put("uploads", Rig.docker("exec", app(), "sh", "-c", "cd /srv/uploads && stat -c '%a %u:%g' . && ls -l --time-style=+"
                + " && cat *").trim());
        d.put("media", Rig.docker("exec", app(), "sh", "-c", "cat /srv/media/poster.txt").trim());
        return d;
    }

    void seed() {
        psql("postgres", "CREATE DATABASE shop");
        psql("shop", "CREATE TABLE orders (id int PRIMARY KEY, item text, price numeric);"
                + "INSERT INTO orders SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 500) g");
        redis("SET", "cart:1", "three apples");
        redis("SET", "cart:2", "a pear");
        Rig.docker("exec", app(), "sh", "-c", "echo invoice-1 > /srv/uploads/invoice-1.txt && chmod 640 /srv/uploads/invoice-1.txt"
                + " && echo poster > /srv/media/poster.txt");
    }

    /** The configuration {@code docker compose up} decides, per container, from {@code docker inspect}. */
    Map<String, JsonNode> configuration() throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        for (String c : containers()) {
            JsonNode i = JSON.readTree(Rig.docker("inspect", c)).get(0);
            var o = JSON.createObjectNode();
            JsonNode config = i.get("Config");
            JsonNode hc = i.get("HostConfig");
            o.set("Image", config.get("Image"));
            o.set("ImageId", i.get("Image"));
            o.set("Cmd", config.get("Cmd"));
            o.set("Entrypoint", config.get("Entrypoint"));
            o.set("Env", config.get("Env"));
            o.set("Labels", config.get("Labels"));
            o.set("WorkingDir", config.get("WorkingDir"));
            o.set("Healthcheck", config.get("Healthcheck"));
            o.set("StopSignal", config.get("StopSignal"));
            o.set("StopTimeout", config.get("StopTimeout"));
            o.set("PortBindings", hc.get("PortBindings"));
            o.set("RestartPolicy", hc.get("RestartPolicy"));
            o.set("ExtraHosts", hc.get("ExtraHosts"));
            o.set("CapAdd", hc.get("CapAdd"));
            o.set("Tmpfs", hc.get("Tmpfs"));
            o.set("Ulimits", hc.get("Ulimits"));
            o.set("Binds", hc.get("Binds"));
            o.set("NetworkMode", hc.get("NetworkMode"));
            var mounts = JSON.createArrayNode();
            List<String> sortedMounts = new ArrayList<>(); // Docker lists mounts in no fixed order
            for (JsonNode m : i.get("Mounts")) {
                sortedMounts.add(m.path("Type").asText() + " " + m.path("Name").asText(m.path("Source").asText()) + " -> "
                        + m.path("Destination").asText() + (m.path("RW").asBoolean() ? " rw" : " ro"));
            }
            sortedMounts.sort(null);
            sortedMounts.forEach(mounts::add);
            o.set("Mounts", mounts);
            var networks = JSON.createObjectNode();
            String id = i.get("Id").asText();
            i.path("NetworkSettings").path("Networks").fields().forEachRemaining(n -> {
                var aliases = JSON.createArrayNode();
                List<String> sorted = new ArrayList<>();
                n.getValue().path("Aliases").forEach(a -> {
                    if (!id.startsWith(a.asText())) {
                        sorted.add(a.asText());
                    }
                });
                sorted.sort(null);
                sorted.forEach(aliases::add);
                networks.set(n.getKey(), aliases);
            });
            o.set("Networks", networks);
            out.put(c, o);
        }
        return out;
    }

    /** Driver, options and labels of the project's volumes. */
    Map<String, String> volumes() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String v : List.of("pgdata", "redisdata", "uploads", "media")) {
            JsonNode i = JSON.readTree(Rig.docker("volume", "inspect", project + "_" + v)).get(0);
            out.put(v, i.get("Driver").asText() + " options=" + i.get("Options") + " labels=" + i.get("Labels"));
        }
        return out;
    }

    /** Driver, options, labels and the internal flag of the project's networks. */
    Map<String, String> networks() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String n : List.of(project + "_front", project + "_back")) {
            JsonNode i = JSON.readTree(Rig.docker("network", "inspect", n)).get(0);
            out.put(n, i.get("Driver").asText() + " internal=" + i.get("Internal").asBoolean() + " options="
                    + i.get("Options") + " labels=" + i.get("Labels"));
        }
        return out;
    }

    String containerId(String name) {
        return Rig.docker("inspect", "-f", "{{.Id}}", name).trim();
    }

    /** Removes every container, network and volume of the project, by the project label compose put on them. */
    void remove() {
        String label = "label=com.docker.compose.project=" + project;
        String ids = Rig.docker("ps", "-aq", "--filter", label).trim();
        if (!ids.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
            cmd.addAll(ids.lines().toList());
            Rig.docker(cmd.toArray(String[]::new));
        }
        String nets = Rig.docker("network", "ls", "-q", "--filter", label).trim();
        if (!nets.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("network", "rm"));
            cmd.addAll(nets.lines().toList());
            Rig.docker(cmd.toArray(String[]::new));
        }
        String vols = Rig.docker("volume", "ls", "-q", "--filter", label).trim();
        if (!vols.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("volume", "rm", "-f"));
            cmd.addAll(vols.lines().toList());
            Rig.docker(cmd.toArray(String[]::new));
        }
    }
}
