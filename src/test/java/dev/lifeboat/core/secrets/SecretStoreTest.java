package dev.lifeboat.core.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.pipeline.RepositoryKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretStoreTest {
    private static final MasterPassword NEVER = creating -> {
        throw new AssertionError("the password must not be asked for");
    };

    @TempDir
    Path home;

    private static MasterPassword password(String pw) {
        return creating -> pw.toCharArray();
    }

    @Test
    void valuesSurviveAReopenAndNamesNeedNoPassword() {
        SecretStore store = new SecretStore(home, password("correct horse"));
        store.put("s3:offsite", "AKIAEXAMPLE:wJalrXUtnFEMI/K7MDENG");
        store.put("ssh-key:/root/.ssh/id_ed25519", "open sesame");

        assertEquals(List.of("s3:offsite", "ssh-key:/root/.ssh/id_ed25519"), new SecretStore(home, NEVER).names());
        assertEquals(Optional.empty(), new SecretStore(home, NEVER).find("absent"));
        assertEquals(Optional.empty(), new SecretStore(home.resolve("nowhere"), NEVER).find("anything"));

        SecretStore reopened = new SecretStore(home, password("correct horse"));
        assertEquals("open sesame", reopened.find("ssh-key:/root/.ssh/id_ed25519").orElseThrow());
        assertEquals("AKIAEXAMPLE:wJalrXUtnFEMI/K7MDENG", reopened.find("s3:offsite").orElseThrow());
    }

    @Test
    void theFileHoldsNoPlaintextAndOnlyItsOwnerCanReadIt() throws Exception {
        SecretStore store = new SecretStore(home, password("correct horse"));
        store.put("pw", "very-distinctive-plaintext-value");
        byte[] file = Files.readAllBytes(store.file());
        assertFalse(new String(file, StandardCharsets.ISO_8859_1).contains("very-distinctive"));
        assertFalse(new String(file, StandardCharsets.ISO_8859_1).contains("correct horse"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    }

    @Test
    void theWrongPasswordIsRefused() {
        new SecretStore(home, password("correct horse")).put("pw", "value");
        LifeboatException e = assertThrows(LifeboatException.class,
                () -> new SecretStore(home, password("battery staple")).find("pw"));
        assertTrue(e.getMessage().contains("Wrong master password"), e.getMessage());
        assertThrows(LifeboatException.class, () -> new SecretStore(home, password("battery staple")).put("other", "x"));
        assertEquals(List.of("pw"), new SecretStore(home, NEVER).names());
    }

    @Test
    void aValueMovedToAnotherNameDoesNotAuthenticate() throws Exception {
        SecretStore store = new SecretStore(home, password("pw"));
        store.put("a", "value of a");
        store.put("b", "value of b");
        ObjectMapper json = new ObjectMapper();
        ObjectNode vault = (ObjectNode) json.readTree(store.file().toFile());
        ObjectNode entries = (ObjectNode) vault.get("entries");
        entries.put("b", entries.get("a").asText());
        Files.write(store.file(), json.writeValueAsBytes(vault));
        SecretStore reopened = new SecretStore(home, password("pw"));
        assertEquals("value of a", reopened.find("a").orElseThrow());
        assertTrue(assertThrows(LifeboatException.class, () -> reopened.find("b")).getMessage().contains("damaged"));
    }

    @Test
    void thePasswordIsAskedOnceAndTwiceWhenCreating() {
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger creating = new AtomicInteger();
        SecretStore store = new SecretStore(home, c -> {
            asked.incrementAndGet();
            if (c) {
                creating.incrementAndGet();
            }
            return "pw".toCharArray();
        });
        store.put("a", "1");
        store.put("b", "2");
        store.find("a");
        assertEquals(1, asked.get());
        assertEquals(1, creating.get());
        new SecretStore(home, c -> {
            assertFalse(c);
            asked.incrementAndGet();
            return "pw".toCharArray();
        }).find("b");
        assertEquals(2, asked.get());
    }

    @Test
    void changingThePasswordKeepsEveryValue() {
        SecretStore store = new SecretStore(home, password("old"));
        store.put("a", "alpha");
        store.put("b", "beta");
        store.changePassword("new".toCharArray());
        assertThrows(LifeboatException.class, () -> new SecretStore(home, password("old")).find("a"));
        SecretStore reopened = new SecretStore(home, password("new"));
        assertEquals("alpha", reopened.find("a").orElseThrow());
        assertEquals("beta", reopened.find("b").orElseThrow());
        assertTrue(reopened.remove("a"));
        assertFalse(reopened.remove("a"));
        assertEquals(List.of("b"), new SecretStore(home, NEVER).names());
    }

    @Test
    void aRepositoryKeyCanLiveInTheStore() {
        SecretStore store = new SecretStore(home, password("pw"));
        String text = RepositoryKey.generateText();
        store.put("key:prod", text);
        RepositoryKey key = RepositoryKey.resolve("secret:key:prod", new SecretStore(home, password("pw")));
        assertEquals(RepositoryKey.parse(text, "t").id(), key.id());
        LifeboatException missing = assertThrows(LifeboatException.class,
                () -> RepositoryKey.resolve("secret:key:other", new SecretStore(home, password("pw"))));
        assertTrue(missing.getMessage().contains("lifeboat secret set key:other"), missing.getMessage());
    }
}
