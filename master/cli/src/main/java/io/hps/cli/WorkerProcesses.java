package io.hps.cli;

import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker JVMs started by {@code hps run}: each is a plain {@code hps worker} process with its output in
 * {@code logs/run-worker-N.log}. One that dies with an error is started again (a few times at most), and
 * the master is told at once, so that the settings it held go back without waiting for their leases;
 * closing asks them to stop (SIGTERM: they hand their settings back) and waits.
 */
final class WorkerProcesses implements AutoCloseable {
  private final StudyDirectory study;
  /** The path each worker reaches the study by. */
  private final List<Path> paths;
  private final List<List<String>> workerArgs;
  private final PrintWriter out;
  private final java.util.function.BiConsumer<String, String> ended;
  private final List<Process> processes = new ArrayList<>();
  private final java.util.Set<Process> reported = new java.util.HashSet<>();
  private int restartsLeft;

  /**
   * Starts one worker per entry of {@code workerArgs}, each with those arguments.
   *
   * @param ended told the id of a worker whose process ended with an error and how ({@code "exit 137"})
   */
  WorkerProcesses(StudyDirectory study, List<List<String>> workerArgs, PrintWriter out,
      java.util.function.BiConsumer<String, String> ended) throws IOException {
    this(study, java.util.Collections.nCopies(workerArgs.size(), study.root()), workerArgs, out, ended);
  }

  /** The same, worker N reaching the study through {@code paths[N-1]} (another mount of it, say). */
  WorkerProcesses(StudyDirectory study, List<Path> paths, List<List<String>> workerArgs, PrintWriter out,
      java.util.function.BiConsumer<String, String> ended) throws IOException {
    this.study = study;
    this.paths = List.copyOf(paths);
    this.workerArgs = List.copyOf(workerArgs);
    this.out = out;
    this.ended = ended;
    this.restartsLeft = 2 * workerArgs.size();
    for (int i = 0; i < workerArgs.size(); i++) {
      processes.add(start(i + 1));
    }
  }

  /**
   * The command that starts an hps JVM like this one, up to the subcommand: java, this JVM's -X options
   * (heap, compiler), ND4J's off-heap cap, the built-in plug-ins, the classpath and the main class.
   */
  static List<String> javaCommand() {
    String javaBin = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(javaBin));
    for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-X") || arg.startsWith("-Dorg.bytedeco.")) {
        command.add(arg);
      }
    }
    String plugins = System.getProperty(PluginOptions.BUILT_IN);
    if (plugins != null) {
      command.add("-D" + PluginOptions.BUILT_IN + "=" + plugins);
    }
    command.addAll(List.of("-cp", absoluteClasspath(), Hps.class.getName()));
    return command;
  }

  /** The classpath with every entry absolute, so the command works from any directory. */
  static String absoluteClasspath() {
    StringBuilder cp = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      cp.append(cp.length() == 0 ? "" : java.io.File.pathSeparator).append(Path.of(entry).toAbsolutePath());
    }
    return cp.toString();
  }

  /**
   * Worker N's id, {@code wN-<host>-<pid of this run>}: its number matches its log {@code run-worker-N.log}
   * and the timeline's lane, and two runs on one study never share an id.
   */
  static String workerId(int number) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "host";
    }
    String id = "w" + number + "-" + host.replaceAll("[^A-Za-z0-9_.-]", "_").replace("..", "_") + "-"
        + ProcessHandle.current().pid();
    return id.length() <= 64 ? id : "w" + number + "-" + ProcessHandle.current().pid();
  }

  private Process start(int number) throws IOException {
    List<String> command = new ArrayList<>(javaCommand());
    command.addAll(List.of("worker", "--study", paths.get(number - 1).toString(), "--id", workerId(number)));
    command.addAll(workerArgs.get(number - 1));
    Path log = study.logs().resolve("run-worker-" + number + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    out.printf("run: started worker %d (%s, pid %d), log %s%n", number, workerId(number), p.pid(),
        study.root().relativize(log));
    out.flush();
    return p;
  }

  /** Set once the run ends: no worker is started again after that. */
  private boolean closing;

  /**
   * Starts again any worker that died with an error (telling the master first), until this run's restarts
   * are used up; false when every worker has ended.
   */
  synchronized boolean keepAlive() throws IOException {
    if (closing) {
      return false; // the run is ending: a worker stopped now must not be started again
    }
    boolean anyAlive = false;
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      if (p.isAlive()) {
        anyAlive = true;
        continue;
      }
      if (p.exitValue() == 0 || !reported.add(p)) {
        continue; // ended by itself (idle, study finished), or said already
      }
      ended.accept(workerId(i + 1), "exit " + p.exitValue());
      String log = study.root().relativize(study.logs().resolve("run-worker-" + (i + 1) + ".log")).toString();
      if (restartsLeft > 0) {
        restartsLeft--;
        out.printf("run: worker %d exited with %d; starting it again (log: %s)%n", i + 1, p.exitValue(), log);
        processes.set(i, start(i + 1));
        anyAlive = true;
      } else {
        out.printf("run: worker %d exited with %d; not starting it again: this run's %d restarts are used up (log:"
            + " %s)%n", i + 1, p.exitValue(), 2 * workerArgs.size(), log);
      }
      out.flush();
    }
    return anyAlive;
  }

  /** Waits for the workers to end by themselves, then asks the rest to stop. */
  @Override
  public synchronized void close() throws InterruptedException {
    closing = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Process p : processes) {
      p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(40, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** Asks every worker to stop now (used on Ctrl-C). */
  synchronized void stopAll() {
    closing = true;
    processes.forEach(Process::destroy);
  }
}
