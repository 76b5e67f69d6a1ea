package dev.lifeboat;

import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.backup.BackupService;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.kinds.BuiltInKinds;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.restore.RestoreService;
import dev.lifeboat.core.proof.RestoreTestService;
import dev.lifeboat.core.proof.DrillService;
import dev.lifeboat.core.secrets.MasterPassword;
import dev.lifeboat.core.secrets.SecretStore;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The one composition root: wires the core services by hand (no DI container) for the CLI and the
 * console alike. Opened per process; closing it closes the history database.
 */
public final class AppContext implements AutoCloseable {
    public static final String VERSION = "0.1.0";
    private final Path home;
    private final HistoryStore history;
    private final SecretStore secrets;
    private final Repositories repositories;
    private final Function<Host, DockerEngine> connector;
    private final BackupService backups;
    private final IntegrityVerifier verifier;
    private final RestoreService restores;
    private final RestoreTestService restoreTests;
    private final DrillService drills;
    private final dev.lifeboat.core.alert.AlertService alerts;
    private final AssetKinds kinds;

    public AppContext(Path home) {
        this(home, MasterPassword.standard(null));
    }

    /** {@code masterPassword} unlocks the secret store when a secret is first needed. */
    public AppContext(Path home, MasterPassword masterPassword) {
        this(home, masterPassword, BuiltInKinds.all());
    }

    /** With the asset kinds to use: the built-in ones, plus any plug-in kinds. */
    public AppContext(Path home, MasterPassword masterPassword, AssetKinds kinds) {
        this(home, masterPassword, kinds, null);
    }

    /**
     * {@code historyUrl}: a shared history on a PostgreSQL server (team mode, ADR 22); null for the one
     * configured ({@code $LIFEBOAT_HISTORY}, {@code HOME/config.properties}), else the embedded one.
     */
    public AppContext(Path home, MasterPassword masterPassword, AssetKinds kinds, String historyUrl) {
        this.home = home;
        this.kinds = kinds;
        this.history = HistoryStore.open(home, historyUrl, java.time.Clock.systemUTC());
        this.history.runs().markInterrupted();
        this.secrets = new SecretStore(home, masterPassword);
        this.repositories = new Repositories(history, secrets, System.getProperty("user.name", "unknown"));
        this.connector = host -> DockerGateway.connect(host, secrets);
        this.backups = new BackupService(repositories, connector, kinds, VERSION);
        this.verifier = new IntegrityVerifier(repositories, connector, kinds);
        this.restores = new RestoreService(repositories, connector, kinds, verifier, backups);
        this.restoreTests = new RestoreTestService(repositories, connector, kinds, verifier, pitrRestore());
        this.drills = new DrillService(repositories, connector, kinds, verifier, restores, pitrRestore());
        this.alerts = new dev.lifeboat.core.alert.AlertService(history, repositories, secrets, java.time.Clock.systemUTC(),
                dev.lifeboat.core.alert.AlertRules.Thresholds.defaults(), 1000);
    }

    /** The asset kinds this process knows: discovery, backup, restore, verify and scopes dispatch through them. */
    public AssetKinds kinds() {
        return kinds;
    }

    private dev.lifeboat.core.fleet.FleetOverview fleet;

    /** The fleet overview use case (one per context: it keeps the hosts' stack lists for a minute). */
    public synchronized dev.lifeboat.core.fleet.FleetOverview fleet() {
        if (fleet == null) {
            fleet = new dev.lifeboat.core.fleet.FleetOverview(history, connector, kinds, home, java.time.Clock.systemUTC());
        }
        return fleet;
    }

    /** Continuous WAL shipping of PostgreSQL assets (point-in-time recovery, ADR 24). */
    public dev.lifeboat.core.pitr.WalShipping walShipping() {
        return new dev.lifeboat.core.pitr.WalShipping(history, repositories, connector, kinds, java.time.Clock.systemUTC());
    }

    /** Restores a PostgreSQL asset to a moment from its base backup and shipped WAL (ADR 24). */
    public dev.lifeboat.core.pitr.PitrRestore pitrRestore() {
        return new dev.lifeboat.core.pitr.PitrRestore(history, repositories, connector, walShipping(), backups,
                java.time.Clock.systemUTC());
    }

    /** The stack dashboard use case. */
    public dev.lifeboat.core.fleet.StackDashboard dashboard() {
        return new dev.lifeboat.core.fleet.StackDashboard(history, repositories, java.time.Clock.systemUTC());
    }

