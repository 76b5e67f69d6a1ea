package dev.lifeboat.core.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared history's lock file holds the key of H2's embedded TCP server: whoever reads it can open
 * the history. Home and history are private to their user, proven by reading as another uid.
 */
class PrivateHomeTest {
    @TempDir
    Path tmp;

    @Test
    void anotherUserCannotReadTheHistoryOrItsServerKey() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // a world-readable parent
        Path home = tmp.resolve("home");
        try (HistoryStore h = HistoryStore.open(home)) {
            Path lock = home.resolve("history/lifeboat.lock.db");
            assertTrue(Files.exists(lock), "H2 keeps its lock file (with the server key) while the history is open");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("history"))));
            try (var files = Files.list(home.resolve("history"))) {
                for (Path f : files.toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                }
            }
            // nobody (uid 65534) tries to read the server key
            Process p = new ProcessBuilder(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat",
                    lock.toString())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertNotEquals(0, p.waitFor(), "another user read the lock file: " + out);
            assertTrue(out.contains("Permission denied"), out);
        }
    }
}
