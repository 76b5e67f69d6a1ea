package dev.lifeboat.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerbsTest {
    @Test
    void theVerbIsTheFirstArgumentAfterTheGlobalOptions() {
        assertEquals(BackupCommand.class, LifeboatCommand.verbNamedBy(new String[]{"backup", "local/shop"}));
        assertEquals(BackupCommand.class, LifeboatCommand.verbNamedBy(new String[]{"--home", "/x", "backup", "--home", "/y"}));
        assertEquals(VerifyCommand.class, LifeboatCommand.verbNamedBy(new String[]{"--home=/x", "--history", "verify", "verify"}));
        assertEquals(SelfCommand.Restore.class, LifeboatCommand.verbNamedBy(new String[]{"self-restore", "--from", "d"}));
        // a value that looks like a verb is the option's value, not the verb
        assertEquals(PointsCommand.class, LifeboatCommand.verbNamedBy(new String[]{"--master-password-file", "backup", "points"}));
    }

    @Test
    void withoutAKnownVerbFirstEveryVerbIsThere() {
        for (String[] args : List.of(new String[0], new String[]{"--help"}, new String[]{"-h", "backup"},
                new String[]{"--version"}, new String[]{"--nosuch", "backup"}, new String[]{"bakup"},
                new String[]{"--home"})) {
            assertNull(LifeboatCommand.verbNamedBy(args), String.join(" ", args));
            assertEquals(LifeboatCommand.VERBS.size(), LifeboatCommand.commandLine(args).getSubcommands().size());
        }
    }

    @Test
    void aVerbBuiltAloneHasTheOptionsAndSubcommandsItHasAmongAll() {
        CommandLine all = LifeboatCommand.commandLine(new String[0]);
        for (Class<?> verb : LifeboatCommand.VERBS) {
            String name = verb.getAnnotation(CommandLine.Command.class).name();
            CommandLine alone = LifeboatCommand.commandLine(new String[]{name});
            assertEquals(Set.of(name), alone.getSubcommands().keySet());
            assertEquals(model(all.getSubcommands().get(name)), model(alone.getSubcommands().get(name)), name);
            assertTrue(model(alone.getSubcommands().get(name)).stream().anyMatch(o -> o.startsWith("lifeboat " + name + " --home ")),
                    "the global options are inherited: " + name);
        }
    }

    @Test
    void theUsageListsEveryVerbAndAnUnknownOneIsNamed() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Cli.run(new String[]{"--help"}, new PrintWriter(out), new PrintWriter(err)));
        for (Class<?> verb : LifeboatCommand.VERBS) {
            assertTrue(out.toString().contains("  " + verb.getAnnotation(CommandLine.Command.class).name() + " "), out.toString());
        }
        assertEquals(Cli.USAGE, Cli.run(new String[]{"bakup"}, new PrintWriter(out), new PrintWriter(err)));
        assertTrue(err.toString().contains("bakup") && err.toString().contains("backup"), err.toString());
    }

    /** Every option of a command and of its subcommands, by qualified name. */
    private static Set<String> model(CommandLine c) {
        Set<String> names = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
            names.add(c.getCommandSpec().qualifiedName() + " " + o.longestName() + " " + o.arity() + " " + o.scopeType());
        }
        for (CommandLine sub : c.getSubcommands().values()) {
            names.addAll(model(sub));
        }
        return names;
    }
}
