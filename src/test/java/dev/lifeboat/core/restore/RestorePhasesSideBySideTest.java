package dev.lifeboat.core.restore;

import dev.lifeboat.core.MemoryHome;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.backup.BackupService;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.kinds.BuiltInKinds;
import dev.lifeboat.core.proof.RestoreTestService;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kinds restored in place side by side (ADR 31), on an in-memory engine: two kinds that use different containers
 * restore at the same time, as one phase; two that share a container, or one that cannot say which it uses, one
 * after the other.
 */
class RestorePhasesSideBySideTest {
    @TempDir
    Path tmp;
    private MemoryHome home;

    @AfterEach
    void close() {
        if (home != null) {
            home.close();
        }
    }

    /** A restore test of a stack of two containers, each with an asset of one of {@code kinds}; its report. */
    private dev.lifeboat.core.proof.RestoreTestReport restoreTest(GatedKind... extra) throws Exception {
        home = MemoryHome.under(tmp).app("shop-app", Map.of("lifeboat.alpha", "yes")).app("shop-worker", Map.of("lifeboat.beta", "yes"));
        InMemoryEngine engine = home.engine;
        HistoryStore history = home.history;
        Repositories repositories = home.repositories;
        AssetKinds kinds = BuiltInKinds.all();
        for (GatedKind k : extra) {
            kinds = kinds.with(k);
        }
        AssetKinds all = kinds;
        BackupService backups = new BackupService(repositories, h -> engine, all, "test");
        IntegrityVerifier verifier = new IntegrityVerifier(repositories, h -> engine, all);
        RestoreTestService tests = new RestoreTestService(repositories, h -> engine, all, verifier,
                new dev.lifeboat.core.pitr.PitrRestore(history, repositories, h -> engine,
                        new dev.lifeboat.core.pitr.WalShipping(history, repositories, h -> engine, all, java.time.Clock.systemUTC()),
                        backups, java.time.Clock.systemUTC()));
        String point = backups.backup("mem", "shop", "disk", "manual", Progress.NONE).id();
        return tests.test(point, null, Progress.NONE);
    }

    /** The container {@code name} of the stack as the restore's target names it (a sandbox's own name). */
    private static Function<dev.lifeboat.core.asset.RestoreContext, Set<String>> uses(String... names) {
        return ctx -> java.util.Arrays.stream(names).map(n -> ctx.target().container(n)).collect(java.util.stream.Collectors.toSet());
    }

    private static List<String> phases(dev.lifeboat.core.proof.RestoreTestReport r) {
        return r.phases().stream().map(RunStep::name).toList();
    }

    @Test
    void kindsThatUseDifferentContainersRestoreAtTheSameTimeAsOnePhase() throws Exception {
        // each restore waits until the other one has started: restored one after the other, the first times out
        CyclicBarrier both = new CyclicBarrier(2);
        GatedKind.Gate meet = kind -> both.await(5, TimeUnit.SECONDS);
        var report = restoreTest(new GatedKind("alpha", 26, meet, uses("shop-app")),
                new GatedKind("beta", 27, meet, uses("shop-worker")));
        assertTrue(report.ok(), report.checks().toString());
        assertTrue(phases(report).contains("alphas + betas"), phases(report).toString());
        RunStep wave = report.phases().stream().filter(p -> p.name().equals("alphas + betas")).findFirst().orElseThrow();
        assertTrue(wave.detail().contains("alphas ") && wave.detail().contains("alpha:shop-app restored")
                && wave.detail().contains("betas ") && wave.detail().contains("beta:shop-worker restored"), wave.detail());
    }

    /**
     * Restores a stack whose alpha kind uses {@code alphaUses} and whose beta kind uses shop-worker, and fails unless
     * beta restored after alpha: alpha gives beta a second to start beside it, and beta must find alpha done.
     */
    private dev.lifeboat.core.proof.RestoreTestReport oneAfterTheOther(Function<dev.lifeboat.core.asset.RestoreContext,
            Set<String>> alphaUses) throws Exception {
        AtomicBoolean alphaDone = new AtomicBoolean();
        CountDownLatch betaStarted = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        GatedKind alpha = new GatedKind("alpha", 26, kind -> {
            overlapped.compareAndSet(false, betaStarted.await(1, TimeUnit.SECONDS));
            alphaDone.set(true);
        }, alphaUses);
        GatedKind beta = new GatedKind("beta", 27, kind -> {
            betaStarted.countDown();
            overlapped.compareAndSet(false, !alphaDone.get());
        }, uses("shop-worker"));
        var report = restoreTest(alpha, beta);
        assertTrue(report.ok(), report.checks().toString());
        assertFalse(overlapped.get(), "beta restored while alpha did");
        return report;
    }

    @Test
    void kindsThatShareAContainerRestoreOneAfterTheOther() throws Exception {
        List<String> names = phases(oneAfterTheOther(uses("shop-app", "shop-worker")));
        assertTrue(names.indexOf("alphas") >= 0 && names.indexOf("alphas") < names.indexOf("betas"), names.toString());
    }

    @Test
    void aKindThatCannotSayWhichContainersItUsesRestoresAlone() throws Exception {
        List<String> names = phases(oneAfterTheOther(ctx -> null));
        assertTrue(names.indexOf("alphas") >= 0 && names.indexOf("alphas") < names.indexOf("betas"), names.toString());
    }

    @Test
    void wavesKeepTheKindsOrderAndSplitWhereAContainerIsShared() {
        Map<String, Set<String>> uses = new java.util.HashMap<>(Map.of("config", Set.of(), "volumes", Set.of("app", "db"),
                "databases", Set.of("db"), "redis", Set.of("cache"), "files", Set.of("web")));
        assertEquals(List.of(List.of("volumes", "redis", "files")), RestoreRun.PhaseWaves.of(List.of("volumes", "redis", "files"), uses::get));
        // the databases' server mounts the volume: it waits for the volume's restore; redis joins the databases' wave
        assertEquals(List.of(List.of("config", "volumes"), List.of("databases", "redis")),
                RestoreRun.PhaseWaves.of(List.of("config", "volumes", "databases", "redis"), uses::get));
        uses.put("toy", null);
        assertEquals(List.of(List.of("volumes"), List.of("toy"), List.of("databases", "redis")),
                RestoreRun.PhaseWaves.of(List.of("volumes", "toy", "databases", "redis"), uses::get));
    }
}
