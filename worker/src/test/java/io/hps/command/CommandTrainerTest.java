package io.hps.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command trainer against real shell programs. */
class CommandTrainerTest {
  @TempDir
  Path dir;

  /** A trial whose work directory and log are under the test's directory; cancel() flips cancelled(). */
  final class TestTrial implements Trial {
    final Params params;
    final AtomicBoolean cancelled = new AtomicBoolean();
    final List<String> log = new ArrayList<>();

    TestTrial(Map<String, Object> values) {
      Map<String, Object> all = new LinkedHashMap<>(Map.of("model", "command", "seed", 7));
      all.putAll(values);
      this.params = new Params(all);
    }

    @Override
    public String id() {
      return "s000003";
    }

    @Override
    public int attempt() {
      return 2;
    }

    @Override
    public Params params() {
      return params;
    }

    @Override
    public Path workDirectory() throws IOException {
      return Files.createDirectories(dir.resolve("work"));
    }

    @Override
    public Path logFile() {
      return dir.resolve("program.log");
    }

    @Override
    public Path dataDirectory() {
      return dir.resolve("data");
    }

    @Override
    public int threads() {
      return 3;
    }

    @Override
    public Optional<String> device() {
      return Optional.of("1");
    }

    @Override
    public synchronized void log(String message) {
      log.add(message);
    }

    @Override
    public boolean cancelled() {
      return cancelled.get();
    }
  }

  Path script(String body) throws IOException {
    Path file = dir.resolve("train-" + System.nanoTime() + ".sh");
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    file.toFile().setExecutable(true);
    return file;
  }

  Outcome run(Path script, Map<String, Object> params, java.util.function.Predicate<Epoch> sink) throws Exception {
    return new CommandTrainer(List.of("sh", script.toString(), "{lr}", "--bs={bs}")).train(new TestTrial(params),
        sink::test);
  }

  static final String EPOCH = "echo \"{\\\"epoch\\\": $e, \\\"trainLoss\\\": 1.5, \\\"valLoss\\\": 1.6, \\\"valError\\\": 0.25,"
      + " \\\"accuracy\\\": 0.75}\" >> \"$HPS_EPOCHS_FILE\"";

  @Test
  void runsTheProgramWithTheParametersThreeWaysAndReadsItsEpochs() throws Exception {
    Path s = script("echo \"$1 $2\" > \"$HPS_WORK_DIR/args\"; env | grep ^HPS_ | sort > \"$HPS_WORK_DIR/env\"\n"
        + "cp \"$HPS_PARAMS_FILE\" \"$HPS_WORK_DIR/params-copy.json\"\n"
        + "for e in 1 2 3; do " + EPOCH + "; done");
    TestTrial trial = new TestTrial(Map.of("lr", 0.05, "bs", 100, "epochs", 3));
    Outcome o = new CommandTrainer(List.of("sh", s.toString(), "{lr}", "--bs={bs}")).train(trial, e -> true);
    assertThat(o.status()).isEqualTo(Status.COMPLETE);
    assertThat(o.epochs()).extracting(Epoch::epoch).containsExactly(1, 2, 3);
    assertThat(o.epochs().get(2).valError()).isEqualTo(0.25);
    assertThat(o.epochs().get(2).metrics()).containsEntry("accuracy", 0.75);
    assertThat(o.epochs().get(2).elapsedSeconds()).isPositive();
    assertThat(o.info()).containsEntry("exitCode", 0);
    Path work = dir.resolve("work");
    assertThat(Files.readString(work.resolve("args"))).isEqualTo("0.05 --bs=100\n");
    String env = Files.readString(work.resolve("env"));
    assertThat(env).contains("HPS_SETTING_ID=s000003", "HPS_ATTEMPT=2", "HPS_EPOCHS=3", "HPS_SEED=7",
        "HPS_THREADS=3", "HPS_DEVICE=1", "HPS_WORK_DIR=" + work, "HPS_EPOCHS_FILE=" + work.resolve("epochs.jsonl"),
        "HPS_STOP_FILE=" + work.resolve("stop"), "HPS_DATA_DIR=" + dir.resolve("data"), "HPS_PARAMS={");
    assertThat(Files.readString(work.resolve("params-copy.json"))).contains("\"lr\"").contains("0.05");
    assertThat(trial.log).anyMatch(l -> l.contains("output in"));
  }

