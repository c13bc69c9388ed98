package io.hps.cli;

import io.hps.protocol.Epoch;
import io.hps.space.Params;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import io.hps.trainer.Trial;
import io.hps.worker.TrainerRegistry;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
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

/** {@code hps bench-train}: seconds per epoch of the real trainers on MNIST, and how far from the FLOP limit. */
@Command(name = "bench-train", header = "Benchmark the DL4J trainers on MNIST.",
    mixinStandardHelpOptions = true,
    description = {"Benchmark the DL4J trainers on MNIST (train 5000 + validate 10000 per epoch): the exercise",
        "CNN for NF 8/32/128 at BS 100 and BS 20/100/500 at NF 32, and a dense MLP 784-256x4-10."})
final class BenchTrainCommand implements Callable<Integer> {
  @Option(names = "--epochs", defaultValue = "3", description = "Epochs per configuration (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "MNIST directory (default: see hps data fetch).")
  Path dataDir;

  @Option(names = "--peak-gflops", defaultValue = "144",
      description = "The CPU's FP32 peak, for the last column (default: ${DEFAULT-VALUE}, 2 cores x 2.25 GHz x 32).")
  double peak;

  @picocli.CommandLine.Mixin
  PluginOptions plugins;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    TrainerRegistry trainers = plugins.registry();
    Trainer cnn = trainers.find("cnn");
    Trainer dense = trainers.find("dense");
    Path data = dataDir == null ? Trial.defaultDataDirectory() : dataDir;
    out.printf("%d cores; %d epochs each; seconds per epoch = train 5000 + validate 10000%n",
        Runtime.getRuntime().availableProcessors(), epochs);
    out.printf("| network | first epoch s | later epochs s (mean) | final val error | GFLOP/epoch | GFLOP/s | of peak |%n");
    out.printf("|---|---|---|---|---|---|---|%n");
    boolean first = true;
    for (int[] c : new int[][] {{8, 100}, {32, 100}, {128, 100}, {32, 20}, {32, 500}}) {
      Outcome o = cnn.train(Trial.of(cnnParams(c[0], c[1]), data), e -> true);
      if (first) {
        out.printf("natives: %s%n", o.info().get("backend"));
      }
      if (first) {
        long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        double toFirst = (System.currentTimeMillis() - startMillis) / 1000.0
            - (o.epochs().get(o.epochs().size() - 1).elapsedSeconds() - o.epochs().get(0).elapsedSeconds());
        out.printf("(JVM start to the end of the first epoch: %.1f s, data loading and native start-up included)%n",
            toFirst);
        first = false;
      }
      row(out, "CNN NF=" + c[0] + " BS=" + c[1], o, gflopPerEpoch(c[0]));
    }
    Map<String, Object> mlp = new LinkedHashMap<>(Map.of("model", "dense", "shape", "rectangle", "depth", 5,
        "size", 784 * 256 + 256 + 3 * (256 * 256 + 256) + 2570, "optimizer", "adam", "lr", 0.001, "bs", 256,
        "epochs", epochs, "seed", 1));
    row(out, "dense 784-256x4-10 Adam BS=256", dense.train(Trial.of(new Params(mlp), data), e -> true), Double.NaN);
    out.printf("peak resident memory of this JVM: %s%n", peakRss());
    out.flush();
    return 0;
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

  private void row(PrintWriter out, String name, Outcome o, double gflop) {
    List<Epoch> e = o.epochs();
    double firstEpoch = e.get(0).elapsedSeconds();
    double later = e.size() > 1 ? (e.get(e.size() - 1).elapsedSeconds() - firstEpoch) / (e.size() - 1) : firstEpoch;
    double rate = gflop / later;
    out.printf("| %s | %.2f | %.2f | %.4f | %s | %s | %s |%n", name, firstEpoch, later, e.get(e.size() - 1).valError(),
        Double.isNaN(gflop) ? "-" : String.format("%.1f", gflop), Double.isNaN(gflop) ? "-" : String.format("%.1f", rate),
        Double.isNaN(gflop) ? "-" : String.format("%.0f%%", 100 * rate / peak));
    out.flush();
  }

  private static String peakRss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
          .map(l -> l.replaceAll("\\s+", " ").substring(7)).findFirst().orElse("unknown");
    } catch (java.io.IOException e) {
      return "unknown (no /proc)";
    }
  }
}
