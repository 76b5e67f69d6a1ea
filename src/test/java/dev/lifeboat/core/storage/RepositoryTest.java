package dev.lifeboat.core.storage;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.pipeline.RepositoryKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryTest {
    @TempDir
    Path dir;

    @Test
    void aDestinationRefusesAKeyOtherThanTheOneItWasCreatedWith() {
        Path k1 = dir.resolve("k1");
        Path k2 = dir.resolve("k2");
        RepositoryKey.generate(k1);
        RepositoryKey other = RepositoryKey.generate(k2);
        DestinationRecord d = Repository.initialiseLocal("d", dir.resolve("repo"), k1);
        LifeboatException e = assertThrows(LifeboatException.class,
                () -> Repository.open(new DestinationRecord("d", "local", d.location(), k2.toString(), d.keyId()), dev.lifeboat.core.secrets.Secrets.NONE));
        assertTrue(e.getMessage().contains("does not open destination d") && e.getMessage().contains(other.id()), e.getMessage());
        assertThrows(LifeboatException.class, () -> Repository.initialiseLocal("d2", dir.resolve("repo"), k2));
    }

    @Test
    void reRegisteringWithTheSameKeyIsAccepted() {
        Path k1 = dir.resolve("k1");
        RepositoryKey key = RepositoryKey.generate(k1);
        Repository.initialiseLocal("d", dir.resolve("repo"), k1);
        assertEquals(key.id(), Repository.initialiseLocal("again", dir.resolve("repo"), k1).keyId());
    }

    @Test
    void registeringADestinationRecordsItAndItsAuditEntryInOneStep() {
        Path k = dir.resolve("k");
        RepositoryKey key = RepositoryKey.generate(k);
        try (var history = dev.lifeboat.core.history.HistoryStore.open(dir.resolve("home"))) {
            Repositories repositories = new Repositories(history, dev.lifeboat.core.secrets.Secrets.NONE, "alice");
            DestinationRecord d = repositories.register(new Repositories.Registration("vault", "local",
                    dir.resolve("repo").toString(), k.toString(), null, true, "backup-server"), "alice", "(new key)");
            assertEquals(d, history.destinations().require("vault"));
            dev.lifeboat.core.history.AuditEvent audit = history.runs().auditEvents(1).get(0);
            assertEquals(java.util.List.of("alice", "dest-add", "vault"), java.util.List.of(audit.actor(), audit.action(), audit.target()));
            assertTrue(audit.detail().contains("key " + key.id()) && audit.detail().contains("append-only (owner backup-server)")
                    && audit.detail().endsWith("(new key)"), audit.detail());
            assertThrows(LifeboatException.class, () -> repositories.register(new Repositories.Registration("x", "local",
                    dir.resolve("repo2").toString(), k.toString(), null, false, "someone"), "alice", null), "--owner needs --append-only");
        }
    }
}
