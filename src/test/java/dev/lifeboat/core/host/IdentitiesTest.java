package dev.lifeboat.core.host;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentitiesTest {
    @TempDir
    Path tmp;

    @Test
    void aProtectedKeyIsOpenedOnceForTheSameBytesAndPassphrase() throws Exception {
        Path key = keygen("k1", "right horse");
        Identities ids = new Identities(8);
        AtomicInteger asked = new AtomicInteger();
        KeyProvider first = open(ids, key, "right horse", asked);
        assertEquals(1, asked.get());

        Identities.Opening again = ids.opening(key.toString(), finder("right horse", asked));
        assertSame(first, again.kept(), "the same bytes and passphrase: the key opened before");
        // a different passphrase in the store is never answered by the kept key
        assertNull(ids.opening(key.toString(), finder("wrong horse", asked)).kept());
        assertThrows(Exception.class, () -> open(ids, key, "wrong horse", asked));
        // nor are other bytes at the same path
        Files.delete(key);
        Files.delete(Path.of(key + ".pub"));
        Path other = keygen("k1", "right horse");
        Identities.Opening changed = ids.opening(other.toString(), finder("right horse", asked));
        assertNull(changed.kept());
        KeyProvider reopened = load(changed, other);
        assertTrue(!first.getPublic().equals(reopened.getPublic()));
        assertSame(reopened, ids.opening(other.toString(), finder("right horse", asked)).kept());
    }

    @Test
    void aKeyWithoutPassphraseIsNotKept() throws Exception {
        Path key = keygen("plain", "");
        Identities ids = new Identities(8);
        AtomicInteger asked = new AtomicInteger();
        assertNotNull(open(ids, key, "", asked).getPrivate());
        assertEquals(0, asked.get());
        assertNull(ids.opening(key.toString(), finder("", asked)).kept());
        assertEquals(0, asked.get(), "nothing kept: the store is not asked");
    }

    private static KeyProvider open(Identities ids, Path key, String passphrase, AtomicInteger asked) throws Exception {
        Identities.Opening o = ids.opening(key.toString(), finder(passphrase, asked));
        KeyProvider kept = o.kept();
        return kept != null ? kept : load(o, key);
    }

    private static KeyProvider load(Identities.Opening o, Path key) throws Exception {
        try (SSHClient ssh = new SSHClient(SshTransport.config())) {
            KeyProvider keys = ssh.loadKeys(key.toString(), o.finder());
            keys.getPrivate();
            o.keep(keys);
            return keys;
        }
    }

    private static PasswordFinder finder(String passphrase, AtomicInteger asked) {
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                asked.incrementAndGet();
                return passphrase.toCharArray();
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        };
    }

    private Path keygen(String name, String passphrase) throws Exception {
        Path key = tmp.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f", key.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return key;
    }
}
