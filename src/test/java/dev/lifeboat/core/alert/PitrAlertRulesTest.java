package dev.lifeboat.core.alert;

import dev.lifeboat.core.history.PitrConfig;
import dev.lifeboat.core.history.PitrRepository;
import dev.lifeboat.core.model.Finding;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WAL shipping alerts: lag past the asset's limit, and no shipping pass at all. */
class PitrAlertRulesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final PitrConfig C = new PitrConfig("db1", "shop", "postgres:shop-db-1", "nas", "lifeboat_shop_db_1", 30,
            120, NOW.minusSeconds(86_400), "ada");

    private static List<String> keys(PitrRepository.Progress p) {
        return AlertRules.pitr(List.of(p), NOW).stream().map(Finding::key).toList();
    }

    @Test
    void walWaitingLongerThanTheLimitRaisesALastingLagAlertAndCaughtUpWalNone() {
        // waiting since 3 minutes, the newest file shipped 5 minutes ago: 180 s > 120 s
        List<Finding> f = AlertRules.pitr(List.of(new PitrRepository.Progress(C, NOW.minusSeconds(180), NOW.minusSeconds(5),
                NOW.minusSeconds(300))), NOW);
        assertEquals(List.of("pitr-lag:db1/shop postgres:shop-db-1"), f.stream().map(Finding::key).toList());
        assertTrue(f.get(0).lasting() && f.get(0).title().contains("lags 180 s"), f.get(0).title());
        // under steady load a segment ships every switch: the lag counts from the newest file, not from the first wait
        assertEquals(List.of(), keys(new PitrRepository.Progress(C, NOW.minusSeconds(3600), NOW.minusSeconds(5), NOW.minusSeconds(40))));
        // everything shipped: no lag however old the newest file is
        assertEquals(List.of(), keys(new PitrRepository.Progress(C, null, NOW.minusSeconds(5), NOW.minusSeconds(86_000))));
    }

    @Test
    void noShippingPassForLongerThanFiveMinutesOrThreeLagLimitsSaysTheAgentIsNotShipping() {
        assertEquals(List.of("pitr-stalled:db1/shop postgres:shop-db-1"),
                keys(new PitrRepository.Progress(C, null, NOW.minusSeconds(361), NOW.minusSeconds(400))));
        assertEquals(List.of(), keys(new PitrRepository.Progress(C, null, NOW.minusSeconds(359), NOW.minusSeconds(400))));
        assertEquals(List.of("pitr-stalled:db1/shop postgres:shop-db-1"),
                keys(new PitrRepository.Progress(C, null, null, null)), "never shipped since it was enabled a day ago");
    }

    @Test
    void eachGapInWhatARestoreCanReachIsOneAlertRaisedOnce() {
        var gap = new dev.lifeboat.core.pitr.Coverage.Gap(NOW.minusSeconds(600), NOW.minusSeconds(300),
                "WAL segment 000000010000000000000006 is missing");
        var coverage = new dev.lifeboat.core.pitr.Coverage("postgres:shop-db-1", List.of(
                new dev.lifeboat.core.pitr.Coverage.Span(NOW.minusSeconds(900), NOW.minusSeconds(600)),
                new dev.lifeboat.core.pitr.Coverage.Span(NOW.minusSeconds(300), NOW)), List.of(gap));
        List<Finding> f = AlertRules.walGaps(List.of(coverage), "db1", "shop");
        assertEquals(List.of("pitr-gap:db1/shop postgres:shop-db-1 " + gap.from()), f.stream().map(Finding::key).toList());
        assertTrue(!f.get(0).lasting() && f.get(0).message().contains("000000010000000000000006 is missing"), f.get(0).message());
        assertEquals(List.of(), AlertRules.walGaps(List.of(new dev.lifeboat.core.pitr.Coverage("postgres:shop-db-1",
                List.of(new dev.lifeboat.core.pitr.Coverage.Span(NOW.minusSeconds(900), NOW)), List.of())), "db1", "shop"));
    }
}
