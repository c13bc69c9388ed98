package io.hps.cli;

import io.hps.protocol.Epoch;
import io.hps.space.Params;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import io.hps.trainer.Trial;
import io.hps.worker.TrainerRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hps bench-train}: seconds per epoch of the exercise CNN with DL4J and, in the same run, with
 * PyTorch and TensorFlow (the same network, data split and epoch), the ratios, how far DL4J is from the FLOP
 * limit, and the dense trainer.
 */
@Command(name = "bench-train", header = "Benchmark the CNN trainer against PyTorch and TensorFlow on MNIST (and the"
    + " dense one).",
    mixinStandardHelpOptions = true,
    description = {"Trains the exercise CNN on MNIST (train 5000 + validate 10000 per epoch) for each NF in --nf at",
        "BS 100 and each BS in --bs at NF 32, with DL4J in this JVM, with PyTorch (Debian's python3-torch,",
        "examples/benchmarks/cnn-speed/torch_cnn.py) and with TensorFlow (tf_cnn.py beside it; --tensorflow) in",
        "processes of their own, all with --threads threads, and prints seconds per epoch (median of the epochs",
        "after the first), DL4J / PyTorch, DL4J / TensorFlow, GFLOP/s and the",
        "fraction of the CPU's FP32 peak, the first epoch and peak resident memory. Then a dense MLP.",
        "Rows run one after another; nothing else should run meanwhile. Needs MNIST (hps data fetch)."})
final class BenchTrainCommand implements Callable<Integer> {
  @Option(names = "--epochs", defaultValue = "3", description = "Epochs per row, at least 2 (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--nf", split = ",", defaultValue = "1,8,32,128,256", paramLabel = "N,N,...",
      description = "Filter counts at BS 100 (default: ${DEFAULT-VALUE}; 0: none).")
  List<Integer> filters;

  @Option(names = "--bs", split = ",", defaultValue = "20,500", paramLabel = "N,N,...",
      description = "Batch sizes at NF 32, besides 100 (default: ${DEFAULT-VALUE}; 0: none).")
  List<Integer> batches;

  @Option(names = "--threads", defaultValue = "2", description = "CPU threads for both frameworks (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--pytorch", paramLabel = "PYTHON", defaultValue = "/usr/bin/python3", description = {"The Python with"
      + " PyTorch for the peer column (default: ${DEFAULT-VALUE}); \"none\" skips it."})
  String python;

  @Option(names = "--tensorflow", paramLabel = "PYTHON", defaultValue = "python3", description = {"The Python with"
      + " TensorFlow for the second peer column (default: ${DEFAULT-VALUE}; TensorFlow is no Debian package:"
      + " python3 -m venv VENV && VENV/bin/pip install tensorflow-cpu, then --tensorflow VENV/bin/python); \"none\""
      + " skips it."})
  String tensorflowPython;

  @Option(names = "--dense", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also the dense MLP row (default: on).")
  boolean dense;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "MNIST directory (default: see hps data fetch).")
  Path dataDir;

  @Option(names = "--peak-gflops", defaultValue = "190", description = {"The CPU's FP32 peak, for the \"of peak\" column"
      + " (default: ${DEFAULT-VALUE}, the fastest FP32 matrix product measured on this project's 2-core VM: a 3072 x"
      + " 3072 product in PyTorch with OpenBLAS, 2 threads; pass your machine's own figure)."})
  double peak;

  @picocli.CommandLine.Mixin
  PluginOptions plugins;

  @Spec
  CommandSpec spec;

  /** One framework's timing of one row. */
  record Timing(double median, double first, double valError, String rss) {}

