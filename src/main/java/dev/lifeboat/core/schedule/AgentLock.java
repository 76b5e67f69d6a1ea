package dev.lifeboat.core.schedule;

import dev.lifeboat.core.LifeboatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * At most one agent per Lifeboat home: an OS file lock on {@code agent.lock}, which also records the
 * agent's PID and start time for {@code agent status}. The lock dies with the process, so a killed
 * agent never blocks the next one.
 */
public final class AgentLock implements AutoCloseable {
    public static final String FILE = "agent.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private AgentLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static AgentLock acquire(Path home) {
        Path file = home.resolve(FILE);
        try {
            Files.createDirectories(home);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new LifeboatException("Another Lifeboat agent is already running on " + home
                        + holder(home).map(h -> " (" + h + ")").orElse("") + "; stop it first, or use another --home");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid=" + ProcessHandle.current().pid() + "\nstarted=" + Instant.now() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            return new AgentLock(ch, lock);
        } catch (IOException e) {
            throw new LifeboatException("Cannot take the agent lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** "pid N, started T" of the agent holding the home, when one is alive. */
    public static Optional<String> holder(Path home) {
        Path file = home.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            String pid = text.replaceAll("(?s).*pid=(\\d+).*", "$1");
            String started = text.replaceAll("(?s).*started=(\\S+).*", "$1");
            if (!pid.matches("\\d+") || !ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.empty();
            }
            return Optional.of("pid " + pid + ", started " + started);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // released with the process anyway
        }
    }
}
