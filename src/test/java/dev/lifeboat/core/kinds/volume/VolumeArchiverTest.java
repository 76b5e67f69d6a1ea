package dev.lifeboat.core.kinds.volume;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class VolumeArchiverTest {
    @Test
    void rebaseMakesNamesRelativeToTheVolumeAndKeepsMetadata() throws IOException {
        ByteArrayOutputStream docker = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(docker, "UTF-8")) {
            tar.setAddPaxHeadersForNonAsciiNames(true);
            TarArchiveEntry root = new TarArchiveEntry("vol/");
            root.setMode(040755);
            tar.putArchiveEntry(root);
            tar.closeArchiveEntry();
            TarArchiveEntry f = new TarArchiveEntry("vol/été 1.txt");
            f.setMode(0100600);
            f.setUserId(1000);
            f.setSize(3);
            tar.putArchiveEntry(f);
            tar.write("abc".getBytes(StandardCharsets.UTF_8));
            tar.closeArchiveEntry();
            TarArchiveEntry l = new TarArchiveEntry("vol/link", TarArchiveEntry.LF_SYMLINK);
            l.setLinkName("été 1.txt");
            l.setMode(0120777);
            tar.putArchiveEntry(l);
            tar.closeArchiveEntry();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<dev.lifeboat.core.model.FileEntry> index = new ArrayList<>();
        long[] counts = VolumeArchiver.rebase(new ByteArrayInputStream(docker.toByteArray()), "vol", out, index);
        assertEquals(List.of(
                new dev.lifeboat.core.model.FileEntry("./", "d", 0, 0755, 0, 0, null, null),
                new dev.lifeboat.core.model.FileEntry("été 1.txt", "f", 3, 0600, 1000, 0,
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", null),
                new dev.lifeboat.core.model.FileEntry("link", "l", 0, 0777, 0, 0, null, "été 1.txt")), index);
        assertEquals(3, counts[0]);
        assertEquals(3, counts[1]);
        List<String> seen = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()), "UTF-8")) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                seen.add(e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getLongUserId()
                        + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
                if (e.isFile() && !e.isSymbolicLink()) {
                    assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
                }
            }
        }
        assertEquals(List.of("./ 40755 0", "été 1.txt 100600 1000", "link 120777 0 -> été 1.txt"), seen);
    }
}
