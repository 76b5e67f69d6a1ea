package dev.lifeboat.core.asset;

import dev.lifeboat.core.IntegrityException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reads a tar artifact to its end and checks it holds the number of entries the manifest recorded. */
public final class TarCheck {
    private TarCheck() {
    }

    /**
     * @param expected  the recorded count, or null when none was recorded
     * @param filesOnly count only entries that are not directories
     */
    public static String check(InputStream plain, String file, Long expected, boolean filesOnly) throws IOException {
        long entries = 0;
        long files = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(plain, StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            entries++;
            if (!e.isDirectory()) {
                files++;
            }
        }
        plain.transferTo(OutputStream.nullOutputStream());
        long actual = filesOnly ? files : entries;
        if (expected != null && expected >= 0 && expected != actual) {
            throw new IntegrityException(file + ": tar holds " + actual + " entries, the manifest recorded " + expected);
        }
        return "tar readable, " + actual + " entries";
    }
}
