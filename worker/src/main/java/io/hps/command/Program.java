package io.hps.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A user's program running for one trial, in a process group of its own (through {@code setsid} where
 * there is one), so that ending it ends everything it started. Its standard output and error go to a log
 * file; lines of standard output that start with {@link EpochLines#STDOUT_PREFIX} are kept as epoch lines,
 * and the last lines of standard error (or output) are kept for the failure reason. A watchdog shell ends
 * the group when the worker itself dies without doing so (kill -9).
 */
final class Program implements AutoCloseable {
  private static final int TAIL = 15;
  private static final boolean GROUPS = Files.isExecutable(Path.of("/usr/bin/setsid"))
      || Files.isExecutable(Path.of("/bin/setsid"));

  private final Process process;
  private final Process watchdog;
  private final Writer log;
  private final List<Thread> pumps = new ArrayList<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Deque<String> stdoutTail = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<String> stdoutEpochs = new ConcurrentLinkedQueue<>();

  private Program(Process process, Process watchdog, Writer log) {
    this.process = process;
    this.watchdog = watchdog;
    this.log = log;
  }

  /** Starts {@code command} with {@code environment} added, its output appended to {@code logFile}. */
  static Program start(List<String> command, Map<String, String> environment, Path logFile) throws IOException {
    List<String> full = new ArrayList<>();
    if (GROUPS) {
      full.add("setsid");
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.environment().putAll(environment);
    Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      log.close();
      throw new IOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    Process watchdog = GROUPS ? startWatchdog(process.pid()) : null;
    Program program = new Program(process, watchdog, log);
    program.pump(process.getInputStream(), true);
    program.pump(process.getErrorStream(), false);
    return program;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits up to {@code millis} for the program to end; true when it has. */
  boolean waitFor(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  /** Epoch lines printed on standard output since the last call (the prefix removed). */
  List<String> takeStdoutEpochs() {
    List<String> lines = new ArrayList<>();
    for (String line = stdoutEpochs.poll(); line != null; line = stdoutEpochs.poll()) {
      lines.add(line);
    }
    return lines;
  }

  /** Waits for the output readers to reach the end (call after the program ended). */
  void drain() throws InterruptedException {
    for (Thread t : pumps) {
      t.join(5000);
    }
  }

  /** The last lines the program wrote on standard error (on standard output if none), for a failure reason. */
  synchronized String tail() {
    return String.join("\n", stderrTail.isEmpty() ? stdoutTail : stderrTail);
  }

  /**
   * Ends the program and everything it started: SIGTERM to its process group, SIGKILL after
   * {@code graceMillis} if anything is left.
   */
  void terminate(long graceMillis) throws InterruptedException {
    signal("TERM");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
    while (System.nanoTime() < deadline && (process.isAlive() || groupAlive())) {
      Thread.sleep(50);
    }
    if (process.isAlive() || groupAlive()) {
      signal("KILL");
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws IOException {
    if (watchdog != null) {
      watchdog.destroyForcibly();
    }
    try {
      drain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      log.close();
    }
  }

  private void signal(String name) {
    try {
      if (GROUPS) {
        new ProcessBuilder("sh", "-c", "kill -" + name + " -" + process.pid() + " 2>/dev/null").start()
            .waitFor(5, TimeUnit.SECONDS);
      } else {
        process.descendants().forEach(h -> {
          if (name.equals("KILL")) {
            h.destroyForcibly();
          } else {
            h.destroy();
          }
        });
      }
    } catch (IOException e) {
      // no shell: fall back to the direct child below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (name.equals("KILL")) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
  }

  /** Whether any process of the program's group is left (always false without process groups). */
  private boolean groupAlive() throws InterruptedException {
    if (!GROUPS) {
      return false;
    }
    try {
      return new ProcessBuilder("sh", "-c", "kill -0 -" + process.pid() + " 2>/dev/null").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** A shell that ends the program's group once this JVM is gone, then ends itself. */
  private static Process startWatchdog(long group) throws IOException {
    long me = ProcessHandle.current().pid();
    String script = "while kill -0 " + me + " 2>/dev/null && kill -0 -" + group + " 2>/dev/null; do sleep 1; done; "
        + "kill -0 " + me + " 2>/dev/null || { kill -TERM -" + group + " 2>/dev/null; sleep 5; kill -KILL -"
        + group + " 2>/dev/null; }";
    return new ProcessBuilder("sh", "-c", script).redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private void pump(InputStream stream, boolean stdout) {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (this) {
            log.write(line);
            log.write('\n');
            log.flush();
            if (stdout && line.startsWith(EpochLines.STDOUT_PREFIX)) {
              stdoutEpochs.add(line.substring(EpochLines.STDOUT_PREFIX.length()));
            } else {
              Deque<String> tail = stdout ? stdoutTail : stderrTail;
              tail.addLast(line);
              while (tail.size() > TAIL) {
                tail.removeFirst();
              }
            }
          }
        }
      } catch (IOException e) {
        // the stream closed under us: the program ended
      }
    }, "hps-program-" + (stdout ? "stdout" : "stderr"));
    t.setDaemon(true);
    t.start();
    pumps.add(t);
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
