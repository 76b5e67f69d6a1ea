package dev.lifeboat.core.restore;

import dev.lifeboat.core.asset.PreviewSection;

import java.util.List;

/**
 * What restoring a point over its live stack would change, read from the live stack without changing it:
 * per asset a section (tables with rows now and at the point, files that change), the containers whose image
 * differs from the point's, and one summary line for the confirmation ("overwrites 3 databases, 1 volume;
 * 1,204 files change; what is replaced is kept 7 days").
 */
public record RestorePreview(String pointId, String host, String stack, List<PreviewSection> sections, List<List<String>> images,
                             String summary) {
}
