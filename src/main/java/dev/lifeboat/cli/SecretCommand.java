package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.secrets.MasterPassword;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "secret", description = "The secret store: SSH key passphrases, S3 credentials and repository keys, "
        + "encrypted under a master password.",
        subcommands = {SecretCommand.Set.class, SecretCommand.ListSecrets.class, SecretCommand.Remove.class,
                SecretCommand.ChangePassword.class})
final class SecretCommand {

    @Command(name = "set", description = "Store (or replace) a secret. The value is typed without echo, piped on stdin, "
            + "or read from the first line of a file.")
    static final class Set extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "e.g. ssh-key:/home/me/.ssh/id_ed25519, s3:offsite, key:prod")
        String name;
        @Option(names = "--from-file", paramLabel = "FILE", description = "Read the value from the first line of FILE")
        Path fromFile;
        @Option(names = "--from-env", paramLabel = "VAR", description = "Read the value from environment variable VAR")
        String fromEnv;

        @Override
        protected int run(AppContext app) {
            if (fromEnv != null && System.getenv(fromEnv) == null) {
                throw new LifeboatException("Environment variable " + fromEnv + " is not set");
            }
            String value = Prompts.secret("value of secret " + name, fromFile, fromEnv);
            app.secrets().put(name, value);
            app.history().runs().audit(app.actor(), "secret-set", name, "stored in the secret store");
            spec.commandLine().getOut().println("Secret " + name + " stored.");
            return 0;
        }
    }

    @Command(name = "list", description = "List the names of stored secrets (values are never shown).")
    static final class ListSecrets extends AppCommand {

        @Override
        protected int run(AppContext app) {
            app.secrets().names().forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }

    @Command(name = "remove", description = "Delete a secret.")
    static final class Remove extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(AppContext app) {
            if (!app.secrets().remove(name)) {
                throw new LifeboatException("No secret named " + name);
            }
            app.history().runs().audit(app.actor(), "secret-remove", name, "removed from the secret store");
            spec.commandLine().getOut().println("Secret " + name + " removed.");
            return 0;
        }
    }

    @Command(name = "change-password", description = "Re-encrypt the secret store under a new master password.")
    static final class ChangePassword extends AppCommand {
        @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE")
        Path newPasswordFile;

        @Override
        protected int run(AppContext app) {
            if (!app.secrets().exists()) {
                throw new LifeboatException("There is no secret store yet; 'lifeboat secret set' creates one");
            }
            app.secrets().names(); // fail early on a damaged store
            char[] next = newPasswordFile != null ? MasterPassword.fromFile(newPasswordFile)
                    : Prompts.secret("new master password", null, null).toCharArray();
            app.secrets().changePassword(next);
            java.util.Arrays.fill(next, '\0');
            app.history().runs().audit(app.actor(), "secret-password", "secret store", "master password changed");
            spec.commandLine().getOut().println("Master password changed.");
            return 0;
        }
    }
}
