package dev.lifeboat.core.pitr;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a restore to a moment writes into a data directory, and what it refuses. */
class PitrRestoreTest {
    @Test
    void aBaseBackupsFilesAndDirectoriesAreWrittenButLinksDevicesAndNamesLeadingOutAreRefused() {
        assertDoesNotThrow(() -> PitrRestore.checkEntry(new TarArchiveEntry("base/5/16384")));
        assertDoesNotThrow(() -> PitrRestore.checkEntry(new TarArchiveEntry("pg_wal/")));
        TarArchiveEntry link = new TarArchiveEntry("pg_tblspc/16500", TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("/etc");
        assertTrue(assertThrows(IntegrityException.class, () -> PitrRestore.checkEntry(link)).getMessage()
                .contains("a symbolic link to /etc"));
        TarArchiveEntry hard = new TarArchiveEntry("global/pg_control", TarArchiveEntry.LF_LINK);
        hard.setLinkName("/etc/shadow");
        assertThrows(IntegrityException.class, () -> PitrRestore.checkEntry(hard));
        assertThrows(IntegrityException.class, () -> PitrRestore.checkEntry(new TarArchiveEntry("base/../../etc/cron.d/x")));
        assertThrows(IntegrityException.class, () -> PitrRestore.checkEntry(new TarArchiveEntry("dev", TarArchiveEntry.LF_CHR)));
    }

    @Test
    void theRestoreCommandTakesOnlyAPlainDataDirectoryNeverShellWords() {
        String settings = PitrRestore.recoverySettings("/var/lib/postgresql/data",
                PitrRestore.Target.at(Instant.parse("2026-12-01T13:03:00.250Z")));
        assertTrue(settings.contains("restore_command = 'cp \"/var/lib/postgresql/data/lifeboat_restore_wal/%f\" \"%p\"'"), settings);
        assertTrue(settings.contains("recovery_target_time = '2026-12-01 13:03:00.250000+00:00'"), settings);
        assertTrue(settings.contains("recovery_target_action = 'promote'"), settings);
        for (String hostile : new String[] {"/data\"; rm -rf /; \"", "/data$(id)", "/data'x", "relative/data", "/a/../b"}) {
            assertThrows(LifeboatException.class, () -> PitrRestore.recoverySettings(hostile, PitrRestore.Target.latest()), hostile);
        }
    }

    @Test
    void theNewestTransactionComesBackFromPostgresEpochSecondsToTheMicrosecond() {
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T13:03:00.250001Z"),
                PitrRestore.epoch("1796130180.250001"));
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T13:03:00Z"), PitrRestore.epoch("1796130180"));
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("1969-12-31T23:59:59.500Z"), PitrRestore.epoch("-0.5"));
    }
}
