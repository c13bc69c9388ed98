package io.hps.command;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.space.CommandTemplate;
import io.hps.space.Params;
import io.hps.trainer.Checkpoint;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import io.hps.trainer.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code "model": "command"}: runs the study's {@code command} (any program) for a setting. The program
 * gets the parameters as {@code {name}} placeholders in its arguments, as JSON in {@code HPS_PARAMS} and in
 * the file {@code HPS_PARAMS_FILE}; it appends one JSON line per finished epoch to {@code HPS_EPOCHS_FILE}
 * (or prints it on standard output after {@code HPS_EPOCH }), and should end soon after
 * {@code HPS_STOP_FILE} appears. In a study with checkpoints it saves its state into
 * {@code HPS_CHECKPOINT_DIR} (when set) after its last epoch, and when {@code HPS_RESUME_DIR} is set it may
 * load the state saved there after {@code HPS_RESUME_EPOCHS} epochs and go on from the next epoch. Exit 0 after every epoch: {@code complete}; after fewer: {@code stopped};
 * a non-finite loss: {@code diverged}; a non-zero exit, a bad epoch line or {@code timeoutSeconds} passed:
 * {@code failed}. The program and everything it started are ended when the trial stops, fails, is taken
 * back or the worker shuts down.
 */
public final class CommandTrainer implements Trainer {
  /** The model name. */
  public static final String MODEL = "command";
  private static final long POLL_MILLIS = 20;
  private static final long KILL_GRACE_MILLIS = 5000;

  private final List<String> command;

