package dev.lifeboat.core.pitr;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.backup.BackupService;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.PitrConfig;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.history.WalFile;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.core.storage.Destination;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.storage.Repository;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Restores one PostgreSQL asset to a moment (ADR 24): the newest base backup that ended before it,
 * rolled forward by PostgreSQL's own recovery through the shipped WAL to {@code recovery_target_time}
 * (or an LSN, or the newest WAL), then promoted. A safety backup of the stack comes first, as for any
 * restore, and the production phrase is required on a production host. The WAL recovery needs is
 * fetched from the destination by Lifeboat, checked against its recorded hashes as it streams, and
 * staged beside the data for {@code restore_command}.
 */
public final class PitrRestore {
    /** Where the staged WAL sits in the data directory during recovery (removed once promoted). */
    static final String STAGED_WAL = "lifeboat_restore_wal";
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    private final HistoryStore history;
    private final Repositories repositories;
    private final Function<Host, DockerEngine> connector;
    private final WalShipping shipping;
    private final BackupService backups;
    private final Clock clock;

    public PitrRestore(HistoryStore history, Repositories repositories, Function<Host, DockerEngine> connector,
                       WalShipping shipping, BackupService backups, Clock clock) {
        this.history = history;
        this.repositories = repositories;
        this.connector = connector;
        this.shipping = shipping;
        this.backups = backups;
        this.clock = clock;
    }

    /** Where recovery stops: a moment, an LSN, or the newest WAL shipped. */
    public record Target(Instant time, String lsn) {
        public static Target latest() {
            return new Target(null, null);
        }

        public static Target at(Instant time) {
            return new Target(time, null);
        }

        public static Target lsn(String lsn) {
            if (!lsn.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
                throw new LifeboatException("'" + lsn + "' is not an LSN (like 0/3000060)");
            }
            return new Target(null, lsn.toUpperCase(java.util.Locale.ROOT));
        }

        @Override
        public String toString() {
            return time != null ? time.toString() : lsn != null ? "LSN " + lsn : "the newest WAL shipped";
        }
    }

    /** What a restore to a moment did; {@code newestTransaction}: the commit time of the last transaction recovered. */
    public record Result(String asset, String basePoint, String safetyPoint, int walFiles, Target target, String runId,
                         Duration took, Instant newestTransaction, List<RunStep> steps) {
        public Result {
            steps = List.copyOf(steps);
        }
    }

    /**
     * What recovery to a moment starts from: the asset's shipping, the newest base backup that ended before
     * the target, and the shipped WAL it rolls forward through, checked to have no gap.
     */
    public record Plan(PitrConfig config, Target target, String basePoint, String startWal, Instant baseEndedAt,
                       List<WalFile> wal) {
        public Plan {
            wal = List.copyOf(wal);
        }
    }

    /** What recovery reached: the commit time of the newest transaction replayed (the base backup's end if none was), the timeline. */
    public record Recovered(Instant newestTransaction, boolean replayed, String timeline) {
    }

    public Result restore(String hostName, String stack, String container, Target target, String confirmation,
                          Progress progress) {
        Host host = history.hosts().require(hostName);
        if (host.production()) {
            ConfirmationPolicy.require(host, confirmation);
        }
        Instant started = clock.instant();
        PitrConfig config = config(hostName, stack, container);
        String runId = history.runs().start("restore", hostName, stack, null, config.destination(), repositories.actor());
        List<RunStep> steps = new ArrayList<>();
        String asset = config.asset();
        try {
            long t0 = System.nanoTime();
            Plan plan = plan(hostName, stack, container, target, progress);
            steps.add(step("ship WAL", t0, null));

            // the safety backup and the replacement under one hold of the stack's lock: no backup or restore between
            Replaced done = history.locks().withStackLock(hostName, stack, "restore", dev.lifeboat.core.StackBusyException::new,
                    () -> {
                        progress.phase("safety", "Safety backup of " + hostName + "/" + stack + " before it is replaced");
                        long s0 = System.nanoTime();
                        RecoveryPoint safety;
                        try (PointLocator.Located located = new PointLocator(repositories).locate(plan.basePoint())) {
                            safety = backups.safetyBackup(hostName, stack, config.destination(), located.manifest(),
                                    located.containerSpecs(), progress);
                        }
                        steps.add(step("safety backup", s0, safety.id()));
                        return new Replaced(safety.id(), replace(host, plan, steps, progress));
                    });
            Recovered recovered = done.recovered();
            history.runs().finish(runId, "ok", asset + " restored to " + target + " from base " + plan.basePoint() + " and "
                    + plan.wal().size() + " WAL files; recovered and promoted on timeline " + recovered.timeline()
                    + ", newest transaction " + recovered.newestTransaction() + "; safety point " + done.safetyPoint(),
                    plan.basePoint(), steps);
            history.runs().audit(repositories.actor(), "restore-pitr", hostName + "/" + stack, asset + " to " + target
                    + "; safety point " + done.safetyPoint());
            return new Result(asset, plan.basePoint(), done.safetyPoint(), plan.wal().size(), target, runId,
                    Duration.between(started, clock.instant()), recovered.newestTransaction(), steps);
        } catch (RuntimeException e) {
            history.runs().finish(runId, "failed", e.getMessage(), null, steps);
            throw e;
        }
    }

