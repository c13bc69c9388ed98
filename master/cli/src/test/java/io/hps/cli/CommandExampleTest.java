package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.protocol.StopRequest;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/command (a Python training script) as a study: workers run it as the command trainer, one is
 * killed with kill -9 mid-setting, and a stop request ends the program.
 */
@Tag("process")
class CommandExampleTest {
  static final Path ROOT = Path.of(System.getProperty("hps.root", "../.."));

  @TempDir
  Path root;

  @BeforeEach
  void python() throws Exception {
    boolean present;
    try {
      present = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (java.io.IOException e) {
      present = false;
    }
    Assumptions.assumeTrue(present, "SKIPPED: python3 is not installed (the example's program is a Python script;"
        + " .ci/run installs it)");
  }

  @AfterEach
  void killLeftovers() {
    HpsProcess.killAll();
  }

  /** A study of the example's space (its paths are relative to the checkout, where the workers start). */
  StudyDirectory study(int trials, String stop, String... sets) throws Exception {
    SearchSpace space = SearchSpace.read(ROOT.resolve("examples/command/space.json"));
    for (String s : sets) {
      space = space.withSet(s);
    }
    StudyDirectory study = new StudyDirectory(root.resolve("study")).create();
    DurableFiles.writeJson(study.config(), StudyConfig.builder(space.toJson(),
        io.hps.protocol.Strategy.RANDOM).name("t").trials(trials).batch(trials, io.hps.protocol.Mode.SYNC).lease(1.5, 2)
        .stop(stop == null ? null : io.hps.protocol.Stopping.parse(stop), null).build(), true);
    return study;
  }

  HpsProcess worker(StudyDirectory study, String id) throws Exception {
    return new HpsProcess(root.resolve(id + ".log"), ROOT.toFile(), "worker", "--study", study.root().toString(),
        "--id", id, "--poll-ms", "5");
  }

  /** The pid of the program a worker started for a setting, from the worker's log. */
  static long programPid(HpsProcess worker) throws Exception {
    Matcher m = Pattern.compile("command: pid (\\d+):").matcher(worker.output());
    assertThat(m.find()).as(worker.output()).isTrue();
    return Long.parseLong(m.group(1));
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void metricsTheProgramReportsAreObjectivesAndConstraints() throws Exception {
    SearchSpace space = SearchSpace.read(ROOT.resolve("examples/command/space.json")).withSet("epochs=3");
    StudyDirectory study = new StudyDirectory(root.resolve("mo")).create();
    DurableFiles.writeJson(study.config(), StudyConfig.builder(space.toJson(), io.hps.protocol.Strategy.TPE)
        .name("mo").trials(20).batch(2, io.hps.protocol.Mode.SYNC)
        .objectives(List.of(io.hps.protocol.Objective.parse("accuracy:max"), io.hps.protocol.Objective.parse("weights")),
            List.of(io.hps.protocol.Constraint.parse("weights<=150"))).build(), true);
    var master = ProcessesTest.runMaster(study, new StringWriter());
    HpsProcess w = worker(study, "w");
    List<Result> results = master.get(180, TimeUnit.SECONDS);
    assertThat(w.waitFor(30)).isZero();
    assertThat(results).hasSize(20).allMatch(r -> r.status() == Status.COMPLETE);
    var status = io.hps.status.StudyStatus.of(study);
    var tradeoffs = status.tradeoffs();
    assertThat(tradeoffs.unreported()).isEmpty();
    long wide = results.stream().filter(r -> ((Number) r.params().values().get("hidden")).intValue() > 24).count();
    assertThat(tradeoffs.infeasible()).isEqualTo((int) wide); // 6 * hidden + 3 weights > 150
    assertThat(tradeoffs.front()).isNotEmpty().allSatisfy(p -> {
      assertThat(p.values().get(0)).isBetween(0.0, 1.0); // accuracy, as the program reported it
      assertThat(p.values().get(1)).isLessThanOrEqualTo(150.0);
    });
    assertThat(status.importance()).containsKeys("accuracy:max", "weights");
    assertThat(status.importance().get("weights").keySet().iterator().next()).isEqualTo("hidden");
  }

  @Test
  void aWorkerKilledMidSettingLosesNothingAndTakesItsProgramWithIt() throws Exception {
    StudyDirectory study = study(3, null, "epochs=6", "epochSeconds=0.25");
    var master = ProcessesTest.runMaster(study, new StringWriter());
    HpsProcess victim = worker(study, "victim");
    HpsProcess.await("the victim's program to report an epoch", 60, () -> {
      for (String id : StudyDirectory.list(study.work())) {
        Path epochs = study.work(id, 1).resolve("epochs.jsonl");
        if (Files.exists(epochs) && Files.size(epochs) > 0) {
          return true;
        }
      }
      return false;
    });
    long program = programPid(victim);
    assertThat(alive(program)).isTrue();
    String killed = StudyDirectory.list(study.claimed().resolve("victim")).get(0).replace(".json", "");
    victim.process.destroyForcibly().waitFor(); // SIGKILL: no hand-back, no clean-up by the worker
    HpsProcess.await("the orphaned program to be ended by the watchdog", 20, () -> !alive(program));
    HpsProcess rescuer = worker(study, "rescuer");
    List<Result> results = master.get(120, TimeUnit.SECONDS);
    assertThat(rescuer.waitFor(30)).isZero();
    assertThat(results).hasSize(3).allMatch(r -> r.status() == Status.COMPLETE && r.epochs().size() == 6);
    assertThat(results.stream().map(Result::id).distinct()).hasSize(3);
    assertThat(StudyDirectory.list(study.results())).hasSize(3);
    Result redone = results.stream().filter(r -> r.id().equals(killed)).findFirst().orElseThrow();
    assertThat(redone.attempt()).isEqualTo(2);
    assertThat(redone.worker()).isEqualTo("rescuer");
    assertThat(results).allMatch(r -> r.objective().orElseThrow() < 0.6); // chance is 2/3
  }

  @Test
  void aStopRequestEndsTheProgramAndTheSettingIsStopped() throws Exception {
    StudyDirectory study = study(1, "median", "epochs=40", "epochSeconds=0.2");
    var master = ProcessesTest.runMaster(study, new StringWriter());
    HpsProcess worker = worker(study, "w");
    Path progress = study.progress().resolve("s000000.json");
    HpsProcess.await("the first epoch's progress", 60, () -> Files.exists(progress));
    long program = programPid(worker);
    DurableFiles.replace(study.stop().resolve("s000000.json"),
        new StopRequest(1, "s000000", "asked by the test", 1, Instant.now()), false);
    List<Result> results = master.get(60, TimeUnit.SECONDS);
    assertThat(worker.waitFor(30)).isZero();
    Result r = results.get(0);
    assertThat(r.status()).isEqualTo(Status.STOPPED);
    assertThat(r.reason()).isEqualTo("asked by the test");
    assertThat(r.epochs().size()).isBetween(1, 10);
    assertThat(alive(program)).isFalse();
    assertThat(Files.readString(study.logs().resolve("s000000-attempt-1.log"))).contains("stop requested");
    assertThat(Json.MAPPER.readTree(Files.readString(study.result("s000000"))).toString()).contains("accuracy");
  }
}
