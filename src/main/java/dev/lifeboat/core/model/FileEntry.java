package dev.lifeboat.core.model;

/**
 * One entry of a volume as it was backed up: path relative to the volume's root ("./" for the root),
 * type ({@code f} file, {@code d} directory, {@code l} symlink, {@code h} hard link, {@code o} other),
 * size, mode, owner, and the SHA-256 of a file's content or the target of a link. A point keeps the
 * list of a volume's entries (its index) so that a restored volume can be compared file by file.
 */
public record FileEntry(String path, String type, long size, int mode, long uid, long gid, String sha256, String link) {
}