    /** A stack's timeline between two moments. */
    public dev.lifeboat.core.status.Timeline timeline(String host, String stack, java.time.Instant from, java.time.Instant to) {
        return new dev.lifeboat.core.status.StackStatusService(history, java.time.Clock.systemUTC())
                .timeline(host, stack, from, to, java.time.ZoneOffset.UTC);
    }

    /** What in the stacks on a host holds data, as the registered kinds find it. */
    public StackDiscovery discovery(DockerEngine docker) {
        return new StackDiscovery(docker, kinds);
    }

    public dev.lifeboat.core.alert.AlertService alerts() {
        return alerts;
    }

    /** Who acts in this process (the login user): what runs and audit entries name. Read once, here. */
    public String actor() {
        return repositories.actor();
    }

    /** The step after any watched run (the alert rules), for the CLI, the console and the agent alike. */
    public dev.lifeboat.core.alert.AfterRun afterRun() {
        return new dev.lifeboat.core.alert.AfterRun(alerts, () -> safetyCopies().releaseExpired());
    }

    /**
     * Backs Lifeboat itself up to {@code destination} (see {@link dev.lifeboat.core.backup.SelfBackup}) and records the run
     * and the audit entry, after the history's snapshot so a restored history never holds the run half done.
     */
    public dev.lifeboat.core.backup.SelfBackup.Written selfBackup(String destination, boolean withKeys) {
        String machine = dev.lifeboat.core.backup.SelfBackup.machineName(dev.lifeboat.core.Machine.name());
        dev.lifeboat.core.backup.SelfBackup.Written w;
        try {
            w = dev.lifeboat.core.backup.SelfBackup.backup(home, history, repositories, destination, withKeys, VERSION, machine);
        } catch (RuntimeException | java.io.IOException e) {
            String runId = history.runs().start("self-backup", dev.lifeboat.core.backup.SelfBackup.HOST, machine, null,
                    destination, actor());
            history.runs().finish(runId, "failed", e.getMessage(), null, java.util.List.of());
            throw e instanceof RuntimeException re ? re : new dev.lifeboat.core.LifeboatException("Self-backup to "
                    + destination + " failed: " + e.getMessage(), e);
        }
        String runId = history.runs().start("self-backup", dev.lifeboat.core.backup.SelfBackup.HOST, machine, null, destination,
                actor());
        history.runs().finish(runId, "ok", "self-backup " + w.pointId() + " to " + destination + ": "
                + String.join(", ", w.contents()), w.pointId(), java.util.List.of());
        history.runs().audit(actor(), "self-backup", destination, w.pointId() + (withKeys ? " with keys" : ""));
        return w;
    }

    /** The scheduler over this context's services. */
    public dev.lifeboat.core.schedule.Agent agent(java.time.Duration maxJitter) {
        return agent(maxJitter, java.time.Clock.systemUTC());
    }

    /** The scheduler on {@code clock} (a test's). */
    public dev.lifeboat.core.schedule.Agent agent(java.time.Duration maxJitter, java.time.Clock clock) {
        return new dev.lifeboat.core.schedule.Agent(history, backups, new dev.lifeboat.core.storage.Replicator(repositories),
                verifier, restoreTests, new dev.lifeboat.core.retention.PruneService(repositories), alerts,
                clock, maxJitter).shippingWal(walShipping());
    }

    public DrillService drills() {
        return drills;
    }

    public RestoreTestService restoreTests() {
        return restoreTests;
    }

    public SecretStore secrets() {
        return secrets;
    }

    public Repositories repositories() {
        return repositories;
    }

    /** {@code --home}, else $LIFEBOAT_HOME, else ~/.lifeboat. */
    public static Path defaultHome() {
        String env = System.getenv("LIFEBOAT_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".lifeboat");
    }

    public Path home() {
        return home;
    }

    public HistoryStore history() {
        return history;
    }

    public Function<Host, DockerEngine> connector() {
        return connector;
    }

    public BackupService backups() {
        return backups;
    }

    public IntegrityVerifier verifier() {
        return verifier;
    }

    public RestoreService restores() {
        return restores;
    }

    /** The data restores replaced and kept on the hosts (ADR 25): list, release, retention. */
    public dev.lifeboat.core.restore.SafetyCopies safetyCopies() {
        return new dev.lifeboat.core.restore.SafetyCopies(history, connector, kinds, java.time.Clock.systemUTC(), actor());
    }

    @Override
    public void close() {
        history.close();
    }
}
