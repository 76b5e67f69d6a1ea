package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.schedule.Agent;
import dev.lifeboat.core.schedule.AgentLock;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.schedule.Schedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "agent", description = {"Run the plans' schedules headless (backups, verify/restore tests, prune), writing "
        + "to the same history the console reads. One agent per home. Logs go to the home's logs/lifeboat.log.",
        "Subcommands: status, install (a systemd unit)."},
        subcommands = {AgentCommand.Status.class, AgentCommand.Install.class})
final class AgentCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;
    @Spec
    CommandSpec spec;
    @Option(names = "--tick", defaultValue = "20s", paramLabel = "DURATION", description = "How often schedules are checked")
    String tick;
    @Option(names = "--max-jitter", defaultValue = "30s", paramLabel = "DURATION",
            description = "Random delay before each job, so stacks do not all start in the same second")
    String maxJitter;
    @Option(names = "--self-backup-to", paramLabel = "DEST", description = "Back Lifeboat itself up to DEST every night at"
            + " 01:40 (and once when the agent starts without one yet): history, settings, secret store, no keys")
    String selfBackupTo;

    @Override
    public Integer call() {
        Path home = root.home();
        java.time.Duration every = StackSettings.parsePositiveDuration("--tick", tick);
        java.time.Duration jitter = StackSettings.parseDuration(maxJitter);
        try (AgentLock lock = AgentLock.acquire(home); AppContext app = root.open();
             Agent agent = app.agent(jitter)) {
            if (selfBackupTo != null) {
                app.history().destinations().require(selfBackupTo);
                agent.backingUpItself(() -> app.selfBackup(selfBackupTo, false));
            }
            spec.commandLine().getOut().println("Lifeboat agent running on " + home + " (pid " + ProcessHandle.current().pid()
                    + ", " + app.history().plans().all().size() + " plans); logs in " + home.resolve("logs"));
            spec.commandLine().getOut().flush();
            Thread main = Thread.currentThread();
            Thread hook = new Thread(main::interrupt, "lifeboat-agent-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            agent.run(every);
        }
        return 0;
    }

    @Command(name = "status", description = "Whether an agent runs on this home, the next runs and the last results.")
    static final class Status extends AppCommand {
        @ParentCommand
        AgentCommand parent;

        @Override
        protected int run(AppContext app) {
            PrintWriter out = spec.commandLine().getOut();
            Path home = parent.root.home();
            out.println(AgentLock.holder(home).map(h -> "Agent running (" + h + ")").orElse("No agent is running on " + home));
            for (BackupPlan p : app.history().plans().all()) {
                out.println("Plan " + p.name() + " (" + p.host() + "/" + p.stack() + ")");
                for (BackupPlan.Job job : BackupPlan.Job.values()) {
                    if (p.cron(job) != null) {
                        out.printf("  %-7s next %s%n", job.name().toLowerCase(), Schedule.parse(p.cron(job), p.zone())
                                .nextSlot(Instant.now()).map(Instant::toString).orElse("-"));
                    }
                }
                app.history().runs().recent(500).stream().filter(r -> p.host().equals(r.host()) && p.stack().equals(r.stack()))
                        .limit(3).forEach(r -> out.printf("  last %-12s %-9s %s %s%n", r.kind(), r.status(),
                                r.startedAt().toString().substring(0, 19), r.message() == null ? "" : r.message()));
            }
            return 0;
        }
    }

    @Command(name = "install", description = "Write a systemd unit that runs the agent (for this user, or --system).")
    static final class Install implements Callable<Integer> {
        @ParentCommand
        AgentCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--system", description = "System-wide (/etc/systemd/system) instead of the user's unit directory")
        boolean system;
        @Option(names = "--launcher", paramLabel = "PATH", description = "The lifeboat launcher (default: the one running)")
        Path launcher;
        @Option(names = "--unit-dir", paramLabel = "DIR", description = "Where to write the unit (default: systemd's)")
        Path unitDir;

        @Override
        public Integer call() throws IOException {
            Path home = parent.root.home().toAbsolutePath();
            Path exe = launcher != null ? launcher.toAbsolutePath() : Path.of(System.getProperty("lifeboat.launcher",
                    Path.of("lifeboat").toAbsolutePath().toString()));
            Path dir = unitDir != null ? unitDir : system ? Path.of("/etc/systemd/system")
                    : Path.of(System.getProperty("user.home"), ".config", "systemd", "user");
            String unit = String.join("\n",
                    "[Unit]",
                    "Description=Lifeboat backup agent (" + home + ")",
                    "After=network-online.target docker.service",
                    "Wants=network-online.target",
                    "",
                    "[Service]",
                    "Type=simple",
                    "ExecStart=" + exe + " --home " + home + " agent",
                    "Restart=on-failure",
                    "RestartSec=30",
                    "# the secret store's master password, if plans need secrets:",
                    "# LoadCredential=lifeboat-master:/etc/lifeboat/master-password",
                    "# Environment=LIFEBOAT_MASTER_PASSWORD_FILE=%d/lifeboat-master",
                    "",
                    "[Install]",
                    "WantedBy=" + (system ? "multi-user.target" : "default.target"),
                    "");
            Files.createDirectories(dir);
            Path file = dir.resolve("lifeboat-agent.service");
            Files.writeString(file, unit);
            spec.commandLine().getOut().println("Wrote " + file + ". Enable it with: systemctl " + (system ? "" : "--user ")
                    + "enable --now lifeboat-agent.service");
            if (!exe.toFile().canExecute()) {
                throw new LifeboatException("The unit runs " + exe + ", which is not executable; pass --launcher PATH");
            }
            return 0;
        }
    }
}
