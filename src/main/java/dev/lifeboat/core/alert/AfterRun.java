package dev.lifeboat.core.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one step after any run the alert rules watch (backup, verify, restore test, drill, copy), done or
 * failed, whoever started it: the CLI, the console or the agent. It evaluates the rules, which deliver
 * what they raise (and hold the points they make suspicious). A failure here is logged and never hides
 * the run's own outcome. It also does the housekeeping due after runs (safety copies past their retention).
 */
public final class AfterRun {
    private static final Logger LOG = LoggerFactory.getLogger(AfterRun.class);
    private final AlertService alerts;
    private final Runnable housekeeping;

    public AfterRun(AlertService alerts) {
        this(alerts, () -> { });
    }

    public AfterRun(AlertService alerts, Runnable housekeeping) {
        this.alerts = alerts;
        this.housekeeping = housekeeping;
    }

    /** Runs the housekeeping, then the alert rules; returns how many alerts they raised. */
    public int run() {
        try {
            housekeeping.run();
        } catch (RuntimeException e) {
            LOG.error("Housekeeping after a run failed; the run's own outcome stands", e);
        }
        try {
            return alerts.evaluate().size();
        } catch (RuntimeException e) {
            LOG.error("Alert evaluation after a run failed; the run's own outcome stands", e);
            return 0;
        }
    }
}
