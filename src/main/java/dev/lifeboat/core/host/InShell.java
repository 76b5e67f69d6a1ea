package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * A fixed shell script run in a container in one exec, where doing its steps from outside took one exec each.
 * Empty where the container has no shell (the exec cannot start, or exits 126 or 127), so the caller takes
 * those steps one exec each.
 */
final class InShell {
    private InShell() {
    }

    static Optional<ExecResult> exec(DockerEngine docker, String container, List<String> script, List<String> env,
                                     OutputStream out) {
        ExecResult r;
        try {
            r = docker.exec(container, script, env, null, out);
        } catch (HostException noShell) {
            return Optional.empty();
        }
        return r.exitCode() == 126 || r.exitCode() == 127 ? Optional.empty() : Optional.of(r);
    }
}
