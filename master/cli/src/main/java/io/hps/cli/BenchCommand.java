package io.hps.cli;

import io.hps.json.Json;
import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.Result;
import io.hps.protocol.StudyConfig;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps bench}: measures the protocol itself with the synthetic trainer and real worker processes. */
@Command(name = "bench", header = "Benchmark the study-directory protocol on this disk.",
    mixinStandardHelpOptions = true,
    description = {"Benchmark the study-directory protocol on this disk with the synthetic trainer and real",
        "worker processes: throughput, claim latency, time per synchronous batch, parallel efficiency."})
final class BenchCommand implements Callable<Integer> {
  /** The space of zero-cost synthetic settings that the benchmarks search (one epoch each). */
  static final String SPACE = "{\"schema\":1,\"name\":\"bench\",\"parameters\":{\"model\":\"synthetic\","
      + "\"nf\":{\"type\":\"int\",\"low\":10,\"high\":100},\"lr\":{\"type\":\"loguniform\",\"low\":0.01,\"high\":0.316},"
      + "\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1},\"bs\":{\"type\":\"int\",\"low\":16,\"high\":256,\"log\":true},"
      + "\"epochs\":1}}";

  @Option(names = "--workers", defaultValue = "2", description = "Worker processes (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--settings", defaultValue = "10000", description = "Settings in the throughput run (default: ${DEFAULT-VALUE}).")
  int settings;

  @Option(names = "--batches", defaultValue = "100", description = "Synchronous batches in the latency run (default: ${DEFAULT-VALUE}).")
  int batches;

  @Option(names = "--delay-settings", defaultValue = "20",
      description = "Settings of 2 x 0.5 s epochs in the efficiency run (default: ${DEFAULT-VALUE}).")
  int delaySettings;

  @Option(names = "--master-poll-ms", defaultValue = "10", description = "Master scan interval (default: ${DEFAULT-VALUE}).")
  long masterPoll;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the bench studies (default: a temporary directory).")
  Path dir;

  @Option(names = "--other-mount", paramLabel = "DIR2", description = {"The same directory as --dir through another",
      "mount (another machine's view); every second worker reaches the studies through it."})
  Path otherMount;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (otherMount != null && dir == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--other-mount needs --dir: the directory"
          + " it shows through another mount");
    }
    Path base = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("hps-bench");
    out.printf("bench in %s (%s), %d worker processes, %d cores%s%n", base, io.hps.doctor.FilesystemDoctor.describe(base),
        workers, Runtime.getRuntime().availableProcessors(), otherMount == null ? ""
        : ", every second worker through " + otherMount);

    // the disk's own limit, before and after the run (a virtual disk's speed drifts): their mean is the yardstick
    double limitBefore = DiskLimit.settingsPerSecond(base.resolve("disk-limit"), Math.min(settings, 2000));
    List<Result> a = run(base.resolve("throughput"), "async", 256, settings, List.of(), out);
    Span span = Span.of(a);
    List<Instant> finished = a.stream().map(Result::finished).sorted().toList();
    int half = finished.size() / 2;
    double secondHalf = Duration.between(finished.get(half), finished.get(finished.size() - 1)).toNanos() / 1e9;
    out.printf("throughput      %d settings in %.2f s (first claim to last result): %.0f settings/s; second half"
        + " (JVMs warmed up): %.0f settings/s%n", a.size(), span.seconds(), a.size() / span.seconds(),
        (finished.size() - 1 - half) / secondHalf);
    double limitAfter = DiskLimit.settingsPerSecond(base.resolve("disk-limit"), Math.min(settings, 2000));
    double limit = (limitBefore + limitAfter) / 2;
    out.printf("disk limit      %.0f settings/s (%.0f before the run, %.0f after): one process doing, in a loop, only"
        + " the file operations a setting needs (%s); throughput / limit: %.2f whole run, %.2f second half%n", limit,
        limitBefore, limitAfter, DiskLimit.WHAT, a.size() / span.seconds() / limit,
        (finished.size() - 1 - half) / secondHalf / limit);

    List<Result> b = run(base.resolve("latency"), "sync", workers, batches * workers, List.of(), out);
    double[] latency = b.stream().mapToDouble(r -> r.claimLatency().orElseThrow().toNanos() / 1e6).sorted().toArray();
    out.printf("claim latency   median %.1f ms, p95 %.1f ms (written -> claimed, idle workers, %d settings)%n",
        latency[latency.length / 2], latency[(int) Math.min(latency.length - 1, Math.ceil(latency.length * 0.95) - 1)],
        latency.length);
    out.printf("sync batch      %.1f ms per batch of %d zero-cost settings (%d batches)%n",
        Span.of(b).seconds() * 1000 / batches, workers, batches);

    List<Result> c = run(base.resolve("efficiency"), "sync", workers, delaySettings,
        List.of("epochs=2", "epochSeconds=0.5"), out);
    double ideal = c.stream().mapToDouble(r -> Duration.between(r.claimed(), r.finished()).toNanos() / 1e9).sum()
        / workers;
    double wall = Span.of(c).seconds();
    out.printf("efficiency      %.3f (ideal %.2f s = busy time / %d workers, wall %.2f s first claim to last result)%n",
        ideal / wall, ideal, workers, wall);
    out.flush();
    return 0;
  }

  private List<Result> run(Path study, String mode, int batch, int trials, List<String> sets, PrintWriter out)
      throws Exception {
    var space = io.hps.space.SearchSpace.parse(Json.MAPPER.readTree(SPACE), "bench space");
    for (String s : sets) {
      space = space.withSet(s);
    }
    StudyConfig config = StudyConfig.builder(space.toJson(), io.hps.protocol.Strategy.RANDOM)
        .name(study.getFileName().toString()).seed(1).trials(trials).batch(batch, io.hps.protocol.Mode.parse(mode))
        .lease(60, 2).build();
    StudyDirectory dir = new StudyDirectory(study).create();
    io.hps.study.DurableFiles.writeJson(dir.config(), config, true);
    StringWriter masterLog = new StringWriter();
    Master master = MasterCommand.master(study, config, new MasterOptions(masterPoll, false), new PrintWriter(masterLog));
    List<List<String>> workerArgs = java.util.Collections.nCopies(workers, List.of("--poll-ms", "5"));
    List<Path> paths = new java.util.ArrayList<>();
    for (int i = 0; i < workers; i++) {
      paths.add(otherMount != null && i % 2 == 1 ? otherMount.resolve(this.dir.relativize(study)) : study);
    }
    if (otherMount != null) {
      awaitVisible(paths.get(Math.min(1, workers - 1)).resolve("study.json"));
    }
    try (WorkerProcesses processes = new WorkerProcesses(dir, paths, workerArgs, out, master::workerEnded)) {
      return master.run();
    }
  }

  /** Waits until a study's file shows through the other mount (a worker that finds no study.json exits). */
  private static void awaitVisible(Path file) throws Exception {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(file)) {
      if (System.nanoTime() > end) {
        throw new java.io.IOException(file + " did not show through --other-mount in 30 s: is it the same directory"
            + " as --dir?");
      }
      Thread.sleep(10);
    }
  }

  /** From the first claim to the last result. */
  private record Span(Instant first, Instant last) {
    static Span of(List<Result> results) {
      return new Span(results.stream().map(Result::claimed).min(Comparator.naturalOrder()).orElseThrow(),
          results.stream().map(Result::finished).max(Comparator.naturalOrder()).orElseThrow());
    }

    double seconds() {
      return Duration.between(first, last).toNanos() / 1e9;
    }
  }
}