  @Test
  void epochLinesOnStandardOutputWorkToo() throws Exception {
    Path s = script("for e in 1 2; do echo \"HPS_EPOCH {\\\"epoch\\\": $e, \\\"train_loss\\\": 1, \\\"val_loss\\\": 1,"
        + " \\\"val_error\\\": 0.5}\"; echo chatter; done");
    Outcome o = run(s, Map.of("lr", 1, "bs", 1, "epochs", 2), e -> true);
    assertThat(o.status()).isEqualTo(Status.COMPLETE);
    assertThat(o.epochs()).hasSize(2);
    assertThat(Files.readString(dir.resolve("program.log"))).contains("chatter");
  }

  @Test
  void aNonZeroExitFailsWithTheCodeAndTheLastLinesOfStandardError() throws Exception {
    Path s = script("e=1; " + EPOCH + "; echo 'Traceback: something broke' >&2; exit 3");
    assertThatThrownBy(() -> run(s, Map.of("lr", 1, "bs", 1, "epochs", 2), e -> true))
        .hasMessageContaining("exited with code 3 after 1 epochs").hasMessageContaining("something broke");
  }

  @Test
  void aBadLineIsAnErrorThatNamesTheLine() throws Exception {
    Path s = script("e=1; " + EPOCH + "; echo '{\"epoch\": 2, \"trainLoss\": 1}' >> \"$HPS_EPOCHS_FILE\"; sleep 30");
    long start = System.nanoTime();
    assertThatThrownBy(() -> run(s, Map.of("lr", 1, "bs", 1, "epochs", 3), e -> true))
        .hasMessageContaining("line 2 of").hasMessageContaining("epochs.jsonl").hasMessageContaining("valLoss");
    assertThat((System.nanoTime() - start) / 1e9).as("the program was ended, not awaited").isLessThan(20);
    Path t = script("echo 'not json' >> \"$HPS_EPOCHS_FILE\"");
    assertThatThrownBy(() -> run(t, Map.of("lr", 1, "bs", 1, "epochs", 3), e -> true))
        .hasMessageContaining("line 1 of").hasMessageContaining("is not a JSON object");
  }

  @Test
  void epochsOutOfOrderOrPastTheBudgetAreErrors() throws Exception {
    Path s = script("e=1; " + EPOCH + "; e=3; " + EPOCH);
    assertThatThrownBy(() -> run(s, Map.of("lr", 1, "bs", 1, "epochs", 5), e -> true))
        .hasMessageContaining("is epoch 3 but epoch 2 was expected next");
    Path t = script("for e in 1 2 3; do " + EPOCH + "; done");
    assertThatThrownBy(() -> run(t, Map.of("lr", 1, "bs", 1, "epochs", 2), e -> true))
        .hasMessageContaining("past the setting's budget of 2 epochs");
  }

  @Test
  void aNonFiniteLossIsDivergedAndEndsTheProgram() throws Exception {
    Path s = script("echo '{\"epoch\": 1, \"trainLoss\": NaN, \"valLoss\": NaN, \"valError\": 0.9}' >> \"$HPS_EPOCHS_FILE\";"
        + " sleep 30");
    long start = System.nanoTime();
    Outcome o = run(s, Map.of("lr", 1, "bs", 1, "epochs", 3), e -> true);
    assertThat(o.status()).isEqualTo(Status.DIVERGED);
    assertThat(o.reason()).contains("NaN").contains("epoch 1");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(20);
  }

