package dev.lifeboat.core.kinds.redis;

import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.secrets.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The twin that rebuilds an AOF from a point's RDB, on the real engine, from an image with a HEALTHCHECK of its
 * own ({@code redis-cli ping} on the default port, as Redis images built in-house often have): the twin listens on a
 * private socket only, so that check can never pass there, and the twin must not wait for it.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisTwinIT {
    private final String name = "twin" + UUID.randomUUID().toString().substring(0, 6);
    private final String image = "lifeboat-it-" + name + ":latest";
    private DockerGateway docker;

    @BeforeAll
    void imageWithItsOwnHealthcheck() {
        String base = System.getProperty("lifeboat.fixture.image", "lifeboat-fixture:bookworm");
        String c = docker("create", "--label", "lifeboat.demo=" + name, base, "true").trim();
        try {
            docker("commit", "--change", "HEALTHCHECK --interval=1s --retries=1 CMD redis-cli ping", "--change",
                    "LABEL lifeboat.demo=" + name, c, image);
        } finally {
            docker("rm", c);
        }
        docker("volume", "create", "--label", "lifeboat.demo=" + name, name + "-data");
        docker = DockerGateway.connect(new Host("local", "unix:///var/run/docker.sock", false, null, null), Secrets.NONE);
    }

    @AfterAll
    void remove() throws Exception {
        if (docker != null) {
            docker.close();
        }
        for (String id : docker("ps", "-aq", "--filter", "label=lifeboat.demo=" + name).lines().toList()) {
            docker("rm", "-f", id);
        }
        docker("volume", "rm", "-f", name + "-data");
        docker("rmi", image);
    }

    @Test
    void theTwinIgnoresTheImagesHealthcheckAndRewritesTheAof() {
        ContainerSpec spec = new ContainerSpec(name + "-cache", image, null,
                List.of("redis-server", "--dir", "/data", "--appendonly", "yes"), null, List.of(), Map.of("lifeboat.demo", name),
                null, null, "none", null, List.of(new MountSpec("volume", name + "-data", "/data", false)), null, true);
        RestoreContext ctx = (RestoreContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{RestoreContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "docker" -> docker;
                    case "image" -> ((ContainerSpec) args[0]).image();
                    case "helperLabels" -> Map.of("lifeboat.demo", name);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        String aof = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> RedisKind.rebuildAppendOnlyFile(ctx, spec, null),
                "the twin waited on a healthcheck that cannot pass on its private socket");
        String listed = docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + name, "-v", name + "-data:/data",
                image, "ls", "/data");
        assertTrue(listed.lines().anyMatch(aof::equals), aof + " in " + listed);
        assertEquals("", docker("ps", "-aq", "--filter", "name=" + name + "-cache-lifeboat-aof").trim(), "the twin is removed");
    }

    private static String docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
