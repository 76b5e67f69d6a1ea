package dev.lifeboat.core.secrets;

import dev.lifeboat.core.LifeboatException;

import java.util.Optional;

/**
 * Named secrets (SSH key passphrases, S3 credentials, repository keys). Code that needs one holds a
 * reference such as {@code secret:NAME} in its settings and asks for it by name; the value itself is
 * never stored in the history or logged.
 */
public interface Secrets {
    /** The prefix of a setting that names a secret instead of holding a value or a path. */
    String REFERENCE = "secret:";

    /** No secret store: every lookup finds nothing. */
    Secrets NONE = name -> Optional.empty();

    Optional<String> find(String name);

    default String require(String name, String purpose) {
        return find(name).orElseThrow(() -> new LifeboatException("The secret store has no secret '" + name + "' ("
                + purpose + "). Store it with 'lifeboat secret set " + name + "'"));
    }

    static boolean isReference(String setting) {
        return setting != null && setting.startsWith(REFERENCE);
    }

    static String nameOf(String reference) {
        return reference.substring(REFERENCE.length());
    }

    /** The secret name under which the passphrase of an SSH private key is kept. */
    static String sshPassphraseName(String identityFile) {
        return "ssh-key:" + identityFile;
    }
}
