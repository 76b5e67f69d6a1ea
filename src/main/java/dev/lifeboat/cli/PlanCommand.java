package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.RetentionPolicy;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.schedule.PlanService;
import dev.lifeboat.core.schedule.Schedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

@Command(name = "plan", description = "Backup plans: what the agent backs up, verifies and prunes, and when.",
        subcommands = {PlanCommand.Add.class, PlanCommand.ListPlans.class, PlanCommand.Show.class, PlanCommand.Remove.class,
                PlanCommand.Run.class})
final class PlanCommand {

    @Command(name = "add", description = "Create or replace a plan. Schedules are five-field cron expressions "
            + "(minute hour day month weekday) in --zone; 'off' disables a job.")
    static final class Add extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "HOST/STACK")
        String stack;
        @Option(names = "--to", required = true, paramLabel = "DEST", description = "Primary destination")
        String to;
        @Option(names = "--copy-to", paramLabel = "DEST", description = "Copies after each backup (3-2-1), repeatable")
        List<String> copies;
        @Option(names = "--backup-cron", defaultValue = BackupPlan.DEFAULT_BACKUP, paramLabel = "CRON")
        String backupCron;
        @Option(names = "--verify-cron", defaultValue = BackupPlan.DEFAULT_VERIFY, paramLabel = "CRON")
        String verifyCron;
        @Option(names = "--restore-test", negatable = true, defaultValue = "true",
                description = "Verify with a sandbox restore test (default), not only checksums")
        boolean restoreTest;
        @Option(names = "--prune-cron", defaultValue = BackupPlan.DEFAULT_PRUNE, paramLabel = "CRON")
        String pruneCron;
        @Option(names = "--keep-hourly", defaultValue = "0")
        int hourly;
        @Option(names = "--keep-daily", defaultValue = "7")
        int daily;
        @Option(names = "--keep-weekly", defaultValue = "4")
        int weekly;
        @Option(names = "--keep-monthly", defaultValue = "12")
        int monthly;
        @Option(names = "--keep-yearly", defaultValue = "0")
        int yearly;
        @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of the schedules (default: this machine's)")
        String zone;
        @Option(names = "--asset", paramLabel = "ASSET", description = "Back up only this asset (e.g. postgres:db, "
                + "volume:uploads, redis:cache, config; see 'lifeboat stacks'), repeatable; default: every asset")
        List<String> assets;

        @Override
        protected int run(AppContext app) {
            StackRef ref = StackRef.parse(stack);
            String z = zone == null ? ZoneId.systemDefault().getId() : zone;
            BackupPlan plan = new BackupPlan(name, ref.host(), ref.stack(), to, copies, new RetentionPolicy(hourly, daily,
                    weekly, monthly, yearly), off(backupCron), off(verifyCron), restoreTest, off(pruneCron), z, assets);
            print(spec.commandLine().getOut(), new PlanService(app.history()).save(plan, app.actor()));
            return 0;
        }

        private static String off(String cron) {
            return cron == null || cron.equalsIgnoreCase("off") ? null : cron;
        }
    }

    static void print(PrintWriter out, BackupPlan p) {
        out.println("Plan " + p.name() + ": " + p.host() + "/" + p.stack() + " to " + p.destination()
                + (p.copies().isEmpty() ? "" : ", copies to " + String.join(", ", p.copies())) + ", keep " + p.retention()
                + ", zone " + p.zone() + (p.assets().isEmpty() ? "" : ", assets " + String.join(", ", p.assets())));
        for (BackupPlan.Job job : BackupPlan.Job.values()) {
            String cron = p.cron(job);
            if (cron == null) {
                out.printf("  %-7s off%n", job.name().toLowerCase());
                continue;
            }
            List<Instant> next = Schedule.parse(cron, p.zone()).next(Instant.now(), 5);
            out.printf("  %-7s '%s'%s  next: %s%n", job.name().toLowerCase(), cron,
                    job == BackupPlan.Job.VERIFY && p.restoreTest() ? " (sandbox restore test)" : "",
                    String.join(", ", next.stream().map(i -> i.atZone(ZoneId.of(p.zone())).toString().substring(0, 16)
                            .replace('T', ' ')).toList()));
        }
    }

    @Command(name = "list", description = "List plans.")
    static final class ListPlans extends AppCommand {
        @Mixin
        JsonOption json;

        @Override
        protected int run(AppContext app) {
            if (json.on()) {
                Json.print(spec.commandLine().getOut(), app.history().plans().all());
            } else {
                app.history().plans().all().forEach(p -> spec.commandLine().getOut().printf("%-16s %s/%s  backup '%s' to %s%n",
                        p.name(), p.host(), p.stack(), p.backupCron() == null ? "off" : p.backupCron(), p.destination()));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show a plan and its next runs.")
    static final class Show extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(AppContext app) {
            print(spec.commandLine().getOut(), find(app, name));
            return 0;
        }
    }

    static BackupPlan find(AppContext app, String name) {
        return new PlanService(app.history()).find(name);
    }

    @Command(name = "remove", description = "Delete a plan (its points stay).")
    static final class Remove extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(AppContext app) {
            new PlanService(app.history()).remove(name, app.actor());
            spec.commandLine().getOut().println("Plan " + name + " removed.");
            return 0;
        }
    }

    @Command(name = "run", description = "Run one job of a plan now, as the agent would (same stack lock).")
    static final class Run extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--job", defaultValue = "backup", paramLabel = "backup|verify|prune")
        String job;

        @Override
        protected boolean watchedRun() {
            return true;
        }

        @Override
        protected int run(AppContext app) {
            BackupPlan plan = find(app, name);
            BackupPlan.Job j = BackupPlan.Job.valueOf(job.toUpperCase(java.util.Locale.ROOT));
            if (j == BackupPlan.Job.BACKUP) {
                out().println(app.agent(java.time.Duration.ZERO).backup(plan, new StderrProgress(err(), true)).id());
            } else {
                app.agent(java.time.Duration.ZERO).runJobOnly(plan, j);
            }
            return 0;
        }
    }
}