    /** What the stack's lock covered: the safety backup taken, then the replacement. */
    private record Replaced(String safetyPoint, Recovered recovered) {
    }

    /** The shipping of {@code postgres:container} of the stack; an error where it is not on. */
    public PitrConfig config(String hostName, String stack, String container) {
        String asset = "postgres:" + container;
        return history.pitr().of(hostName, stack).stream().filter(x -> x.asset().equals(asset)).findFirst()
                .orElseThrow(() -> new LifeboatException("WAL shipping is not on for " + asset + " of " + hostName + "/" + stack
                        + ": a restore to a moment needs it ('lifeboat pitr enable')"));
    }

    /**
     * Ships the WAL written up to now, then finds the base backup and the WAL that reach {@code target}.
     * Nothing is changed on the host but the switch to a new WAL segment.
     */
    public Plan plan(String hostName, String stack, String container, Target target, Progress progress) {
        PitrConfig c = config(hostName, stack, container);
        if (target.time() != null && target.time().isAfter(clock.instant())) {
            throw new LifeboatException("The moment " + target.time() + " is in the future");
        }
        progress.phase("wal", "Shipping the WAL written up to now");
        shipping.flush(c, Duration.ofMinutes(2));
        Base base = base(hostName, stack, c.asset(), target);
        return new Plan(c, target, base.pointId(), base.startWal(), base.endedAt(), walFor(c, base));
    }

    private record Base(String pointId, String startWal, Instant endedAt) {
    }

    /** The newest base backup of the asset that ended before the target moment. */
    private Base base(String host, String stack, String asset, Target target) {
        List<RecoveryPoint> points = new ArrayList<>(history.points().of(host, stack).stream().filter(p -> !p.isSafety()).toList());
        points.sort(Comparator.comparing(RecoveryPoint::createdAt).reversed());
        for (RecoveryPoint p : points) {
            if (target.time() != null && !p.createdAt().isBefore(target.time())) {
                continue;
            }
            try (PointLocator.Located located = new PointLocator(repositories).locate(p.id())) {
                for (AssetRecord a : located.manifest().assets()) {
                    Map<String, String> d = a.details();
                    if (!a.name().equals(asset) || d == null || d.get("baseStartWal") == null) {
                        continue;
                    }
                    Instant ended = Instant.parse(d.get("baseEndedAt"));
                    if (target.time() != null && !ended.isBefore(target.time())) {
                        continue;
                    }
                    if (a.artifacts().stream().anyMatch(x -> x.role().equals("pg-base"))) {
                        return new Base(p.id(), d.get("baseStartWal"), ended);
                    }
                }
            }
        }
        throw new LifeboatException("No base backup of " + asset + " ended before " + target + ": a backup of the stack takes"
                + " one once WAL shipping is on; the moment must come after it");
    }

