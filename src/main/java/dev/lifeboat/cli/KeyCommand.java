package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.secrets.Secrets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "key", description = "Repository keys.", subcommands = {KeyCommand.Generate.class})
final class KeyCommand {

    @Command(name = "generate", description = "Create a new random 256-bit repository key: in a key FILE (mode 600), "
            + "or in the secret store with --secret NAME (then use it as --key secret:NAME).")
    static final class Generate extends AppCommand {
        @ArgGroup(multiplicity = "1")
        Target target;

        static final class Target {
            @Parameters(index = "0", paramLabel = "FILE", description = "Key file to create")
            Path file;
            @Option(names = "--secret", paramLabel = "NAME", description = "Keep the key in the secret store under NAME")
            String secret;
        }

        @Override
        protected int run(AppContext app) {
            if (target.file != null) {
                RepositoryKey key = RepositoryKey.generate(target.file);
                spec.commandLine().getOut().println("Key " + key.id() + " written to " + target.file
                        + ". Store a copy somewhere safe and off this machine: without it no backup can be restored.");
                return 0;
            }
            if (app.secrets().names().contains(target.secret)) {
                throw new LifeboatException("The secret store already holds " + target.secret
                        + "; refusing to overwrite a repository key");
            }
            String text = RepositoryKey.generateText();
            RepositoryKey key = RepositoryKey.parse(text, "new key");
            app.secrets().put(target.secret, text);
            app.history().runs().audit(app.actor(), "key-generate", target.secret, "key " + key.id()
                    + " in the secret store");
            spec.commandLine().getOut().println("Key " + key.id() + " stored in the secret store as " + target.secret
                    + "; use it with --key " + Secrets.REFERENCE + target.secret + ". Keep an off-site copy of the "
                    + "store and its master password: without the key no backup can be restored.");
            return 0;
        }
    }
}