  @Override
  public Integer call() throws Exception {
    if (epochs < 2) {
      throw usage("--epochs must be at least 2 (the first epoch is start-up; the figure is the median of the others)");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (threads < 1 || threads > cores) {
      throw usage("--threads must be between 1 and this machine's " + cores + " cores, not " + threads);
    }
    if (filters.stream().anyMatch(nf -> nf < 0) || batches.stream().anyMatch(bs -> bs < 0)) {
      throw usage("--nf and --bs take positive numbers (0: no rows of that kind), not " + filters + " and " + batches);
    }
    if (!(peak > 0) || Double.isInfinite(peak)) {
      throw usage("--peak-gflops must be a positive number, not " + peak);
    }
    List<int[]> rows = new java.util.ArrayList<>();
    filters.stream().filter(nf -> nf > 0).forEach(nf -> rows.add(new int[] {nf, 100}));
    batches.stream().filter(bs -> bs > 0).forEach(bs -> rows.add(new int[] {32, bs}));
    if (rows.isEmpty() && !dense) {
      throw usage("nothing to run: --nf 0, --bs 0 and --no-dense");
    }
    PrintWriter out = spec.commandLine().getOut();
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    TrainerRegistry trainers = plugins.registry();
    Trainer cnn = trainers.find("cnn");
    Path data = dataDir == null ? Trial.defaultDataDirectory() : dataDir;
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw usage("--data-dir " + data + " is a file, not a directory");
    }
    Path scripts = Path.of(System.getProperty("hps.root", ".")).resolve("examples/benchmarks/cnn-speed");
    Peer torchPeer = new Peer("PyTorch", python.equals("none") ? null : python, scripts.resolve("torch_cnn.py"),
        "Debian: apt-get install python3-torch; or --pytorch PYTHON");
    Peer tfPeer = new Peer("TensorFlow", tensorflowPython.equals("none") ? null : tensorflowPython,
        scripts.resolve("tf_cnn.py"), "python3 -m venv VENV && VENV/bin/pip install tensorflow-cpu, then --tensorflow"
        + " VENV/bin/python");
    out.printf("%d cores, %d threads each; %d epochs a row; seconds per epoch = train 5000 + validate 10000, median of"
        + " the epochs after the first%n", cores, threads, epochs);
    out.flush();
    String backend = null;
    int failures = 0;
    for (int[] r : rows) {
      Outcome o;
      try {
        o = cnn.train(threaded(Trial.of(cnnParams(r[0], r[1]), data)), e -> true);
      } catch (Exception | OutOfMemoryError e) { // a row too large for this machine: say so and go on
        failures++;
        out.printf("CNN NF=%d BS=%d: failed (%s)%n", r[0], r[1], e);
        out.flush();
        continue;
      }
      if (backend == null && o.info().containsKey("backend")) {
        backend = o.info().get("backend") + ", " + o.info().get("execution");
        // after ND4J's own start-up lines, so that they do not split the table
        out.printf("| network | DL4J s/epoch | PyTorch s/epoch | TensorFlow s/epoch | DL4J / PyTorch | DL4J / TensorFlow"
            + " | DL4J GFLOP/s | of peak | first epoch DL4J / PyTorch / TensorFlow s | final val error DL4J / PyTorch /"
            + " TensorFlow | peak RSS DL4J / PyTorch / TensorFlow |%n");
        out.printf("|---|---|---|---|---|---|---|---|---|---|---|%n");
      }
      if (o.epochs().size() < 2) {
        failures++;
        out.printf("CNN NF=%d BS=%d: %s (%s)%n", r[0], r[1], o.status().name().toLowerCase(java.util.Locale.ROOT),
            o.reason() == null ? o.epochs().size() + " epochs" : o.reason());
        out.flush();
        continue;
      }
      Timing dl4j = new Timing(median(o.epochs().stream().skip(1).mapToDouble(BenchTrainCommand::seconds).toArray()),
          seconds(o.epochs().get(0)), o.epochs().get(o.epochs().size() - 1).valError(), peakRss());
      Timing torch = torchPeer.time(r[0], r[1], data);
      Timing tf = tfPeer.time(r[0], r[1], data);
      double gflop = gflopPerEpoch(r[0]);
      out.printf("| CNN NF=%d BS=%d | %.2f | %s | %s | %s | %s | %.1f | %.0f%% | %.2f / %s / %s | %.4f / %s / %s | %s / %s /"
          + " %s |%n", r[0], r[1], dl4j.median(), seconds(torch), seconds(tf), ratio(dl4j, torch), ratio(dl4j, tf),
          gflop / dl4j.median(), 100 * gflop / dl4j.median() / peak, dl4j.first(),
          torch == null ? "-" : String.format("%.2f", torch.first()), tf == null ? "-" : String.format("%.2f", tf.first()),
          dl4j.valError(), torch == null ? "-" : String.format("%.4f", torch.valError()),
          tf == null ? "-" : String.format("%.4f", tf.valError()), dl4j.rss(), torch == null ? "-" : torch.rss(),
          tf == null ? "-" : tf.rss());
      for (Peer peer : List.of(torchPeer, tfPeer)) {
        peer.sayWhyNot(out);
      }
      out.flush();
    }
    if (backend != null) {
      out.printf("DL4J natives: %s%n", backend);
    }
    if (dense) {
      Map<String, Object> mlp = new LinkedHashMap<>(Map.of("model", "dense", "shape", "rectangle", "depth", 5,
          "size", 784 * 256 + 256 + 3 * (256 * 256 + 256) + 2570, "optimizer", "adam", "lr", 0.001, "bs", 256,
          "epochs", epochs, "seed", 1));
      Outcome o = trainers.find("dense").train(threaded(Trial.of(new Params(mlp), data)), e -> true);
      out.printf("dense 784-256x4-10 Adam BS=256: %.2f s/epoch (first %.2f s), final val error %.4f%n",
          median(o.epochs().stream().skip(1).mapToDouble(BenchTrainCommand::seconds).toArray()),
          seconds(o.epochs().get(0)), o.epochs().get(o.epochs().size() - 1).valError());
    }
    out.printf("peak resident memory of this JVM: %s%n", peakRss());
    out.flush();
    return failures == 0 ? 0 : 1;
  }

