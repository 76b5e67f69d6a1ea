package dev.lifeboat.ui.restorewizard;

import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.pitr.Coverage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restore wizard's rules for a restore to a moment, without an FX toolkit. */
class RestoreWizardModelTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static RestoreWizardModel model() {
        RestoreWizardModel m = new RestoreWizardModel("prod", "shop");
        m.hosts.setAll(new Host("prod", "unix:///var/run/docker.sock", true), new Host("staging", "ssh://s", false));
        m.coverages.setAll(new Coverage("postgres:shop-db", List.of(new Coverage.Span(T, T.plusSeconds(600)),
                new Coverage.Span(T.plusSeconds(900), T.plusSeconds(1200))),
                List.of(new Coverage.Gap(T.plusSeconds(600), T.plusSeconds(900), "WAL segment 000000010000000000000005 is missing"))));
        m.walAsset.set(m.coverages.get(0));
        m.scope.set(RestoreWizardModel.Scope.MOMENT);
        return m;
    }

    @Test
    void aRestoreOfPartsTakesTheTickedPartsOfThisPointOnly() {
        RestoreWizardModel m = new RestoreWizardModel("prod", "shop");
        m.scope.set(RestoreWizardModel.Scope.PARTS);
        var scopeDone = m.stepComplete(2);
        assertFalse(scopeDone.get(), "nothing read, nothing ticked");
        m.offers.setAll("postgres:shop", "postgres:analytics", "redis", "volume:shop_uploads", "config");
        assertFalse(scopeDone.get(), "nothing ticked");
        m.parts.setAll("postgres:analytics", "volume:shop_uploads");
        assertTrue(scopeDone.get());
        assertEquals(List.of("postgres:analytics", "volume:shop_uploads"), m.restoreScope().only());
        m.offers.setAll("postgres:shop", "redis"); // another point's parts, before the ticks are cleared
        assertFalse(scopeDone.get(), "a part this point does not hold");
    }

    @Test
    void onlyAMomentTheBaseBackupsAndWalReachCanBeChosen() {
        RestoreWizardModel m = model();
        var scopeDone = m.stepComplete(2);
        m.moment.set(T.plusSeconds(300));
        assertTrue(scopeDone.get());
        m.moment.set(T.plusSeconds(700));
        assertFalse(scopeDone.get(), "inside the gap");
        m.moment.set(T.minusSeconds(1));
        assertFalse(scopeDone.get(), "before the first base backup ended");
        m.moment.set(T.plusSeconds(1200));
        assertTrue(scopeDone.get(), "the newest restorable moment");
        m.moment.set(null);
        assertFalse(scopeDone.get(), "a moment typed half-way");
        assertEquals("shop-db", m.momentContainer());
        assertEquals(List.of("postgres:shop-db"), m.restoreScope().only());
    }

    @Test
    void aRestoreToAMomentGoesInPlaceOnlyAndNeedsItsPlanAndTheProductionPhrase() {
        RestoreWizardModel m = model();
        m.moment.set(T.plusSeconds(300));
        var targetDone = m.stepComplete(3);
        assertTrue(targetDone.get());
        m.target.set(RestoreWizardModel.Target.SANDBOX);
        assertFalse(targetDone.get());
        m.target.set(RestoreWizardModel.Target.OTHER_HOST);
        m.otherHost.set(m.hosts.get(1));
        assertFalse(targetDone.get());
        m.target.set(RestoreWizardModel.Target.IN_PLACE);

        var planDone = m.stepComplete(5);
        assertFalse(planDone.get(), "no base backup and WAL found yet");
        m.momentPlan.set(new dev.lifeboat.core.pitr.PitrRestore.Plan(new dev.lifeboat.core.history.PitrConfig("prod", "shop",
                "postgres:shop-db", "disk", "lifeboat_shop_db", 30, 120, T, "admin"),
                dev.lifeboat.core.pitr.PitrRestore.Target.at(T.plusSeconds(300)), "p1", "000000010000000000000001", T, List.of()));
        assertTrue(planDone.get());

        var canRestore = m.canRestore();
        m.acknowledged.set(true);
        assertFalse(canRestore.get(), "a production host takes the phrase, not the checkbox");
        m.typed.set("RESTORE PRODUCTION");
        assertTrue(canRestore.get());
    }
}
