package dev.lifeboat.core.secrets;

import dev.lifeboat.core.LifeboatException;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the secret store's master password comes from. The standard chain, for the CLI and the agent:
 * a password file (option or {@code $LIFEBOAT_MASTER_PASSWORD_FILE}, e.g. a systemd credential),
 * then {@code $LIFEBOAT_MASTER_PASSWORD}, then a prompt on the terminal. The console supplies its own
 * dialog instead.
 */
@FunctionalInterface
public interface MasterPassword {
    /**
     * The password, or an exception that says how to give one. {@code creating} is true when the
     * store does not exist yet, so an interactive source asks twice.
     */
    char[] obtain(boolean creating);

    static MasterPassword standard(Path passwordFile) {
        return creating -> {
            Path file = passwordFile;
            if (file == null && System.getenv("LIFEBOAT_MASTER_PASSWORD_FILE") != null) {
                file = Path.of(System.getenv("LIFEBOAT_MASTER_PASSWORD_FILE"));
            }
            if (file != null) {
                return fromFile(file);
            }
            String env = System.getenv("LIFEBOAT_MASTER_PASSWORD");
            if (env != null && !env.isEmpty()) {
                return env.toCharArray();
            }
            Console console = System.console();
            if (console == null) {
                throw new LifeboatException("The secret store is locked and there is no terminal to ask for its master "
                        + "password: give it with --master-password-file FILE or $LIFEBOAT_MASTER_PASSWORD_FILE");
            }
            char[] first = console.readPassword(creating ? "New master password for Lifeboat's secret store: "
                    : "Master password for Lifeboat's secret store: ");
            if (first == null || first.length == 0) {
                throw new LifeboatException("No master password given");
            }
            if (creating) {
                char[] again = console.readPassword("Repeat it: ");
                boolean same = Arrays.equals(first, again);
                if (again != null) {
                    Arrays.fill(again, '\0');
                }
                if (!same) {
                    Arrays.fill(first, '\0');
                    throw new LifeboatException("The two master passwords differ; nothing was stored");
                }
            }
            return first;
        };
    }

    static char[] fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String line = text.lines().findFirst().orElse("");
            if (line.isEmpty()) {
                throw new LifeboatException("Master password file " + file + " is empty");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new LifeboatException("Cannot read master password file " + file + ": " + e.getMessage(), e);
        }
    }
}
