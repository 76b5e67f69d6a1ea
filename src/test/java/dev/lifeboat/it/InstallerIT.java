package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The .deb as an admin gets it: built by {@code installer/linux/package.sh} from this build's jars,
 * installed into a bare Debian container (the desktop image: debootstrap minbase with Xvfb, and
 * the .debs of GTK and the runtime's libraries in apt's cache, not installed) with no network at all,
 * so a successful {@code apt-get install} proves the deb declares everything it needs. There it runs
 * {@code lifeboat --version}, {@code lifeboat --help}, and the console under Xvfb until the window
 * is shown and the history is open. Then it removes the package.
 */
@Tag("integration")
class InstallerIT {
    private static final String IMAGE = System.getProperty("lifeboat.desktop.image", "lifeboat-desktop:bookworm");
    private static final String LABEL = "lifeboat.test.installer";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path tmp;
    static Path deb;

    @BeforeAll
    static void packageTheDeb() throws Exception {
        Path out = tmp.resolve("deb");
        // gzip -1 instead of xz: the same package, built in a fifth of the time (the release build keeps xz).
        Result r = run(List.of("installer/linux/package.sh", "deb", out.toString()),
                List.of("DPKG_DEB_COMPRESSOR_TYPE=gzip", "DPKG_DEB_COMPRESSOR_LEVEL=1"), 600);
        assertEquals(0, r.code, "package.sh failed:\n" + r.out);
        try (var files = Files.list(out)) {
            deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no .deb in " + out + ":\n" + r.out));
        }
    }

    @AfterAll
    static void removeContainers() {
        String ids = Rig.docker("ps", "-aq", "--filter", "label=" + LABEL + "=" + RUN).trim();
        if (!ids.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
            cmd.addAll(ids.lines().toList());
            Rig.docker(cmd.toArray(String[]::new));
        }
    }

    @Test
    void theDebDeclaresGtkAndCarriesTheDesktopEntryAndIcon() throws Exception {
        Result depends = run(List.of("dpkg-deb", "-f", deb.toString(), "Depends"), List.of(), 60);
        List<String> declared = List.of(depends.out.trim().split(",\\s*"));
        assertTrue(declared.contains("libgtk-3-0"), "GTK 3 is declared: " + declared);
        assertTrue(declared.contains("libxtst6"), "the X test extension is declared: " + declared);
        Result contents = run(List.of("dpkg-deb", "-c", deb.toString()), List.of(), 60);
        assertTrue(contents.out.contains("./opt/lifeboat/lib/lifeboat-lifeboat.desktop"), contents.out);
        assertTrue(contents.out.contains("./opt/lifeboat/lib/lifeboat.png"), contents.out);
        Result version = run(List.of("dpkg-deb", "-f", deb.toString(), "Version"), List.of(), 60);
        assertTrue(version.out.trim().startsWith(dev.lifeboat.AppContext.VERSION), version.out);
    }

    @Test
    void theDebInstallsOfflineIntoABareDebianAndItsConsoleOpensUnderXvfb() throws Exception {
        String script = String.join("\n",
                "set -u",
                "export DEBIAN_FRONTEND=noninteractive",
                "if ! apt-get install -y -q --no-install-recommends /deb/" + deb.getFileName() + " >/tmp/apt.log 2>&1; then",
                "  echo '== install failed'; tail -30 /tmp/apt.log; exit 10",
                "fi",
                "echo '== installed'",
                "echo \"desktop entry: $(ls /usr/share/applications/lifeboat-lifeboat.desktop 2>&1)\"",
                "echo \"on PATH: $(command -v lifeboat)\"",
                "echo '== version'",
                "lifeboat --version 2>&1",
                "echo '== help'",
                "lifeboat --help 2>&1 | head -40",
                "echo '== console'",
                "xvfb-run -a -s '-screen 0 1280x800x24' lifeboat >/tmp/console.out 2>&1 &",
                "pid=$!",
                "log=/root/.lifeboat/logs/lifeboat.log",
                // Awaits a condition (both lines logged, or the launcher gone), bounded by a deadline.
                "for i in $(seq 1 240); do",
                "  grep -q 'console attached to the history' $log 2>/dev/null && grep -q 'console window shown' $log && break",
                "  kill -0 $pid 2>/dev/null || break",
                "  sleep 0.5",
                "done",
                "kill -0 $pid 2>/dev/null && echo 'console running: yes' || echo 'console running: no'",
                "echo '== console log'; cat $log 2>/dev/null",
                "echo '== console output'; cat /tmp/console.out",
                "kill $pid 2>/dev/null",
                "echo '== remove'",
                "apt-get remove -y -q lifeboat >/dev/null 2>&1 && echo \"removed; /usr/bin/lifeboat after: $([ -e /usr/bin/lifeboat ] && echo present || echo gone)\"",
                "exit 0");
        Result r = run(List.of("docker", "run", "--rm", "--network", "none", "--label", LABEL + "=" + RUN,
                "-v", deb.getParent() + ":/deb:ro", IMAGE, "bash", "-c", script), List.of(), 600);
        String out = r.out;
        assertEquals(0, r.code, out);
        assertTrue(out.contains("== installed"), "installed offline with only the declared dependencies:\n" + out);
        assertTrue(out.contains("desktop entry: /usr/share/applications/lifeboat-lifeboat.desktop"), out);
        assertTrue(out.contains("on PATH: /usr/bin/lifeboat"), out);
        String versionPart = between(out, "== version", "== help");
        assertEquals("lifeboat " + dev.lifeboat.AppContext.VERSION, versionPart.trim(), out);
        String help = between(out, "== help", "== console");
        assertTrue(help.contains("Usage: lifeboat"), help);
        assertTrue(help.contains("restore"), help);
        String log = between(out, "== console log", "== console output");
        assertTrue(log.contains("console window shown: Lifeboat " + dev.lifeboat.AppContext.VERSION), out);
        assertTrue(log.contains("console attached to the history"), out);
        assertTrue(out.contains("console running: yes"), "the console is still up once its window is shown:\n" + out);
        assertFalse(log.lines().anyMatch(l -> l.contains(" ERROR ")), "no error logged:\n" + log);
        assertFalse(log.contains("javafx.css"), "the styles resolve (ControlsFX's notices in the theme):\n" + log);
        assertTrue(out.contains("removed; /usr/bin/lifeboat after: gone"), out);
    }

    private static String between(String s, String from, String to) {
        int a = s.indexOf(from);
        int b = s.indexOf(to, Math.max(a, 0));
        if (a < 0 || b < 0) {
            fail("no '" + from + "' … '" + to + "' section in:\n" + s);
        }
        return s.substring(a + from.length(), b);
    }

    private record Result(int code, String out) {
    }

    private static Result run(List<String> cmd, List<String> env, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (String e : env) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        Path log = Files.createTempFile(tmp, "out", ".txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