    /** The shipped WAL a base backup needs, from its first segment on, without a gap. */
    private List<WalFile> walFor(PitrConfig c, Base base) {
        List<WalFile> all = history.pitr().files(c.host(), c.stack(), c.asset(), c.destination());
        List<WalFile> segments = all.stream().filter(f -> !f.name().endsWith(".history") && f.name().compareTo(base.startWal()) >= 0)
                .toList();
        if (segments.isEmpty() || !segments.get(0).name().equals(base.startWal())) {
            throw new LifeboatException("The WAL archive of " + c.asset() + " at " + c.destination() + " does not hold "
                    + base.startWal() + ", where base backup " + base.pointId() + " starts");
        }
        for (int i = 1; i < segments.size(); i++) {
            String want = WalShipping.next(segments.get(i - 1).name());
            if (!segments.get(i).name().equals(want) && segments.get(i).name().substring(0, 8).equals(want.substring(0, 8))) {
                throw new LifeboatException("The WAL archive of " + c.asset() + " has a gap: " + want + " is missing (after "
                        + segments.get(i - 1).name() + "); a restore can reach " + segments.get(i - 1).name() + " at most");
            }
        }
        List<WalFile> out = new ArrayList<>(all.stream().filter(f -> f.name().endsWith(".history")).toList());
        out.addAll(segments);
        return out;
    }

    /**
     * Replaces the live server's data with the base backup and the staged WAL, recovers to the target, promotes.
     * The live data is never deleted first: it is moved aside within its own volume (a rename, seconds), and
     * removed only once the server has recovered and promoted. Should anything fail on the way, the
     * half-written data goes aside instead, the live data comes back and the server starts as it was.
     */
    private Recovered replace(Host host, Plan plan, List<RunStep> steps, Progress progress) {
        PitrConfig c = plan.config();
        shipping.pause(c);
        try (DockerEngine docker = connector.apply(host);
             PointLocator.Located point = new PointLocator(repositories).locate(plan.basePoint())) {
            String container = c.container();
            ContainerSpec spec = docker.inspect(container).orElseThrow(() -> new LifeboatException("Container " + container
                    + " is gone: restore the stack from a point first"));
            MountSpec mount = dataMount(spec);
            String pgdata = pgdata(spec);
            String inside = pgdata.equals(mount.target()) ? "" : pgdata.substring(mount.target().length() + 1);
            String run = UUID.randomUUID().toString().substring(0, 8);
            String aside = ".lifeboat-replaced-" + run;
            String image = helperImage(docker, spec);
            Map<String, String> labels = Map.of(dev.lifeboat.core.asset.Helpers.LABEL, "pitr-restore");

            progress.phase("stop", "Stopping " + container + " and setting its data aside");
            long t0 = System.nanoTime();
            docker.stop(container, spec.stopTimeout());
            docker.moveWithinVolume(image, labels, mount.source(), inside, aside, List.of());
            steps.add(step("stop", t0, "live data set aside in " + mount.source() + "/" + aside));

            t0 = System.nanoTime();
            Recovered recovered;
            try {
                recovered = recoverInto(docker, plan, point, spec, Map.of(), () -> { }, progress);
            } catch (RuntimeException failed) {
                rollBack(docker, spec, mount, inside, aside, image, labels, run, progress);
                shipping.resume(c);
                String why = failed.getMessage().endsWith(".") ? failed.getMessage().substring(0, failed.getMessage().length() - 1)
                        : failed.getMessage();
                throw new LifeboatException(why + ". Rolled back: PostgreSQL in " + container + " runs on the data it had before",
                        failed);
            }
            // recovered and promoted: what was set aside goes (the safety point holds it)
            var removed = docker.exec(container, List.of("rm", "-rf", "--", mount.target() + "/" + aside), List.of(), null,
                    OutputStream.nullOutputStream());
            steps.add(step("recover", t0, "timeline " + recovered.timeline() + ", newest transaction "
                    + recovered.newestTransaction() + (removed.ok() ? "" : "; the data set aside could not be removed ("
                    + removed.stderr().trim() + "): remove " + mount.target() + "/" + aside + " in " + container + " by hand")));
            progress.phase("wal", "WAL shipping resumes on the new timeline");
            shipping.resume(c);
            return recovered;
        }
    }

