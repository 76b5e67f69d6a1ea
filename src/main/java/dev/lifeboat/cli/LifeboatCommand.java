package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.secrets.MasterPassword;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The top-level {@code lifeboat} command: global options and the verbs. */
@Command(name = "lifeboat", mixinStandardHelpOptions = true, version = "lifeboat " + AppContext.VERSION,
        description = "Backup and disaster recovery for Docker hosts.")
public final class LifeboatCommand {
    /** The verbs, in the order the usage lists them. */
    static final List<Class<?>> VERBS = List.of(HostCommand.class, PitrCommand.class, SafetyCommand.class,
            StacksCommand.class, CheckCommand.class, DestCommand.class, KeyCommand.class, SecretCommand.class,
            StackCommand.class, DrillCommand.class, ReportCommand.class, PlanCommand.class, AgentCommand.class,
            AlertCommand.class, BackupCommand.class, PointsCommand.class, VerifyCommand.class, RestoreCommand.class,
            ReplicateCommand.class, PruneCommand.class, HistoryCommand.class, SelfCommand.Backup.class,
            SelfCommand.Restore.class, DemoCommand.class);
    /** The global options that take a value (as the next argument unless written NAME=VALUE). */
    private static final Set<String> VALUED = Set.of("--home", "--master-password-file", "--history");

    @Option(names = "--home", description = "Lifeboat's home (history, logs). Default: $LIFEBOAT_HOME or ~/.lifeboat",
            scope = CommandLine.ScopeType.INHERIT)
    Path home;
    @Option(names = "--master-password-file", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Master password of the secret store (else $LIFEBOAT_MASTER_PASSWORD_FILE, "
                    + "$LIFEBOAT_MASTER_PASSWORD, or asked on the terminal)")
    Path masterPasswordFile;
    @Option(names = "--history", paramLabel = "URL", scope = CommandLine.ScopeType.INHERIT,
            description = "A history shared by a team on a PostgreSQL server: jdbc:postgresql://HOST:PORT/DB?user=NAME "
                    + "(password from ~/.pgpass or $LIFEBOAT_HISTORY_PASSWORD). Else $LIFEBOAT_HISTORY, history= in "
                    + "HOME/config.properties, or the embedded history under the home")
    String history;

    Path home() {
        return home != null ? home : AppContext.defaultHome();
    }

    AppContext open() {
        return new AppContext(home(), MasterPassword.standard(masterPasswordFile),
                dev.lifeboat.core.kinds.BuiltInKinds.all(), history);
    }

    /**
     * The command line for these arguments, with only the verb they name: picocli builds the model of
     * every option of every registered command up front (tens of milliseconds for all verbs, more in a
     * cold JVM, which is every CLI run). All verbs are registered when no known verb comes first after
     * the global options, or when an option other than those precedes it (help, version, a typo), so
     * the usage and the errors list them as before.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cmd = new CommandLine(new LifeboatCommand());
        Class<?> named = verbNamedBy(args);
        for (Class<?> verb : named != null ? List.<Class<?>>of(named) : VERBS) {
            cmd.addSubcommand(verb);
        }
        return cmd;
    }

    static Class<?> verbNamedBy(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED.contains(a)) {
                i++;
            } else if (a.startsWith("-")) {
                if (a.indexOf('=') < 0 || !VALUED.contains(a.substring(0, a.indexOf('=')))) {
                    return null;
                }
            } else {
                for (Class<?> verb : VERBS) {
                    Command c = verb.getAnnotation(Command.class);
                    if (c.name().equals(a) || List.of(c.aliases()).contains(a)) {
                        return verb;
                    }
                }
                return null;
            }
        }
        return null;
    }
}
