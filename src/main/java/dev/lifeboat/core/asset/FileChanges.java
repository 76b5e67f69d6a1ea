package dev.lifeboat.core.asset;

import dev.lifeboat.core.Units;
import dev.lifeboat.core.model.FileEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A restore's file changes in one place (a volume, a config directory): the files at the point against the
 * files there now, as a preview section. A file counts as changed when its type, content (size and SHA-256),
 * mode, owner or link target differ, as the restore would rewrite any of them. Paths only: never contents.
 */
public final class FileChanges {
    /** Most rows a section lists; the counts cover every file. */
    public static final int ROWS = 500;

    private FileChanges() {
    }

    /**
     * {@code atPoint} against {@code now} (by path; {@code now} is not changed); {@code noun} is what the
     * section overwrites ("volume", "config directory").
     */
    public static PreviewSection section(String asset, String kind, String title, String noun, Collection<FileEntry> atPoint,
                                         Map<String, FileEntry> now) {
        Map<String, FileEntry> live = new LinkedHashMap<>(now);
        List<List<String>> rows = new ArrayList<>();
        int back = 0;
        int changed = 0;
        for (FileEntry w : atPoint) {
            FileEntry g = live.remove(w.path());
            if (g == null) {
                back++;
                add(rows, w.path(), "brought back", "-", size(w));
            } else if (!same(w, g)) {
                changed++;
                add(rows, w.path(), "changed", size(g), size(w));
            }
        }
        for (FileEntry g : live.values()) {
            add(rows, g.path(), "removed", size(g), "-");
        }
        int removed = live.size();
        int changes = back + changed + removed;
        return new PreviewSection(asset, kind, title, List.of("Path", "The restore", "Now", "At the point"), rows, changes,
                String.format(Locale.ROOT, "%,d files change: %,d changed, %,d brought back, %,d removed%s", changes, changed,
                        back, removed, rows.size() < changes ? " (the first " + rows.size() + " listed)" : ""), 1, noun, "file");
    }

    /** Whether the restore would leave {@code now} as it is, {@code atPoint} being what it writes. */
    public static boolean same(FileEntry atPoint, FileEntry now) {
        boolean dir = "d".equals(atPoint.type());
        return atPoint.type().equals(now.type()) && atPoint.mode() == now.mode() && atPoint.uid() == now.uid()
                && atPoint.gid() == now.gid() && (dir || atPoint.size() == now.size())
                && Objects.equals(atPoint.sha256(), now.sha256()) && Objects.equals(atPoint.link(), now.link());
    }

    private static void add(List<List<String>> rows, String path, String what, String now, String then) {
        if (rows.size() < ROWS) {
            rows.add(List.of(path, what, now, then));
        }
    }

    private static String size(FileEntry e) {
        return "d".equals(e.type()) ? "directory" : "l".equals(e.type()) ? "link" : Units.bytes(e.size());
    }
}
