package dev.lifeboat.core.kinds.redis;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.List;

/** A streamed one-file tar: header, the content as it arrives, padding, end blocks. Nothing is buffered. */
final class SingleFileTar {
    private SingleFileTar() {
    }

    static InputStream of(String name, long size, int mode, long uid, long gid, InputStream content) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0100000 | mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        byte[] header = new byte[512];
        e.writeEntryHeader(header);
        int pad = (int) ((512 - size % 512) % 512);
        return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(header), content, new ByteArrayInputStream(new byte[pad + 1024]))));
    }
}
