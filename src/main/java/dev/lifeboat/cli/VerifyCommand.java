package dev.lifeboat.cli;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "verify", description = "Re-read a recovery point: checksums, authenticated decryption, structure.")
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "POINT")
    String pointId;
    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
        try (AppContext app = root.open()) {
            VerifyReport report = app.verifier().verify(pointId, new StderrProgress(spec.commandLine().getErr(), true));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, java.util.Map.of("pointId", report.pointId(), "ok", report.ok(), "checks", report.checks()));
            } else {
                for (VerifyReport.Check c : report.checks()) {
                    out.printf("%-4s %-44s %s%n", c.ok() ? "ok" : "FAIL", c.artifact(), c.detail());
                }
            }
            if (!report.ok()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("lifeboat: recovery point " + pointId + " failed verification: "
                        + report.failures().get(0).detail());
                return Cli.INTEGRITY;
            }
        }
        return 0;
    }
}
