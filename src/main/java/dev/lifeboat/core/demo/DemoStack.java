package dev.lifeboat.core.demo;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.VolumeSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small but realistic Compose-style stack for demos and tests: PostgreSQL with two databases
 * (foreign keys, a sequence, bytea, JSON), Redis with RDB and AOF persistence, an app container with an
 * uploads volume (nested dirs, a symlink, a non-ASCII name, 600/755 modes, an empty dir) and a
 * config directory with a compose file, a {@code .env} with secrets and a TLS key pair. It runs on
 * any image that has PostgreSQL and Redis installed (the test fixture image). Containers use the
 * host network on free loopback ports, or no network at all.
 */
public final class DemoStack {
    public static final String DEMO_LABEL = "lifeboat.demo";
    private final DockerEngine docker;
    private final String image;

    public DemoStack(DockerEngine docker, String image) {
        this.docker = docker;
        this.image = image;
    }

    /** What was created, for callers that want to talk to it. */
    public record Info(String name, Path configDir, int postgresPort, int redisPort,
                       String dbContainer, String cacheContainer, String appContainer, List<String> volumes) {
    }

    public Info create(String name, Path configDir) {
        if (!docker.hasImage(image)) {
            throw new LifeboatException("The demo stack needs the image " + image + " (PostgreSQL 15, Redis and busybox in one "
                    + "image) on host " + docker.host().name() + "; scripts/provision.sh builds it. Nothing was created");
        }
        if (!docker.containersLabelled(DEMO_LABEL, name).isEmpty()) {
            throw new LifeboatException("A demo stack named " + name + " already exists; remove it with 'lifeboat demo down "
                    + name + "'");
        }
        int pgPort = freePort();
        int redisPort = freePort();
        String db = name + "-db";
        String cache = name + "-cache";
        String app = name + "-app";
        String pgdata = name + "_pgdata";
        String redisdata = name + "_redisdata";
        String uploads = name + "_uploads";
        String dbPassword = HexFormat.of().formatHex(randomBytes(16));
        try {
            writeConfig(name, configDir, pgPort, redisPort, dbPassword);
        } catch (IOException e) {
            throw new LifeboatException("Cannot write the demo config directory " + configDir + ": " + e.getMessage(), e);
        }
        for (String v : List.of(pgdata, redisdata, uploads)) {
            docker.createVolume(new VolumeSpec(v, "local", Map.of("com.docker.compose.project", name,
                    "com.docker.compose.volume", v.substring(name.length() + 1), DEMO_LABEL, name)));
        }
        String pgCmd = "mkdir -p /var/run/postgresql \"$PGDATA\" && chown postgres:postgres /var/run/postgresql \"$PGDATA\""
                + " && chmod 700 \"$PGDATA\" && if [ ! -s \"$PGDATA/PG_VERSION\" ]; then"
                + " setpriv --reuid=postgres --regid=postgres --init-groups initdb -D \"$PGDATA\" -U postgres -A trust"
                + " --no-sync >/dev/null; fi && exec setpriv --reuid=postgres --regid=postgres --init-groups"
                + " postgres -D \"$PGDATA\" -c listen_addresses=127.0.0.1 -c port=\"$PGPORT\"";
        docker.createContainer(new ContainerSpec(db, image, null, List.of("sh", "-c", pgCmd), null,
                List.of("PGDATA=/var/lib/postgresql/data", "PGPORT=" + pgPort, "POSTGRES_USER=postgres",
                        "POSTGRES_PASSWORD=" + dbPassword),
                labels(name, "db", configDir, Map.of("lifeboat.kind", "postgres")), null, null, "host", "unless-stopped",
                // no Docker healthcheck: one every second (Docker 20.10 has no faster first probe) costs a runc exec
                // each, about 6 % of a core per stack; Lifeboat's own probe says when PostgreSQL serves
                List.of(new MountSpec("volume", pgdata, "/var/lib/postgresql/data", false)), null, true));
        docker.createContainer(new ContainerSpec(cache, image, null,
                List.of("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--dir", "/data",
                        "--save", "60 1", "--appendonly", "yes"), null, List.of(),
                labels(name, "cache", configDir, Map.of("lifeboat.kind", "redis")), null, null, "host", "unless-stopped",
                List.of(new MountSpec("volume", redisdata, "/data", false)), null, true));
        docker.createContainer(new ContainerSpec(app, image, null,
                List.of("sh", "-c", "trap 'exit 0' TERM; sleep infinity & wait"), null, List.of("UPLOAD_DIR=/srv/uploads"),
                labels(name, "app", configDir, Map.of("lifeboat.stop-during-backup", "true")), null, "/srv", "none",
                "unless-stopped", List.of(new MountSpec("volume", uploads, "/srv/uploads", false)), null, true));
        docker.writeArchive(app, "/srv/uploads", new ByteArrayInputStream(uploadsTar()));
        for (String c : List.of(db, cache, app)) {
            docker.start(c);
        }
        ContainerSpec dbSpec = docker.inspect(db).orElseThrow();
        PostgresClient pg = new PostgresClient(docker, dbSpec);
        docker.awaitReady(db, Duration.ofSeconds(60), () -> pg.readyWithin(2));
        seedPostgres(pg);
        RedisClient redis = new RedisClient(docker, docker.inspect(cache).orElseThrow());
        docker.awaitReady(cache, Duration.ofSeconds(30), () -> redis.readyWithin(2));
        seedRedis(redis);
        return new Info(name, configDir, pgPort, redisPort, db, cache, app, List.of(pgdata, redisdata, uploads));
    }

