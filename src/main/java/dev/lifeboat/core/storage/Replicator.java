package dev.lifeboat.core.storage;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.pipeline.ArtifactDigest;
import dev.lifeboat.core.pipeline.ArtifactPipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a recovery point to another destination (the "2" and the "1" of 3-2-1). Where both
 * repositories use the same key, each artifact's stored bytes are copied as they are (no
 * decompression or re-encryption), their SHA-256 checked against the signed manifest on the way.
 * Otherwise each artifact is decrypted with the source key and re-encrypted with the target's, the
 * content checksum checked on the way. The manifest is rewritten, bound and signed for the target. After the
 * copy is committed, every artifact is read back from the target and re-hashed before the copy is
 * recorded.
 */
public final class Replicator {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Replicator.class);
    private final HistoryStore history;

    private final Repositories repositories;

    public Replicator(Repositories repositories) {
        this.history = repositories.history();
        this.repositories = repositories;
    }

    public RecoveryPoint replicate(String pointId, String targetName, Progress progress) {
        String actor = repositories.actor();
        try (PointLocator.Located source = new PointLocator(repositories).locate(pointId)) {
            if (source.destination().equals(targetName)) {
                throw new LifeboatException("Recovery point " + pointId + " is already on " + targetName);
            }
            Manifest m = source.manifest();
            // under the stack's lock: prune cannot delete the point while it is read
            return history.locks().withStackLock(m.host(), m.stack(), "replicate",
                    holder -> new dev.lifeboat.core.StackBusyException("Copy of " + pointId + " to " + targetName
                            + " skipped: the stack is busy (" + holder + ")"),
                    () -> {
                        try (Repository target = repositories.open(targetName)) {
                            return replicate(source, target, targetName, actor, progress);
                        }
                    });
        }
    }

    private RecoveryPoint replicate(PointLocator.Located source, Repository target, String targetName, String actor,
                                    Progress progress) {
        String pointId = source.manifest().pointId();
        Manifest m = source.manifest();
        String runId = history.runs().start("replicate", m.host(), m.stack(), pointId, targetName, actor);
        List<RunStep> steps = new ArrayList<>();
        try {
            for (Destination.StoredPoint existing : target.destination().list(m.host(), m.stack())) {
                if (existing.id().equals(pointId)) {
                    throw new LifeboatException("Destination " + targetName + " already holds point " + pointId);
                }
            }
            Destination.StoredPoint stored;
            Manifest copy;
            boolean sameKey = source.repository().pipeline().key().id().equals(target.pipeline().key().id());
            try (PointWriter writer = target.destination().begin(m.host(), m.stack(), pointId)) {
                List<AssetRecord> assets = new ArrayList<>();
                for (AssetRecord a : m.assets()) {
                    List<Artifact> artifacts = new ArrayList<>();
                    for (Artifact art : a.artifacts()) {
                        progress.phase("replicate", "Copying " + art.file() + " to " + targetName);
                        long t = System.nanoTime();
                        artifacts.add(sameKey ? copyStored(source, art, writer) : copy(source, art, target.pipeline(), writer));
                        steps.add(new RunStep(art.file(), (System.nanoTime() - t) / 1_000_000, art.plainBytes(), "ok", null));
                    }
                    assets.add(new AssetRecord(a.kind(), a.name(), a.container(), a.durationMs(), artifacts, a.rowCounts(),
                            a.keyCounts(), a.fileCount(), a.details()));
                }
                copy = new Manifest(m.format(), m.pointId(), m.host(), m.stack(), m.startedAt(), m.completedAt(),
                        target.pipeline().key().id(), m.lifeboatVersion(), m.containers(), m.volumes(), assets, m.toolVersions())
                        .boundTo(target.id(), Chain.head(target, m.host(), m.stack()));
                byte[] json = ManifestCodec.write(copy);
                stored = writer.commit(json, target.sign(json));
                progress.phase("verify", "Reading the copy back from " + targetName);
                try {
                    readBack(new PointLocator.Located(target, stored, target.manifest(stored)));
                } catch (IOException | RuntimeException e) {
                    if (target.removable()) {
                        target.destination().delete(stored); // a copy that does not read back is no copy
                    } else {
                        LOG.warn("Copy of {} on append-only destination {} did not read back and is left there: {}", pointId,
                                targetName, e.getMessage());
                    }
                    throw e;
                }
                history.points().record(new RecoveryPoint(pointId, m.host(), m.stack(), targetName, m.startedAt(),
                        stored.location(), copy.storedBytes(), "copy"), Repository.sha256(json));
            }
            history.runs().finish(runId, "ok", "copied to " + targetName + " and read back", pointId, steps);
            history.runs().audit(actor, "replicate", m.host() + "/" + m.stack(), "point " + pointId + " to " + targetName);
            return new RecoveryPoint(pointId, m.host(), m.stack(), targetName, m.startedAt(), stored.location(),
                    copy.storedBytes(), "copy");
        } catch (IOException e) {
            history.runs().finish(runId, "failed", e.getMessage(), pointId, steps);
            throw new LifeboatException("Copying " + pointId + " to " + targetName + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            history.runs().finish(runId, "failed", e.getMessage(), pointId, steps);
            throw e;
        }
    }

    private static Artifact copy(PointLocator.Located source, Artifact art, ArtifactPipeline targetPipeline, PointWriter writer)
            throws IOException {
        ArtifactPipeline.Writer out = targetPipeline.writer(writer.create(art.file()));
        try (InputStream plain = source.open(art); out) {
            plain.transferTo(out);
        }
        ArtifactDigest d = out.digest();
        if (!d.plainSha256().equals(art.plainSha256())) {
            throw new IntegrityException(art.file() + ": the copy's content differs from the source's");
        }
        return new Artifact(art.file(), art.role(), art.database(), d.plainBytes(), d.plainSha256(), d.storedBytes(),
                d.storedSha256(), ArtifactPipeline.COMPRESSION, ArtifactPipeline.ENCRYPTION);
    }

    /** Copies an artifact's stored (compressed, encrypted) bytes unchanged, checking them against the manifest's SHA-256. */
    private static Artifact copyStored(PointLocator.Located source, Artifact art, PointWriter writer) throws IOException {
        java.security.MessageDigest sha = sha256();
        long n = 0;
        try (InputStream in = source.repository().destination().open(source.stored(), art.file());
             OutputStream out = writer.create(art.file())) {
            byte[] buf = new byte[256 * 1024];
            int r;
            while ((r = in.read(buf)) >= 0) {
                sha.update(buf, 0, r);
                out.write(buf, 0, r);
                n += r;
            }
        }
        String got = java.util.HexFormat.of().formatHex(sha.digest());
        if (n != art.storedBytes() || !got.equals(art.storedSha256())) {
            throw new IntegrityException(art.file() + ": the source's stored bytes are not the ones its manifest names"
                    + " (SHA-256 " + got + ", expected " + art.storedSha256() + ")");
        }
        return art;
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Re-reads every artifact at the target: stored SHA-256, authenticated decryption, content SHA-256. */
    private static void readBack(PointLocator.Located copy) throws IOException {
        for (Artifact a : copy.manifest().artifacts()) {
            try (InputStream in = copy.open(a)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }
}
