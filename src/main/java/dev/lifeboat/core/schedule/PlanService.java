package dev.lifeboat.core.schedule;

import dev.lifeboat.core.model.BackupPlan;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.Names;

import java.time.Instant;
import java.util.List;

/**
 * Creates, replaces and removes backup plans, for the CLI ({@code plan add}) and the console's
 * backup-plan wizard alike: the plan is checked (host, destinations, schedules) before it is saved,
 * and a new plan runs at its next slot, not at once.
 */
public final class PlanService {
    private final HistoryStore history;

    public PlanService(HistoryStore history) {
        this.history = history;
    }

    /** Checks and saves {@code plan} (replacing one of the same name), and audits it. */
    public BackupPlan save(BackupPlan plan, String actor) {
        Names.requireName("plan", plan.name());
        history.hosts().require(plan.host());
        history.destinations().require(plan.destination());
        plan.copies().forEach(history.destinations()::require);
        if (plan.copies().contains(plan.destination())) {
            throw new LifeboatException("Destination " + plan.destination() + " is the primary; a copy must go elsewhere");
        }
        Instant now = Instant.now();
        for (BackupPlan.Job job : BackupPlan.Job.values()) {
            if (plan.cron(job) != null) {
                Schedule.parse(plan.cron(job), plan.zone());
            }
        }
        for (BackupPlan.Job job : BackupPlan.Job.values()) {
            if (plan.cron(job) != null) {
                Schedule.parse(plan.cron(job), plan.zone()).lastSlot(now)
                        .ifPresent(s -> history.plans().setLastSlot(plan.name(), job.name(), s));
            }
        }
        history.plans().save(plan);
        history.runs().audit(actor, "plan-add", plan.name(), plan.host() + "/" + plan.stack()
                + " backup '" + plan.backupCron() + "' to " + plan.destination()
                + (plan.assets().isEmpty() ? "" : " assets " + String.join(",", plan.assets())));
        return plan;
    }

    public BackupPlan find(String name) {
        return history.plans().all().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new LifeboatException("No plan named " + name + "; list them with 'lifeboat plan list'"));
    }

    public void remove(String name, String actor) {
        if (!history.plans().remove(name)) {
            throw new LifeboatException("No plan named " + name);
        }
        history.runs().audit(actor, "plan-remove", name, "removed");
    }

    /** The next {@code n} runs of a schedule, or a clear error for an invalid one. */
    public static List<Instant> nextRuns(String cron, String zone, Instant after, int n) {
        return Schedule.parse(cron, zone).next(after, n);
    }
}
