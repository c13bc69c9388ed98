package io.hps.cli;

import io.hps.dashboard.DashboardServer;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hps dashboard}: a live, read-only view of a study (or of every study under a folder) in a browser. */
@Command(name = "dashboard", header = "Watch a study live in a browser (read-only; nothing leaves this machine).",
    mixinStandardHelpOptions = true,
    description = {"Serves a page that shows a study as it runs: counts, the best setting, learning curves of",
        "finished and running settings, best-so-far, each hyperparameter against the error, parallel",
        "coordinates, the workers' timeline, quarantined files, SLURM jobs, and a sortable table of settings",
        "(CSV download) with a page per setting. It only reads the study; the page polls every second.",
        "Charts are drawn in the browser with uPlot, served from the jar: no internet needed. Ctrl-C stops it."})
final class DashboardCommand implements Callable<Integer> {
  static final class Where {
    @Option(names = "--study", paramLabel = "DIR", description = "One study directory.")
    Path study;

    @Option(names = "--root", paramLabel = "DIR", description = "Every study under DIR (folders with a study.json, up"
        + " to 3 levels down), with a list to choose from.")
    Path root;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = {"Address to listen on"
      + " (default: ${DEFAULT-VALUE}, this machine only).", "0.0.0.0 serves every network this machine is on: anyone"
      + " who reaches the port can read the studies."})
  String host;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8050", description = "Port (default: ${DEFAULT-VALUE};"
      + " 0 picks a free one).")
  int port;

  @Spec
  CommandSpec spec;

  /**
   * Waits for {@code study}'s study.json, saying so (started beside a fresh {@code hps run}, the dashboard is often
   * there first); a path that is a file, not a directory, is an error at once.
   */
  static void awaitStudy(Path study, PrintWriter out) throws Exception {
    if (Files.exists(study) && !Files.isDirectory(study)) {
      StudyDirectory.existing(study); // says what is wrong with it
    }
    Path config = new StudyDirectory(study).config();
    long since = System.nanoTime();
    boolean said = false;
    while (!Files.isRegularFile(config)) {
      if (!said) {
        out.printf("waiting for %s: no study there yet (start hps run or hps master with --study %s; Ctrl-C stops"
            + " waiting)%n", config, study);
        out.flush();
        said = true;
      }
      Thread.sleep(250);
    }
    if (said) {
      out.printf("%s appeared after %.0f s%n", config, (System.nanoTime() - since) / 1e9);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, not " + port);
    }
    DashboardServer server;
    try {
      if (where.study != null) {
        awaitStudy(where.study, out);
        server = DashboardServer.ofStudy(where.study, host, port);
      } else {
        if (!Files.isDirectory(where.root)) {
          throw new ParameterException(spec.commandLine(), "--root " + where.root + " is not a directory");
        }
        server = DashboardServer.ofRoot(where.root, host, port);
      }
    } catch (BindException e) {
      String why = e.getMessage() != null && e.getMessage().contains("in use")
          ? ": is another dashboard running? Use --port N, or --port 0 for a free one"
          : ": is " + host + " an address of this machine? (127.0.0.1: this machine only; 0.0.0.0: every network)";
      throw new java.io.IOException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")" + why);
    }
    long t = System.nanoTime();
    server.start();
    out.printf("dashboard of %s: %s  (read %.1f s; Ctrl-C stops it)%n",
        where.study != null ? where.study : "the studies under " + where.root, server.uri(), (System.nanoTime() - t) / 1e9);
    if (where.root != null && server.studyNames().isEmpty()) {
      out.printf("no study.json under %s yet (up to 3 levels down); the list updates as studies appear%n", where.root);
    }
    out.flush();
    CountDownLatch forever = new CountDownLatch(1);
    return Shutdown.whileRunning(() -> {
      server.close();
      forever.countDown();
    }, () -> {
      forever.await();
      return 0;
    });
  }
}