  /** Runs {@code command} (the study space's {@code command}; empty when it has none). */
  public CommandTrainer(List<String> command) {
    this.command = List.copyOf(command);
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public Outcome train(Trial trial, EpochSink sink) throws Exception {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the study's space has no \"command\" for the command trainer: add one"
          + " beside \"parameters\", such as \"command\": [\"python3\", \"train.py\", \"--lr\", \"{lr}\"]");
    }
    // The program sees its budget as 'epochs': {epochs}, $HPS_PARAMS and $HPS_EPOCHS agree.
    Integer budget = trial.budget().isPresent() ? trial.epochs() : null;
    Params params = budget == null ? trial.params() : trial.params().with("epochs", (long) budget);
    List<String> words = new CommandTemplate(command).expand(params);
    checkProgram(words.get(0));
    double timeout = params.getDouble("timeoutSeconds", 0);
    double grace = params.getDouble("stopGraceSeconds", 10);
    Path work = trial.workDirectory();
    Path epochsFile = work.resolve("epochs.jsonl");
    Path stopFile = work.resolve("stop");
    Path paramsFile = work.resolve("params.json");
    Files.deleteIfExists(stopFile);
    Files.writeString(epochsFile, "");
    String paramsJson = Json.MAPPER.writeValueAsString(params);
    Files.writeString(paramsFile, paramsJson);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HPS_PARAMS", paramsJson);
    env.put("HPS_PARAMS_FILE", paramsFile.toString());
    env.put("HPS_SETTING_ID", trial.id());
    env.put("HPS_ATTEMPT", String.valueOf(trial.attempt()));
    env.put("HPS_EPOCHS_FILE", epochsFile.toString());
    env.put("HPS_STOP_FILE", stopFile.toString());
    env.put("HPS_WORK_DIR", work.toString());
    env.put("HPS_DATA_DIR", trial.dataDirectory().toAbsolutePath().toString());
    if (budget != null) {
      env.put("HPS_EPOCHS", String.valueOf(budget));
    }
    env.put("HPS_SEED", String.valueOf(trial.seed()));
    if (trial.threads() > 0) {
      env.put("HPS_THREADS", String.valueOf(trial.threads()));
    }
    trial.device().ifPresent(d -> env.put("HPS_DEVICE", d));
    trial.checkpointDirectory().ifPresent(d -> env.put("HPS_CHECKPOINT_DIR", d.toAbsolutePath().toString()));
    int resumable = trial.resumeFrom().map(Checkpoint::epochs).orElse(0);
    trial.resumeFrom().ifPresent(c -> {
      env.put("HPS_RESUME_DIR", c.directory().toAbsolutePath().toString());
      env.put("HPS_RESUME_EPOCHS", String.valueOf(c.epochs()));
    });
    Path logFile = trial.logFile();
    long start = System.nanoTime();
    try (Program program = Program.start(words, env, logFile)) {
      trial.log("command: pid " + program.pid() + ": " + String.join(" ", words) + " (output in " + logFile + ")");
      return new Run(trial, sink, program, new FileLines(epochsFile), new EpochLines(budget, resumable), start, timeout, grace,
          stopFile).await();
    }
  }

  /** A program named without a directory must be on the PATH; one with a directory must exist. */
  static void checkProgram(String program) {
    if (program.contains("/")) {
      if (!Files.isRegularFile(Path.of(program))) {
        throw new IllegalArgumentException("the command's program " + program + " does not exist (relative paths"
            + " start from the worker's working directory, " + Path.of("").toAbsolutePath() + ")");
      }
      return;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return;
      }
    }
    throw new IllegalArgumentException("the command's program '" + program + "' was not found on the PATH (" + path
        + ")");
  }

  /** One run of the program: reads its epochs as they come and decides how it ends. */
  private static final class Run {
    private final Trial trial;
    private final EpochSink sink;
    private final Program program;
    private final FileLines lines;
    private final EpochLines parser;
    private final long start;
    private final double timeout;
    private final double grace;
    private final Path stopFile;
    private final List<Epoch> epochs = new ArrayList<>();
    private final Map<String, Object> info = new LinkedHashMap<>();
    private String stopReason;
    private long stopAsked;

    Run(Trial trial, EpochSink sink, Program program, FileLines lines, EpochLines parser, long start, double timeout,
        double grace, Path stopFile) {
      this.trial = trial;
      this.sink = sink;
      this.program = program;
      this.lines = lines;
      this.parser = parser;
      this.start = start;
      this.timeout = timeout;
      this.grace = grace;
      this.stopFile = stopFile;
    }

    Outcome await() throws Exception {
      try {
        while (true) {
          boolean ended = program.waitFor(POLL_MILLIS);
          if (ended) {
            program.drain();
          }
          Outcome early = readEpochs(ended);
          if (early != null) {
            return early;
          }
          if (ended) {
            return exited();
          }
          if (trial.cancelled()) {
            program.terminate(KILL_GRACE_MILLIS);
            return Outcome.stopped("the trial was cancelled (worker shutting down or lease lost)", epochs, info);
          }
          if (timeout > 0 && seconds() > timeout) {
            program.terminate(KILL_GRACE_MILLIS);
            throw new IllegalStateException(String.format(Locale.ROOT, "the program ran past timeoutSeconds = %s after"
                + " %d epochs and was ended", number(timeout), epochs.size()));
          }
          if (stopReason != null && (System.nanoTime() - stopAsked) / 1e9 > grace) {
            trial.log("command: the program did not end within " + number(grace) + " s of the stop request;"
                + " sending SIGTERM");
            program.terminate(KILL_GRACE_MILLIS);
          }
        }
      } catch (InterruptedException e) {
        program.terminate(KILL_GRACE_MILLIS);
        throw e;
      } catch (RuntimeException | Error e) {
        if (program.alive()) {
          program.terminate(KILL_GRACE_MILLIS);
        }
        throw e;
      }
    }

    /** Takes the new epoch lines; an outcome when one of them ends the trial (diverged, cancelled). */
    private Outcome readEpochs(boolean ended) throws IOException, InterruptedException {
      List<String[]> fresh = new ArrayList<>();
      for (FileLines.Line line : lines.next(ended)) {
        fresh.add(new String[] {line.text(), "line " + line.number() + " of " + lines.file()});
      }
      for (String line : program.takeStdoutEpochs()) {
        fresh.add(new String[] {line, "epoch line '" + EpochLines.STDOUT_PREFIX.strip() + "' on standard output"});
      }
      for (String[] line : fresh) {
        if (line[0].isBlank()) {
          continue;
        }
        Epoch epoch = parser.parse(line[0], line[1], seconds());
        if (stopReason != null) {
          // Reported while the program was winding down: the stop was decided on the epochs before.
          trial.log("command: epoch " + epoch.epoch() + " came after the stop request; it is not recorded");
          continue;
        }
        epochs.add(epoch);
        if (!epoch.finite()) {
          program.terminate(KILL_GRACE_MILLIS);
          return Outcome.diverged("a metric became " + (Double.isNaN(epoch.trainLoss()) || Double.isNaN(epoch.valLoss())
              || Double.isNaN(epoch.valError()) ? "NaN" : "infinite") + " in epoch " + epoch.epoch(), epochs, info);
        }
        if (!sink.accept(epoch) && stopReason == null) {
          if (trial.cancelled()) {
            program.terminate(KILL_GRACE_MILLIS);
            return Outcome.stopped("the trial was cancelled (worker shutting down or lease lost)", epochs, info);
          }
          stopReason = "stopped after epoch " + epoch.epoch();
          stopAsked = System.nanoTime();
          Files.writeString(stopFile, stopReason + "\n");
          trial.log("command: asked the program to stop (" + stopFile + ")");
        }
      }
      return null;
    }

    /** The program ended by itself (or after a stop request). */
    private Outcome exited() {
      int code = program.exitValue();
      info.put("exitCode", code);
      if (stopReason != null) {
        return Outcome.stopped(stopReason, epochs, info);
      }
      if (code != 0) {
        String how = code > 128 && code < 160 ? "was killed by signal " + (code - 128) + " (exit " + code + ")"
            : "exited with code " + code;
        String tail = program.tail();
        throw new IllegalStateException("the program " + how + " after " + epochs.size() + " epochs"
            + (tail.isEmpty() ? " and printed nothing" : "; its last lines:\n" + tail));
      }
      if (epochs.isEmpty()) {
        throw new IllegalStateException("the program exited with code 0 without reporting an epoch: append one JSON"
            + " line per epoch to $HPS_EPOCHS_FILE ({\"epoch\": 1, \"trainLoss\": ..., \"valLoss\": ..., \"valError\":"
            + " ...}) or print it after '" + EpochLines.STDOUT_PREFIX + "'");
      }
      if (trial.resumeFrom().isPresent() && epochs.get(0).epoch() == 1) {
        info.put("resumeFailed", "the program trained from epoch 1: it did not resume from $HPS_RESUME_DIR");
      }
      Integer budget = trial.budget().isPresent() ? trial.epochs() : null;
      int reached = epochs.get(epochs.size() - 1).epoch();
      if (budget != null && reached < budget) {
        return Outcome.stopped("the program exited after epoch " + reached + " of " + budget, epochs, info);
      }
      return Outcome.complete(epochs, info);
    }

    private double seconds() {
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