    /** Puts the data set aside back after a failed recovery (what was written goes aside, then is removed) and starts the server. */
    private void rollBack(DockerEngine docker, ContainerSpec spec, MountSpec mount, String inside, String aside, String image,
                          Map<String, String> labels, String run, Progress progress) {
        progress.phase("rollback", "Putting the data of " + spec.name() + " back as it was");
        String failed = ".lifeboat-failed-" + run;
        docker.stop(spec.name(), spec.stopTimeout());
        docker.moveWithinVolume(image, labels, mount.source(), inside, failed, inside.isEmpty() ? List.of(aside) : List.of());
        docker.moveWithinVolume(image, labels, mount.source(), aside, inside, List.of());
        docker.start(spec.name());
        PostgresClient pg = new PostgresClient(docker, docker.inspect(spec.name()).orElseThrow());
        docker.awaitReady(spec.name(), Duration.ofMinutes(5), () -> pg.readyWithin(2));
        docker.exec(spec.name(), List.of("rm", "-rf", "--", mount.target() + "/" + failed, mount.target() + "/" + aside), List.of(),
                null, OutputStream.nullOutputStream());
    }

    /** The image helpers on the server's data run from: the one it runs on (its recorded id when the host still has it). */
    private static String helperImage(DockerEngine docker, ContainerSpec spec) {
        return dev.lifeboat.core.asset.Helpers.imageOf(docker, spec);
    }

    /** The named volume the data directory of a PostgreSQL container is on. */
    private static MountSpec dataMount(ContainerSpec spec) {
        String pgdata = pgdata(spec);
        return spec.mounts().stream().filter(m -> m.isVolume() && (pgdata.equals(m.target())
                || pgdata.startsWith(m.target() + "/"))).findFirst().orElseThrow(() -> new LifeboatException(
                "The data directory " + pgdata + " of " + spec.name() + " is not on a named volume; a restore to a moment"
                        + " replaces a volume"));
    }

    private static String pgdata(ContainerSpec spec) {
        return checkDataDirectory(Optional.ofNullable(spec.envValue("PGDATA")).orElse("/var/lib/postgresql/data"));
    }

    /**
     * Recovers into the container {@code spec}, whose data directory's volume exists and is empty (the live
     * one just recreated, or a sandbox's) and which is not there yet: writes the base backup and the plan's
     * WAL into the volume, has {@code create} create the container, starts the server, waits until it has
     * recovered to the target and promoted, and removes the recovery settings and the staged WAL again.
     * {@code helperLabels} go on the helper that writes the volume.
     */
    public Recovered recoverInto(DockerEngine docker, Plan plan, PointLocator.Located basePoint, ContainerSpec spec,
                                 Map<String, String> helperLabels, Runnable create, Progress progress) {
        String pgdata = pgdata(spec);
        MountSpec mount = dataMount(spec);
        String inside = pgdata.equals(mount.target()) ? "" : pgdata.substring(mount.target().length() + 1);
        PitrConfig c = plan.config();
        progress.phase("base", "Writing base backup " + plan.basePoint() + " and " + plan.wal().size() + " WAL files");
        Map<String, String> labels = new java.util.LinkedHashMap<>(helperLabels);
        labels.put(dev.lifeboat.core.asset.Helpers.LABEL, "pitr-restore");
        String helper = docker.createHelper(helperImage(docker, spec),
                "lifeboat-helper-" + UUID.randomUUID().toString().substring(0, 8), labels, List.of(mount.source()), false);
        try (Repository archiveRepo = repositories.open(c.destination())) {
            writeDataDirectory(docker, helper, "/lifeboat/" + mount.source() + (inside.isEmpty() ? "" : "/" + inside),
                    basePoint, archiveRepo, c, plan.wal(), pgdata, plan.target());
        } catch (IOException e) {
            throw new LifeboatException("Restoring " + c.asset() + " to " + plan.target() + " failed: " + e.getMessage(), e);
        } finally {
            dev.lifeboat.core.Cleanup.uninterrupted(() -> docker.remove(helper));
        }

        progress.phase("recover", "PostgreSQL recovers to " + plan.target());
        create.run();
        docker.start(spec.name());
        PostgresClient pg = new PostgresClient(docker, docker.inspect(spec.name()).orElseThrow());
        awaitPromoted(docker, spec.name(), pg);
        String replayedAt = pg.query("postgres", "SELECT extract(epoch FROM pg_last_xact_replay_timestamp())").trim();
        for (String setting : List.of("restore_command", "recovery_target_time", "recovery_target_lsn", "recovery_target_action")) {
            pg.query("postgres", "ALTER SYSTEM RESET " + setting);
        }
        pg.query("postgres", "SELECT pg_reload_conf()");
        docker.exec(spec.name(), List.of("rm", "-rf", "--", pgdata + "/" + STAGED_WAL), List.of(), null,
                OutputStream.nullOutputStream());
        String timeline = pg.query("postgres", "SELECT timeline_id FROM pg_control_checkpoint()").trim();
        return replayedAt.isEmpty() ? new Recovered(plan.baseEndedAt(), false, timeline)
                : new Recovered(epoch(replayedAt), true, timeline);
    }

