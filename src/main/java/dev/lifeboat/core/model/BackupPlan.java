package dev.lifeboat.core.model;


import java.util.List;

/**
 * What the agent does for a stack: back it up to a destination (and copy it to others), verify it (with
 * an optional sandbox restore test) and prune it, each on its own cron schedule in the plan's time zone.
 * A null schedule means the job is off. Defaults: backup every 6 h, restore test weekly, prune daily.
 * {@code assets} names the assets the backup takes ({@code postgres:db}, {@code volume:uploads}, ...);
 * empty means every asset discovered in the stack, including ones added later.
 */
public record BackupPlan(String name, String host, String stack, String destination, List<String> copies,
                         RetentionPolicy retention, String backupCron, String verifyCron, boolean restoreTest,
                         String pruneCron, String zone, List<String> assets) {
    public static final String DEFAULT_BACKUP = "0 */6 * * *";
    public static final String DEFAULT_VERIFY = "30 3 * * 0";
    public static final String DEFAULT_PRUNE = "15 4 * * *";

    public BackupPlan {
        copies = copies == null ? List.of() : List.copyOf(copies);
        assets = assets == null ? List.of() : List.copyOf(assets);
    }

    public enum Job { BACKUP, VERIFY, PRUNE }

    public String cron(Job job) {
        return switch (job) {
            case BACKUP -> backupCron;
            case VERIFY -> verifyCron;
            case PRUNE -> pruneCron;
        };
    }
}
