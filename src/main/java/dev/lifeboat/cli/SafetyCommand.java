package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.SafetyCopyRepository.Kept;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "safety", description = "The data restores replaced and kept on the host instead of backing it up first (ADR 25).",
        subcommands = {SafetyCommand.ListCopies.class, SafetyCommand.Release.class})
final class SafetyCommand {

    @Command(name = "list", description = "HOST/STACK's safety copies still on its host, and until when they are kept.")
    static final class ListCopies extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOST/STACK")
        String stack;
        @Mixin
        JsonOption json;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            List<Kept> held = app.safetyCopies().held(ref.host(), ref.stack());
            PrintWriter out = out();
            json.print(out, held, () -> {
                if (held.isEmpty()) {
                    out.println("No safety copies of " + ref.host() + "/" + ref.stack() + " on its host.");
                }
                for (Kept k : held) {
                    out.printf("%s  %s: %s, replaced by the restore of %s at %s; kept until %s%n", k.id(), k.asset(),
                            k.description(), k.pointId(), k.keptAt(), k.expiresAt());
                }
            });
            return 0;
        }
    }

    @Command(name = "release", description = "Removes a safety copy from its host now (its data is gone for good).")
    static final class Release extends AppCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "As 'lifeboat safety list' shows it")
        String id;

        @Override
        protected int run(AppContext app) {
            Kept k = app.safetyCopies().release(id);
            out().println("Released " + k.id() + ": " + k.asset() + " (" + k.description() + ") is removed from "
                    + k.host() + ".");
            return 0;
        }
    }
}