  @Test
  void aStopRequestWritesTheStopFileAndAProgramThatHonoursItEnds() throws Exception {
    Path s = script("for e in 1 2 3 4 5; do " + EPOCH + "; sleep 0.3; if [ -e \"$HPS_STOP_FILE\" ]; then exit 0; fi;"
        + " done");
    Outcome o = run(s, Map.of("lr", 1, "bs", 1, "epochs", 5), e -> e.epoch() < 2);
    assertThat(o.status()).isEqualTo(Status.STOPPED);
    assertThat(o.epochs()).hasSizeLessThan(5);
    assertThat(Files.readString(dir.resolve("work").resolve("stop"))).contains("stopped after epoch 2");
  }

  @Test
  void aProgramThatIgnoresTheStopFileGetsSigtermAfterTheGracePeriod() throws Exception {
    Path s = script("e=1; " + EPOCH + "; sleep 60");
    long start = System.nanoTime();
    Outcome o = run(s, Map.of("lr", 1, "bs", 1, "epochs", 5, "stopGraceSeconds", 0.5), e -> false);
    assertThat(o.status()).isEqualTo(Status.STOPPED);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(15);
  }

  @Test
  void cancellingEndsTheWholeProcessTree() throws Exception {
    Path pidFile = dir.resolve("grandchild.pid");
    Path s = script("sleep 1000 & echo $! > " + pidFile + "; e=1; " + EPOCH + "; wait");
    TestTrial trial = new TestTrial(Map.of("lr", 1, "bs", 1, "epochs", 3));
    Thread canceller = new Thread(() -> {
      try {
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
          Thread.sleep(20);
        }
        trial.cancelled.set(true);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    canceller.start();
    Outcome o = new CommandTrainer(List.of("sh", s.toString())).train(trial, e -> true);
    canceller.join();
    assertThat(o.status()).isEqualTo(Status.STOPPED);
    long grandchild = Long.parseLong(Files.readString(pidFile).strip());
    for (int i = 0; i < 100 && ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false); i++) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false))
        .as("the program's own child, sleep 1000, was ended too").isFalse();
  }

  @Test
  void aTimeoutEndsTheProgramAndFails() throws Exception {
    Path s = script("sleep 60");
    assertThatThrownBy(() -> run(s, Map.of("lr", 1, "bs", 1, "epochs", 2, "timeoutSeconds", 0.5), e -> true))
        .hasMessageContaining("timeoutSeconds = 0.5");
  }

  @Test
  void exitingCleanlyWithoutEpochsIsAnErrorAndWithFewerThanTheBudgetIsStopped() throws Exception {
    assertThatThrownBy(() -> run(script("exit 0"), Map.of("lr", 1, "bs", 1, "epochs", 2), e -> true))
        .hasMessageContaining("without reporting an epoch").hasMessageContaining("HPS_EPOCHS_FILE");
    Outcome o = run(script("e=1; " + EPOCH), Map.of("lr", 1, "bs", 1, "epochs", 2), e -> true);
    assertThat(o.status()).isEqualTo(Status.STOPPED);
    assertThat(o.reason()).contains("after epoch 1 of 2");
  }

  @Test
  void badCommandsAreClearErrors() {
    TestTrial trial = new TestTrial(Map.of("lr", 1, "epochs", 2));
    assertThatThrownBy(() -> new CommandTrainer(List.of("no-such-program-hps", "x")).train(trial, e -> true))
        .hasMessageContaining("'no-such-program-hps' was not found on the PATH");
    assertThatThrownBy(() -> new CommandTrainer(List.of("./missing/train.py")).train(trial, e -> true))
        .hasMessageContaining("./missing/train.py does not exist");
    assertThatThrownBy(() -> new CommandTrainer(List.of("sh", "{momentum}")).train(trial, e -> true))
        .hasMessageContaining("placeholder {momentum} names no parameter").hasMessageContaining("lr");
    assertThatThrownBy(() -> new CommandTrainer(List.of()).train(trial, e -> true))
        .hasMessageContaining("has no \"command\"");
  }
}
