package dev.lifeboat.cli;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.SshTunnel;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Values the admin types (secrets without echo) or gives in a file, and host-key confirmation. */
final class Prompts {
    private Prompts() {
    }

    /** A secret value: the first line of {@code file}, else the environment variable {@code env}, else typed. */
    static String secret(String what, Path file, String env) {
        if (file != null) {
            try {
                String line = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                if (line.isEmpty()) {
                    throw new LifeboatException(file + " is empty; expected " + what + " on its first line");
                }
                return line;
            } catch (IOException e) {
                throw new LifeboatException("Cannot read " + what + " from " + file + ": " + e.getMessage(), e);
            }
        }
        if (env != null && System.getenv(env) != null && !System.getenv(env).isEmpty()) {
            return System.getenv(env);
        }
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("%s: ", capitalised(what));
            if (typed == null || typed.length == 0) {
                throw new LifeboatException("No " + what + " given");
            }
            String value = new String(typed);
            Arrays.fill(typed, '\0');
            return value;
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new LifeboatException("No " + what + " given (type it, pipe it on stdin, or give it in a file)");
            }
            return line;
        } catch (IOException e) {
            throw new LifeboatException("Cannot read " + what + " from stdin: " + e.getMessage(), e);
        }
    }

    /**
     * On first contact with no fingerprint given: shows the server's host key and asks the admin to
     * accept it. Returns the accepted fingerprint, or null when there is no terminal to ask on (the
     * connection is then refused with the fingerprint in the message).
     */
    static String acceptHostKey(String endpoint, PrintWriter out) {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        String seen = SshTunnel.serverFingerprint(endpoint);
        out.println("First contact with " + endpoint + ". Its host key fingerprint is");
        out.println("    " + seen);
        out.println("Compare it with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before accepting.");
        out.flush();
        String answer = console.readLine("Accept this key and pin it? Type yes to accept: ");
        if (answer == null || !answer.trim().equals("yes")) {
            throw new LifeboatException("Host key " + seen + " not accepted; nothing was saved");
        }
        return seen;
    }

    /**
     * When {@code identity} is passphrase-protected and the secret store has no passphrase for it, takes
     * one ({@code passphraseFile}, else $LIFEBOAT_SSH_PASSPHRASE, else typed) and stores it.
     */
    static void ensurePassphrase(dev.lifeboat.AppContext app, Path identity, Path passphraseFile) {
        String file = identity.toAbsolutePath().normalize().toString();
        if (!SshTunnel.isPassphraseProtected(file)) {
            return;
        }
        String name = dev.lifeboat.core.secrets.Secrets.sshPassphraseName(file);
        if (passphraseFile == null && app.secrets().names().contains(name)) {
            return;
        }
        app.secrets().put(name, secret("passphrase of " + file, passphraseFile, "LIFEBOAT_SSH_PASSPHRASE"));
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
