package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.secrets.MasterPassword;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The top-level {@code lifeboat} command: global options and the verbs. */
@Command(name = "lifeboat", mixinStandardHelpOptions = true, version = "lifeboat " + AppContext.VERSION,
        description = "Backup and disaster recovery for Docker hosts.",
        subcommands = {HostCommand.class, PitrCommand.class, SafetyCommand.class, StacksCommand.class, CheckCommand.class, DestCommand.class, KeyCommand.class, SecretCommand.class, StackCommand.class, DrillCommand.class, ReportCommand.class, PlanCommand.class, AgentCommand.class, AlertCommand.class, BackupCommand.class,
                PointsCommand.class, VerifyCommand.class, RestoreCommand.class, ReplicateCommand.class, PruneCommand.class,
                HistoryCommand.class, SelfCommand.Backup.class, SelfCommand.Restore.class,
                DemoCommand.class})
public final class LifeboatCommand {
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
}
