package io.hps.cli;

import io.hps.verify.Verifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps verify}: every proposal of a study computed again, every result checked against its digest. */
@Command(name = "verify", header = "Check that a study's proposals and results are what its master recorded.",
    mixinStandardHelpOptions = true,
    description = {"Computes every batch's proposals again from the provenance the master recorded in it (the",
        "strategy and seed of study.json, the point the seed stream stood at, the results the strategy saw and the",
        "settings then in flight) and compares them with the settings the batch holds; checks every result in",
        "results/ against the digest the master recorded when it accepted it, and against its setting's",
        "parameters. Prints each mismatch with the first differing value. Works on a finished study and on one",
        "that is running or was killed. Exit 0: everything matches; 1: a mismatch, or a batch without provenance",
        "(an older hps or another master wrote it) that cannot be checked."})
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR", description = "The study directory.")
  Path study;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    int[] checked = {0};
    Verifier.Report report = Verifier.verify(study, batch -> {
      if (++checked[0] % 500 == 0) {
        out.printf("checked %d batches...%n", checked[0]);
        out.flush();
      }
    });
    for (Verifier.Mismatch m : report.mismatches()) {
      out.printf("MISMATCH  %s%n", m);
    }
    for (String note : report.notes()) {
      out.printf("note      %s%n", note);
    }
    out.printf(java.util.Locale.ROOT, "%s: %d of %d batches (%d settings) computed again, %d results checked, %d"
        + " mismatch%s (%.1f s)%n", report.ok() ? "verified" : "NOT verified", report.computed(), report.batches(),
        report.settings(), report.results(), report.mismatches().size(), report.mismatches().size() == 1 ? "" : "es",
        (System.nanoTime() - start) / 1e9);
    if (report.computed() > 0) {
      out.printf(java.util.Locale.ROOT, "per batch: %.2f ms to compute its proposals again, %.3f ms to build its"
          + " provenance again (the master's cost of recording it)%n",
          report.strategySeconds() * 1e3 / report.computed(), report.provenanceSeconds() * 1e3 / report.computed());
    }
    return report.ok() ? 0 : 1;
  }
}
