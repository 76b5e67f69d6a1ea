package dev.lifeboat.it;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.HistoryContract;
import dev.lifeboat.core.history.HistoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history contract on a PostgreSQL 15 server, as a team shares it: one database per history name. */
@Tag("integration")
class PostgresHistoryIT extends HistoryContract {
    private static PostgresServer server;
    @TempDir
    Path home;
    private final Map<String, String> urls = new HashMap<>();
    private final String prefix = Rig.uniqueName("h").replace("-", "");

    @BeforeAll
    static void startServer() throws Exception {
        server = new PostgresServer();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected HistoryStore open(String name) {
        String url = urls.computeIfAbsent(name, n -> {
            try {
                return server.createDatabase(prefix + "_" + n);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return HistoryStore.openServer(home, url, clock);
    }

    /** One machine's Lifeboat: its own home, key store and agent, the team's history. */
    private record Machine(HistoryStore history, dev.lifeboat.core.schedule.Agent agent) {
    }

    private Machine machine(String name, String url, dev.lifeboat.core.host.InMemoryEngine engine) throws Exception {
        return dev.lifeboat.core.AsMachine.run(name, () -> {
            Path home = this.home.resolve(name);
            HistoryStore history = HistoryStore.openServer(home, url, clock);
            var secrets = new dev.lifeboat.core.secrets.SecretStore(home,
                    dev.lifeboat.core.secrets.MasterPassword.standard(null));
            var repositories = new dev.lifeboat.core.storage.Repositories(history, secrets, "agent@" + name);
            var kinds = dev.lifeboat.core.kinds.BuiltInKinds.all();
            java.util.function.Function<dev.lifeboat.core.model.Host, dev.lifeboat.core.host.DockerEngine> connector = h -> engine;
            var backups = new dev.lifeboat.core.backup.BackupService(repositories, connector, kinds, "test");
            var verifier = new dev.lifeboat.core.verify.IntegrityVerifier(repositories, connector, kinds);
            var agent = new dev.lifeboat.core.schedule.Agent(history, backups, new dev.lifeboat.core.storage.Replicator(repositories),
                    verifier, new dev.lifeboat.core.proof.RestoreTestService(repositories, connector, kinds, verifier,
                            new dev.lifeboat.core.pitr.PitrRestore(history, repositories, connector, new dev.lifeboat.core.pitr.WalShipping(
                                    history, repositories, connector, kinds, clock), backups, clock)),
                    new dev.lifeboat.core.retention.PruneService(repositories),
                    new dev.lifeboat.core.alert.AlertService(history, repositories, secrets, clock,
                            dev.lifeboat.core.alert.AlertRules.Thresholds.defaults(), 1000),
                    clock, java.time.Duration.ZERO);
            return new Machine(history, agent);
        });
    }

    /**
     * Two agents on two machines share one history on PostgreSQL and tick at the same moments: every
     * slot of every plan runs once, by one of them, never twice and never skipped.
     */
    @Test
    public void twoAgentsSharingAHistoryNeverRunTheSamePlanSlotTwice() throws Exception {
        String url = server.createDatabase(prefix + "_team");
        var engine = new dev.lifeboat.core.host.InMemoryEngine("app1").image("shop/app:1", "sha256:app1");
        List<String> stacks = List.of("shop", "wiki", "crm");
        for (String stack : stacks) {
            engine.run(new dev.lifeboat.core.model.ContainerSpec(stack + "-app", "shop/app:1", "sha256:app1", List.of("serve"),
                    List.of(), List.of(), Map.of(dev.lifeboat.core.discovery.StackDiscovery.PROJECT, stack), null, null, null, "no",
                    List.of(new dev.lifeboat.core.model.MountSpec("volume", stack + "_data", "/data", false)), null, true));
            engine.putFile(stack + "-app", "/data/file.txt", "data of " + stack + "\n");
        }
        Path key = home.resolve("team.key");
        dev.lifeboat.core.pipeline.RepositoryKey.generate(key);
        clock.advance(java.time.Duration.ofMinutes(30)); // 10:30
        try (HistoryStore setup = HistoryStore.openServer(home.resolve("admin"), url, clock)) {
            setup.hosts().add(engine.host());
            new dev.lifeboat.core.storage.Repositories(setup, new dev.lifeboat.core.secrets.SecretStore(home.resolve("admin"),
                    dev.lifeboat.core.secrets.MasterPassword.standard(null)), "admin")
                    .register(new dev.lifeboat.core.storage.Repositories.Registration("disk", "local",
                            home.resolve("backups").toString(), key.toString()), "admin", null);
            for (String stack : stacks) {
                new dev.lifeboat.core.schedule.PlanService(setup).save(new dev.lifeboat.core.model.BackupPlan(stack + "-hourly",
                        "app1", stack, "disk", List.of(), new dev.lifeboat.core.model.RetentionPolicy(24, 7, 4, 12, 1),
                        "0 * * * *", null, false, null, "UTC", List.of()), "admin");
                setup.plans().setLastSlot(stack + "-hourly", "BACKUP", java.time.Instant.parse("2026-12-01T10:00:00Z"));
            }
        }
        int rounds = 3;
        for (int round = 1; round <= rounds; round++) {
            clock.advance(java.time.Duration.ofHours(1)); // the next hourly slot is due on both machines at once
            Machine a = machine("machine-a", url, engine);
            Machine b = machine("machine-b", url, engine);
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            Thread other = new Thread(() -> {
                try {
                    together.await();
                    b.agent().tick();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            other.start();
            together.await();
            a.agent().tick();
            other.join();
            assertTrue(a.agent().finishRunning(java.time.Duration.ofMinutes(1)), "machine-a's jobs ended");
            assertTrue(b.agent().finishRunning(java.time.Duration.ofMinutes(1)), "machine-b's jobs ended");
            a.agent().close();
            b.agent().close();
            a.history().close();
            b.history().close();
        }
        try (HistoryStore h = HistoryStore.openServer(home.resolve("admin"), url, clock)) {
            var backups = h.runs().recent(100).stream().filter(r -> r.kind().equals("backup")).toList();
            for (String stack : stacks) {
                var mine = backups.stream().filter(r -> stack.equals(r.stack())).toList();
                assertEquals(rounds, mine.size(), stack + ": one backup per slot, by one agent: " + mine);
                assertTrue(mine.stream().allMatch(r -> r.status().equals("ok")), mine.toString());
            }
            assertEquals(stacks.size() * rounds, h.points().of(null, null).size());
        }
    }

    @Test
    public void twoAdminsWithTheirOwnHomesSeeOneHistory() throws Exception {
        String url = server.createDatabase(prefix + "_admins");
        Rig.lifeboat(home.resolve("alice"), "--history", url, "host", "add", "db9", "--docker", "unix:///var/run/docker.sock")
                .ok();
        String listed = Rig.lifeboat(home.resolve("bob"), "--history", url, "host", "list").ok().out();
        assertTrue(listed.contains("db9"), listed);
        String plain = Rig.lifeboat(home.resolve("carol"), "host", "list").ok().out();
        assertTrue(!plain.contains("db9"), "without --history, a home keeps its own embedded history: " + plain);
    }

    @Test
    public void aPasswordInTheUrlIsRefusedBeforeAnythingConnects() {
        LifeboatException e = assertThrows(LifeboatException.class,
                () -> HistoryStore.openServer(home, server.url("x") + "&password=hunter2", clock));
        assertTrue(e.getMessage().contains("~/.pgpass") && !e.getMessage().contains("hunter2"), e.getMessage());
        LifeboatException wrong = assertThrows(LifeboatException.class,
                () -> HistoryStore.openServer(home, "jdbc:mysql://127.0.0.1/x?password=hunter2", clock));
        assertTrue(!wrong.getMessage().contains("hunter2"), wrong.getMessage());
        LifeboatException gone = assertThrows(LifeboatException.class,
                () -> HistoryStore.openServer(home, server.url("no_such_database"), clock));
        assertTrue(gone.getMessage().startsWith("Cannot open the shared history at 127.0.0.1:" + server.port + "/no_such_database"),
                gone.getMessage());
    }
}
