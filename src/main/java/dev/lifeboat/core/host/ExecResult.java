package dev.lifeboat.core.host;

/** How a command run inside a container ended; {@code stderr} keeps at most its first 64 KiB. */
public record ExecResult(long exitCode, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
