package io.hps.cli;

import io.hps.doctor.FilesystemDoctor;
import io.hps.doctor.Finding;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hps doctor}: whether a filesystem gives a study what the protocol relies on. */
@Command(name = "doctor", header = "Check that a filesystem (a shared disk) can hold a study.",
    mixinStandardHelpOptions = true,
    description = {"Probes the filesystem a study lives on, in a scratch folder it removes again, and says per",
        "property PASS, WARN or FAIL and what follows for a study: atomic rename (claims), rename over a file",
        "(master.json, progress), hard links that never replace (results), O_EXCL, directory fsync, settable",
        "modification times (heartbeats), free space, and the clock offset of file times. With --other-mount (the",
        "same directory through another mount, as another machine sees it): how soon a new file is listed on each",
        "side, two mounts racing to rename one file and to link one name (exactly one must win each), and",
        "whether a file rewritten on one side is ever read torn on the other. hps master and hps run make the",
        "first six checks before they create a study and refuse one that fails (--unsafe-filesystem overrides).",
        "Exit 0: a study can live here; 1: a check failed."})
final class DoctorCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR",
      description = "Where the study lives or will live (folders it creates are removed again if left empty).")
  Path study;

  @Option(names = "--other-mount", paramLabel = "DIR2", description = {"The same directory through another mount",
      "(another machine's view: a second NFS or GlusterFS mount of it on this machine)."})
  Path other;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path made = firstMissing(study.toAbsolutePath());
    Files.createDirectories(study);
    try {
      if (other != null) {
        awaitOther();
      }
      if (other != null && Files.isSameFile(study, other)) {
        out.printf("note: --other-mount is the same directory through the same mount as --study: the checks between"
            + " mounts race two threads of this machine, not two machines%n");
      }
      out.printf("hps doctor: %s (%s)%n", study, FilesystemDoctor.describe(study));
      if (other != null) {
        out.printf("other mount: %s (%s)%n", other, FilesystemDoctor.describe(other));
      }
      out.flush();
      List<Finding> essentials = FilesystemDoctor.essentials(study);
      List<Finding> findings = new java.util.ArrayList<>(essentials);
      findings.addAll(FilesystemDoctor.beyondEssentials(study, other));
      for (Finding f : findings) {
        out.printf("  %-4s  %s: %s%n", f.verdict(), f.property(), f.seen());
        if (!f.meaning().isEmpty()) {
          out.printf("        %s%n", f.meaning());
        }
      }
      long failed = findings.stream().filter(f -> f.verdict() == Finding.Verdict.FAIL).count();
      long warned = findings.stream().filter(f -> f.verdict() == Finding.Verdict.WARN).count();
      boolean refused = essentials.stream().anyMatch(f -> f.verdict() == Finding.Verdict.FAIL);
      out.printf("%s: %d passed, %d warning%s, %d failed%s%n", failed == 0 ? "a study can live here"
          : refused ? "hps master and hps run refuse to create a study here (--unsafe-filesystem overrides)"
          : "a study here could lose or duplicate results, or stop, across machines (hps master checks only this"
          + " machine's view: it would not refuse it)",
          findings.stream().filter(f -> f.verdict() == Finding.Verdict.PASS).count(), warned, warned == 1 ? "" : "s",
          failed, other == null ? "; give --other-mount to check what crosses between machines" : "");
      return failed == 0 ? 0 : 1;
    } finally {
      // The folders this command made, deepest first, as far as they are still empty.
      for (Path dir = study.toAbsolutePath(); made != null && dir != null && dir.startsWith(made);
          dir = dir.getParent()) {
        try {
          Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException used) {
          break; // a study was created there meanwhile: leave it
        }
      }
    }
  }

  /** The outermost folder of {@code dir} that does not exist yet (null: it exists). */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /** The other mount must show the study directory, which may take a moment when this command just made it. */
  private void awaitOther() throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!Files.isDirectory(other)) {
      if (System.nanoTime() > end) {
        throw new ParameterException(spec.commandLine(), "--other-mount " + other + ": no such directory after 30 s;"
            + " it must be the same directory as --study, seen through another mount");
      }
      Thread.sleep(20);
    }
  }
}