    /** An instant from PostgreSQL's {@code extract(epoch ...)}: seconds with up to six decimals. */
    static Instant epoch(String seconds) {
        java.math.BigDecimal s = new java.math.BigDecimal(seconds);
        long whole = s.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        return Instant.ofEpochSecond(whole, s.subtract(java.math.BigDecimal.valueOf(whole)).movePointRight(9).longValue());
    }

    /**
     * Streams the data directory into the volume: the base backup's entries, with the recovery settings
     * appended to its {@code postgresql.auto.conf}, a {@code recovery.signal}, and the WAL staged under
     * {@link #STAGED_WAL}; every file is owned as the base backup's files are.
     */
    private void writeDataDirectory(DockerEngine docker, String helper, String dir, PointLocator.Located point,
                                    Repository archiveRepo, PitrConfig c, List<WalFile> wal, String pgdata, Target target)
            throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream pipe = new PipedOutputStream(in);
        IOException[] failed = new IOException[1];
        Thread writer = new Thread(() -> {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(pipe)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                long[] owner = {-1, -1};
                try (InputStream base = point.open(baseArtifact(point)); TarArchiveInputStream src = new TarArchiveInputStream(base)) {
                    TarArchiveEntry e;
                    while ((e = src.getNextEntry()) != null) {
                        checkEntry(e);
                        if (e.getName().equals("postgresql.auto.conf")) {
                            byte[] conf = src.readAllBytes();
                            byte[] more = recoverySettings(pgdata, target).getBytes(StandardCharsets.UTF_8);
                            TarArchiveEntry n = new TarArchiveEntry(e.getName());
                            copyOwner(e, n);
                            n.setMode(e.getMode());
                            n.setSize(conf.length + more.length);
                            tar.putArchiveEntry(n);
                            tar.write(conf);
                            tar.write(more);
                            tar.closeArchiveEntry();
                            owner[0] = e.getLongUserId();
                            owner[1] = e.getLongGroupId();
                            continue;
                        }
                        tar.putArchiveEntry(e);
                        if (!e.isDirectory()) {
                            src.transferTo(tar);
                        }
                        tar.closeArchiveEntry();
                    }
                }
                file(tar, "recovery.signal", new byte[0], owner);
                TarArchiveEntry d = new TarArchiveEntry(STAGED_WAL + "/");
                d.setMode(0700);
                d.setUserId(owner[0]);
                d.setGroupId(owner[1]);
                tar.putArchiveEntry(d);
                tar.closeArchiveEntry();
                Destination.WalArchive archive = archiveRepo.destination().wal(c.host(), c.stack(), c.container());
                for (WalFile f : wal) {
                    ByteArrayOutputStream plain = new ByteArrayOutputStream((int) Math.min(f.plainBytes(), 32L << 20));
                    try (InputStream r = archiveRepo.pipeline().reader(archive.open(f.name() + ".lbe"), f.name(), f.storedSha256(),
                            f.plainSha256())) {
                        r.transferTo(plain);
                    }
                    file(tar, STAGED_WAL + "/" + f.name(), plain.toByteArray(), owner);
                }
                tar.finish();
            } catch (IOException | RuntimeException e) {
                failed[0] = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                try {
                    pipe.close();
                } catch (IOException ignored) {
                    // the reader sees the end of the stream; the failure above is what is reported
                }
            }
        }, "lifeboat-pitr-restore-tar");
        writer.start();
        try {
            docker.writeArchive(helper, dir, in);
        } finally {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /**
     * A base backup's entry as it may be written into a data directory: a plain relative name, a file or a
     * directory. A link, a device or a name leading out is refused: the backup came out of a container,
     * whose contents are not to be trusted, and nothing is written through a link.
     */
    static void checkEntry(TarArchiveEntry e) {
        String n = e.getName();
        boolean plainName = !n.isEmpty() && !n.startsWith("/") && java.util.Arrays.stream(n.split("/"))
                .noneMatch(part -> part.equals("..")) && n.indexOf('\0') < 0;
        boolean special = e.isSymbolicLink() || e.isLink() || e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO();
        if (!plainName || special || !(e.isFile() || e.isDirectory())) {
            throw new dev.lifeboat.core.IntegrityException("The base backup holds '" + n + "' ("
                    + (e.isSymbolicLink() ? "a symbolic link to " + e.getLinkName() : e.isLink() ? "a hard link"
                    : !plainName ? "a name outside the data directory" : "not a plain file or directory")
                    + "): refusing to write it into a data directory");
        }
    }

    /** A data directory path that can go into {@code restore_command} (run by a shell) as it is. */
    static String checkDataDirectory(String pgdata) {
        if (!pgdata.matches("/[A-Za-z0-9_./-]*") || pgdata.contains("..")) {
            throw new LifeboatException("The container's PGDATA '" + pgdata + "' is not a plain path; refusing to put it into"
                    + " a restore_command");
        }
        return pgdata;
    }

    private static Artifact baseArtifact(PointLocator.Located point) {
        return point.manifest().assets().stream().flatMap(a -> a.artifacts().stream()).filter(x -> x.role().equals("pg-base"))
                .findFirst().orElseThrow();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, long[] owner) throws IOException {
        TarArchiveEntry n = new TarArchiveEntry(name);
        n.setMode(0600);
        n.setSize(data.length);
        if (owner[0] >= 0) {
            n.setUserId(owner[0]);
            n.setGroupId(owner[1]);
        }
        tar.putArchiveEntry(n);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void copyOwner(TarArchiveEntry from, TarArchiveEntry to) {
        to.setUserId(from.getLongUserId());
        to.setGroupId(from.getLongGroupId());
        to.setUserName(from.getUserName());
        to.setGroupName(from.getGroupName());
    }

    /** The settings that make the server recover from the staged WAL to the target and then promote. */
    static String recoverySettings(String pgdata, Target target) {
        StringBuilder b = new StringBuilder("\n# Lifeboat: recovery to ").append(target).append(" (removed once promoted)\n");
        b.append("restore_command = 'cp \"").append(checkDataDirectory(pgdata)).append('/').append(STAGED_WAL)
                .append("/%f\" \"%p\"'\n");
        if (target.time() != null) {
            b.append("recovery_target_time = '").append(PG_TIME.format(target.time())).append("'\n");
        } else if (target.lsn() != null) {
            b.append("recovery_target_lsn = '").append(target.lsn()).append("'\n");
        }
        b.append("recovery_target_action = 'promote'\n");
        return b.toString();
    }

    /** Waits until recovery has reached its target and the server accepts writes; a server that stops is an error. */
    private void awaitPromoted(DockerEngine docker, String container, PostgresClient pg) {
        Instant deadline = clock.instant().plus(Duration.ofMinutes(30));
        while (clock.instant().isBefore(deadline)) {
            if (docker.inspect(container).map(ContainerSpec::running).orElse(false)) {
                try {
                    if (pg.query("postgres", "SELECT pg_is_in_recovery()").trim().equals("f")) {
                        return;
                    }
                } catch (RuntimeException starting) {
                    // the server is still starting or replaying: asked again below
                }
            } else {
                throw new HostException("PostgreSQL in " + container + " stopped during recovery; its log says why ('docker logs "
                        + container + "'). The safety point holds the data it replaced");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LifeboatException("Interrupted while " + container + " recovers");
            }
        }
        throw new HostException("PostgreSQL in " + container + " did not finish recovery within 30 minutes");
    }

    private static RunStep step(String name, long startNanos, String detail) {
        return new RunStep(name, (System.nanoTime() - startNanos) / 1_000_000, null, "ok", detail);
    }
}
