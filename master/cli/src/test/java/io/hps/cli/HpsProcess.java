package io.hps.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An {@code hps} subcommand running as a real JVM process, its output in a log file. */
final class HpsProcess {
  /** Every process started, so that a failed test leaves none running ({@link #killAll}). */
  private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();
  final Process process;
  final Path log;

  HpsProcess(Path log, String... args) throws IOException {
    this(log, null, args);
  }

  /** The same, started in {@code directory} (null: this JVM's). */
  HpsProcess(Path log, java.io.File directory, String... args) throws IOException {
    this(log, directory, List.of(), args);
  }

  /**
   * The same, its command line after {@code prefix} (a program that starts it: {@code faketime -f -600s}, say;
   * empty: none).
   */
  HpsProcess(Path log, java.io.File directory, List<String> prefix, String... args) throws IOException {
    this.log = log;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(java, "-D" + PluginOptions.BUILT_IN + "="
        + System.getProperty(PluginOptions.BUILT_IN, ""), "-cp", System.getProperty("java.class.path"),
        Hps.class.getName()));
    command.addAll(List.of(args));
    process = new ProcessBuilder(command).directory(directory).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    STARTED.add(process);
  }

  /** Kills whatever is still running, with the processes they started. */
  static void killAll() {
    STARTED.forEach(HpsProcess::killTree);
    STARTED.clear();
  }

  /**
   * kill -9 of the process and every process under it: a prefix such as {@code faketime} forks the JVM and waits
   * for it, so killing only the process started would leave the JVM running.
   */
  void kill() throws InterruptedException {
    killTree(process);
    process.waitFor();
  }

  private static void killTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  int waitFor(long seconds) throws Exception {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("hps did not end in " + seconds + " s; output:\n" + output());
    }
    return process.exitValue();
  }

  void signal(String name) throws Exception {
    int rc = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new AssertionError("kill -" + name + " failed");
    }
  }

  /** Waits until {@code condition} holds, polling; fails with the output after {@code seconds}. */
  static void await(String what, double seconds, Check condition) throws Exception {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  interface Check {
    boolean holds() throws Exception;
  }
}