  private picocli.CommandLine.ParameterException usage(String message) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static String seconds(Timing t) {
    return t == null ? "-" : String.format("%.2f", t.median());
  }

  private static String ratio(Timing dl4j, Timing peer) {
    return peer == null ? "-" : String.format("%.2f", dl4j.median() / peer.median());
  }

  /**
   * A peer framework: a script beside torch_cnn.py run by a Python of its own. When it cannot run (not installed,
   * failed), the reason is said once, under the row where it was found, and the other rows skip it.
   */
  private final class Peer {
    private final String name;
    private String python;
    private final Path script;
    private final String install;
    private String why;
    private boolean said;

    Peer(String name, String python, Path script, String install) {
      this.name = name;
      this.python = python;
      this.script = script;
      this.install = install;
    }

    Timing time(int nf, int bs, Path data) throws Exception {
      if (python == null) {
        return null;
      }
      try {
        return run(nf, bs, data);
      } catch (java.io.IOException e) {
        why = e.getMessage();
        python = null;
        return null;
      }
    }

    void sayWhyNot(PrintWriter out) {
      if (why != null && !said) {
        out.printf("(no %s column: %s)%n", name, why);
        said = true;
      }
    }

    /** The timing of one row, from the script's JSON lines. */
    private Timing run(int nf, int bs, Path data) throws Exception {
      Process p;
      try {
        p = new ProcessBuilder(python, script.toString(), "--nf", String.valueOf(nf), "--bs", String.valueOf(bs),
            "--epochs", String.valueOf(epochs), "--threads", String.valueOf(threads), "--data-dir", data.toString())
            .redirectErrorStream(true).start();
      } catch (java.io.IOException e) {
        throw new java.io.IOException(python + " cannot be run (" + e.getMessage() + ")", e);
      }
      List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines().toList();
      int code = p.waitFor();
      if (code != 0) {
        throw new java.io.IOException(code == 3 ? name + " is not installed for " + python + " (" + install + ")"
            : python + " " + script + " failed (exit " + code + "): "
            + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
      }
      List<Double> epochsSeen = new java.util.ArrayList<>();
      String rss = "?";
      double valError = Double.NaN;
      for (String line : lines) {
        if (!line.startsWith("{")) {
          continue;
        }
        var node = io.hps.json.Json.MAPPER.readTree(line);
        if (node.has("epoch")) {
          epochsSeen.add(node.get("trainSeconds").asDouble() + node.get("valSeconds").asDouble());
          valError = node.get("valError").asDouble();
        } else if (node.has("maxRssKiB")) {
          rss = node.get("maxRssKiB").asLong() / 1024 + " MB";
        }
      }
      if (epochsSeen.size() < 2) {
        throw new java.io.IOException(script + " reported " + epochsSeen.size() + " epochs");
      }
      return new Timing(median(epochsSeen.stream().skip(1).mapToDouble(Double::doubleValue).toArray()),
          epochsSeen.get(0), valError, rss);
    }
  }

  /** {@code base} with --threads threads (ND4J takes the count of the first trial of the JVM). */
  private Trial threaded(Trial base) {
    int n = threads;
    return new io.hps.trainer.ForwardingTrial(base) {
      @Override
      public int threads() {
        return n;
      }
    };
  }

  private static double seconds(Epoch e) {
    return e.trainSeconds() != null && e.valSeconds() != null ? e.trainSeconds() + e.valSeconds() : e.elapsedSeconds();
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private Params cnnParams(int nf, int bs) {
    return new Params(new LinkedHashMap<>(Map.of("model", "cnn", "nf", nf, "bs", bs, "lr", 0.05, "m", 0.9,
        "epochs", epochs, "seed", 1)));
  }

  /** Forward multiply-adds per example x 2 FLOPs, x 3 for training (forward + backward) on 5000, + validation on 10000. */
  static double gflopPerEpoch(int nf) {
    double macs = 24 * 24 * 25.0 * nf + 8 * 8 * 25.0 * nf * nf + 16.0 * nf * 256 + 256 * 10;
    return 2 * macs * (3 * 5000 + 10000) / 1e9;
  }

  private static String peakRss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 + " MB").findFirst().orElse("unknown");
    } catch (java.io.IOException | NumberFormatException e) {
      return "unknown (no /proc)";
    }
  }
}
