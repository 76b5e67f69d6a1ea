package dev.lifeboat.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ContainerSpecTest {
    @Test
    void thePlainManifestCopyKeepsNoCommandEnvironmentHealthcheckOrSecretLabels() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ContainerSpec spec = new ContainerSpec("shop_cache_1", "redis:7", "sha256:abc",
                List.of("redis-server", "--requirepass", "s3cret-pass"), List.of("docker-entrypoint.sh", "--token=tok-123"),
                List.of("API_KEY=key-456"), Map.of("com.docker.compose.project", "shop", "com.docker.compose.service", "cache",
                        "traefik.http.middlewares.auth.basicauth.users", "admin:$apr1$hash-789"),
                "redis", "/data", "shop_back", "always", List.of(new MountSpec("volume", "shop_redis", "/data", false)),
                new HealthSpec(List.of("CMD", "redis-cli", "-a", "s3cret-pass", "ping"), null, null, null, null), true,
                json.readTree("{\"Config\":{\"Cmd\":[\"redis-server\",\"--requirepass\",\"s3cret-pass\"]}}"));

        String plain = json.writeValueAsString(spec.redacted());

        for (String secret : List.of("s3cret-pass", "tok-123", "key-456", "hash-789")) {
            assertFalse(plain.contains(secret), secret + " in " + plain);
        }
        ContainerSpec r = spec.redacted();
        assertEquals(Map.of("com.docker.compose.project", "shop", "com.docker.compose.service", "cache"), r.labels());
        assertEquals(spec.mounts(), r.mounts());
        assertEquals("redis:7", r.image());
    }

    @Test
    void theStopTimeoutIsTheContainersOwnElseDockersDefault() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ContainerSpec slow = new ContainerSpec("db", "pg", null, null, null, null, Map.of(), null, null, null, null, List.of(),
                null, true, json.readTree("{\"Config\":{\"StopTimeout\":120}}"));
        ContainerSpec plain = new ContainerSpec("app", "app", null, null, null, null, Map.of(), null, null, null, null,
                List.of(), null, true);
        assertEquals(120, slow.stopTimeout());
        assertEquals(10, plain.stopTimeout());
    }
}