    /** Removes the demo's containers and volumes (by label). The config directory is left alone. */
    public void remove(String name) {
        for (ContainerSpec c : docker.containersLabelled(DEMO_LABEL, name)) {
            docker.remove(c.name());
        }
        for (String v : docker.volumesLabelled(DEMO_LABEL, name)) {
            docker.removeVolume(v);
        }
    }

    private static Map<String, String> labels(String project, String service, Path configDir, Map<String, String> extra) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("com.docker.compose.project", project);
        l.put("com.docker.compose.service", service);
        l.put("com.docker.compose.project.working_dir", configDir.toAbsolutePath().toString());
        l.put("com.docker.compose.project.config_files", configDir.toAbsolutePath().resolve("compose.yaml").toString());
        l.put(DEMO_LABEL, project);
        l.putAll(extra);
        return l;
    }

    private static void seedPostgres(PostgresClient pg) {
        pg.script("postgres", """
                CREATE ROLE shop_app LOGIN PASSWORD 'demo-only-password';
                CREATE DATABASE shop OWNER shop_app;
                CREATE DATABASE analytics;
                """);
        pg.script("shop", """
                SET ROLE shop_app;
                CREATE TABLE customers (
                    id bigserial PRIMARY KEY,
                    email text NOT NULL UNIQUE,
                    name text NOT NULL,
                    profile jsonb NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE orders (
                    id bigserial PRIMARY KEY,
                    customer_id bigint NOT NULL REFERENCES customers(id),
                    total numeric(12,2) NOT NULL CHECK (total >= 0),
                    placed_at timestamptz NOT NULL);
                CREATE TABLE documents (
                    id serial PRIMARY KEY,
                    order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                    filename text NOT NULL,
                    body bytea NOT NULL);
                CREATE SEQUENCE invoice_number START 1000;
                INSERT INTO customers(email, name, profile, created_at)
                  SELECT 'user' || g || '@example.org', 'Customer ' || md5(g::text),
                         jsonb_build_object('tier', (ARRAY['free','pro','team'])[1 + g % 3], 'tags', jsonb_build_array(md5((g*7)::text))),
                         timestamptz '2026-01-01' + g * interval '37 minutes'
                  FROM generate_series(1, 2000) g;
                INSERT INTO orders(customer_id, total, placed_at)
                  SELECT 1 + (g * 13) % 2000, round((random() * 500)::numeric, 2), timestamptz '2026-02-01' + g * interval '11 minutes'
                  FROM generate_series(1, 6000) g;
                INSERT INTO documents(order_id, filename, body)
                  SELECT g, 'invoice-' || g || '.bin', decode(md5(g::text) || md5(random()::text) || md5(random()::text), 'hex')
                  FROM generate_series(1, 500) g;
                SELECT nextval('invoice_number') FROM generate_series(1, 17);
                """);
        pg.script("analytics", """
                CREATE TABLE events (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    kind text NOT NULL,
                    payload jsonb NOT NULL,
                    at timestamptz NOT NULL);
                CREATE TABLE daily (day date PRIMARY KEY, visits int NOT NULL CHECK (visits >= 0));
                INSERT INTO events(kind, payload, at)
                  SELECT (ARRAY['view','click','buy'])[1 + g % 3], jsonb_build_object('session', md5(g::text), 'n', g),
                         timestamptz '2026-03-01' + g * interval '1 minute'
                  FROM generate_series(1, 3000) g;
                INSERT INTO daily SELECT date '2026-01-01' + g, (g * 37) % 1000 FROM generate_series(0, 200) g;
                """);
    }

    private static void seedRedis(RedisClient redis) {
        StringBuilder cmds = new StringBuilder("""
                SET config:feature_flags "{\\"beta\\":true,\\"dark_mode\\":false}"
                SET session:abc123 "user=42;role=admin" EX 86400
                HSET user:42 name Ada email ada@example.org visits 17
                RPUSH queue:emails welcome:42 digest:17 reset:99
                SADD tags backup restore drill
                ZADD leaderboard 10 ada 20 grace 15 linus
                """);
        for (int i = 0; i < 200; i++) {
            cmds.append("SET cache:item:").append(i).append(" value-").append(Integer.toHexString(i * 7919)).append('\n');
        }
        cmds.append("""
                SELECT 1
                SET db1:marker "second database"
                SET db1:expiring soon EX 3600
                SAVE
                """);
        redis.script(cmds.toString());
    }

    private static byte[] uploadsTar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Random random = new Random(42);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            dir(tar, "docs/", 0755, 1000);
            dir(tar, "docs/2026/", 0755, 1000);
            dir(tar, "docs/2026/q1/", 0750, 1000);
            file(tar, "docs/2026/q1/report.txt", 0644, 1000, ("Quarterly report\n" + "revenue,42\n".repeat(50)).getBytes(StandardCharsets.UTF_8));
            byte[] photo = new byte[150_000];
            random.nextBytes(photo);
            file(tar, "docs/2026/Résumé final été.pdf", 0600, 1000, photo);
            file(tar, "bin/rotate.sh", 0755, 0, "#!/bin/sh\necho rotating\n".getBytes(StandardCharsets.UTF_8));
            file(tar, "private/api.key", 0600, 1000, HexFormat.of().formatHex(randomBytes(32)).getBytes(StandardCharsets.US_ASCII));
            dir(tar, "empty/", 0700, 1000);
            TarArchiveEntry link = new TarArchiveEntry("latest-report", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("docs/2026/q1/report.txt");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            tar.finish();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode, int owner) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040000 | mode);
        e.setUserId(owner);
        e.setGroupId(owner);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, int owner, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setUserId(owner);
        e.setGroupId(owner);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static void writeConfig(String name, Path dir, int pgPort, int redisPort, String dbPassword) throws IOException {
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("compose.yaml"), """
                name: %s
                services:
                  db:
                    image: postgres:15
                    network_mode: host
                    environment:
                      PGPORT: "%d"
                      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
                    volumes: [pgdata:/var/lib/postgresql/data]
                  cache:
                    image: redis:7
                    network_mode: host
                    command: ["redis-server", "--port", "%d", "--save", "60 1", "--appendonly", "yes"]
                    volumes: [redisdata:/data]
                  app:
                    image: example/app:1.4
                    network_mode: none
                    env_file: .env
                    labels: {lifeboat.stop-during-backup: "true"}
                    volumes: [uploads:/srv/uploads]
                volumes: {pgdata: {}, redisdata: {}, uploads: {}}
                """.formatted(name, pgPort, redisPort));
        Path env = dir.resolve(".env");
        Files.writeString(env, "POSTGRES_PASSWORD=" + dbPassword + "\n"
                + "API_SECRET=" + HexFormat.of().formatHex(randomBytes(24)) + "\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
        Path key = dir.resolve("certs/tls.key");
        Path crt = dir.resolve("certs/tls.crt");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-subj", "/CN=" + name + ".demo.invalid", "-keyout", key.toString(), "-out", crt.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new HostException("openssl could not create the demo TLS pair: " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while creating the demo TLS pair");
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new LifeboatException("No free loopback port: " + e.getMessage(), e);
        }
    }
}
