package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.protocol.StopRequest;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.study.DurableFiles;
import io.hps.study.Quarantine;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python library (worker/python) as a user runs it: its own unit tests; its workers under our
 * master through kill -9, SIGTERM and stop requests; a DL4J and a PyTorch worker in one study; and its
 * master driving a Java and a Python worker.
 */
@Tag("process")
class PythonWorkersTest {
  static final Path TINY = Path.of(System.getProperty("hps.root", ".."), "test-data", "mnist-tiny").toAbsolutePath();
  @TempDir
  Path root;
  final List<Process> pythons = new ArrayList<>();

  @AfterEach
  void killAll() {
    HpsProcess.killAll();
    pythons.forEach(Process::destroyForcibly);
  }

  static String python() {
    String python = Python.any();
    Assumptions.assumeTrue(python != null, "SKIPPED: no python3 (3.9+) here: the Python library cannot be checked");
    return python;
  }

  Process py(String python, String log, String... args) throws Exception {
    Process p = Python.start(python, root.resolve(log), args);
    pythons.add(p);
    return p;
  }

  String log(String name) throws Exception {
    Path file = root.resolve(name);
    return Files.exists(file) ? Files.readString(file) : "";
  }

  StudyDirectory study(String space, int trials, int batch, double lease, String stop) throws Exception {
    return study(space, "random", trials, batch, lease, stop);
  }

  StudyDirectory study(String space, String strategy, int trials, int batch, double lease, String stop)
      throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("study")).create();
    DurableFiles.writeJson(study.config(), StudyConfig.builder(
        SearchSpace.parse(Json.MAPPER.readTree(space), "t").toJson(), io.hps.protocol.Strategy.parse(strategy))
        .name("py").trials(trials).batch(batch, io.hps.protocol.Mode.SYNC).lease(lease, 2)
        .stop(stop == null ? null : io.hps.protocol.Stopping.parse(stop), null)
        .checkpoints(io.hps.protocol.Strategy.parse(strategy).halving()).build(), true);
    return study;
  }

  static CompletableFuture<List<Result>> master(StudyDirectory study, StringWriter log) throws Exception {
    Master master = MasterCommand.master(study.root(), study.readConfig().orElseThrow(), new MasterOptions(5, false),
        new PrintWriter(log, true));
    return CompletableFuture.supplyAsync(() -> {
      try {
        return master.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void theLibrarysOwnTestsPass() throws Exception {
    String python = Python.withTorch() != null ? Python.withTorch() : python();
    Process p = py(python, "unittest.log", "-m", "unittest", "discover", "-v", "-s", "tests", "-t", ".");
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String out = log("unittest.log");
    System.out.println(out.lines().filter(l -> l.contains("skipped")).collect(Collectors.joining("\n")));
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("OK");
  }

  @Test
  void aPythonWorkerSurvivesKillAndSigtermUnderOurMaster() throws Exception {
    String python = python();
    StudyDirectory study = study("{\"parameters\": {\"model\": \"toy\", \"epochs\": 4, \"epochSeconds\": 0.25,"
        + " \"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 0.2}}}", 6, 3, 2, null);
    StringWriter masterLog = new StringWriter();
    var master = master(study, masterLog);
    Process victim = py(python, "victim.log", "examples/toy.py", "--study", study.root().toString(), "--id", "victim");
    HpsProcess.await("the victim's claim", 30, () -> !StudyDirectory.list(study.claimed().resolve("victim")).isEmpty());
    String killed = StudyDirectory.list(study.claimed().resolve("victim")).get(0).replace(".json", "");
    victim.destroyForcibly().waitFor(); // kill -9: its claim expires after the 2 s lease
    Process polite = py(python, "polite.log", "examples/toy.py", "--study", study.root().toString(), "--id", "polite");
    HpsProcess.await("a claim by the polite worker", 30,
        () -> !StudyDirectory.list(study.claimed().resolve("polite")).isEmpty());
    String handed = StudyDirectory.list(study.claimed().resolve("polite")).get(0).replace(".json", "");
    HpsProcess.await("an epoch of the polite worker's setting", 30,
        () -> Files.exists(study.progress().resolve(handed + ".json")));
    new ProcessBuilder("kill", "-TERM", String.valueOf(polite.pid())).start().waitFor();
    assertThat(polite.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(log("polite.log")).contains("handed " + handed + " back to pending");
    assertThat(polite.exitValue()).isZero();
    assertThat(Files.exists(study.pending().resolve(handed + ".json"))).as("handed back to pending").isTrue();
    Process finisher = py(python, "finisher.log", "examples/toy.py", "--study", study.root().toString(), "--id",
        "finisher");
    List<Result> results = master.get(90, TimeUnit.SECONDS);
    assertThat(finisher.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(results).as(masterLog.toString()).hasSize(6).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(Status.COMPLETE);
      assertThat(r.epochs()).hasSize(4);
      assertThat(r.worker()).isNotEqualTo("victim");
    });
    assertThat(results.stream().map(Result::id).distinct()).hasSize(6);
    Result rescued = results.stream().filter(r -> r.id().equals(killed)).findFirst().orElseThrow();
    assertThat(rescued.attempt()).isEqualTo(2);
    assertThat(Quarantine.list(study)).isEmpty();
    String status = new CapturedCli().runOk("status", "--study", study.root().toString());
    assertThat(status).contains("finisher").contains("exited");
  }

  @Test
  void aPythonWorkerTrainsEachRungsBudgetInAHalvingStudyContinuingFromCheckpoints() throws Exception {
    String python = python();
    StudyDirectory study = study("{\"parameters\": {\"model\": \"toy\", \"epochs\": 9,"
        + " \"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 0.2}}}", "successive-halving", 9, 9, 30, null);
    var master = master(study, new StringWriter());
    Process worker = py(python, "halving.log", "examples/toy.py", "--study", study.root().toString(), "--id", "py");
    List<Result> results = master.get(90, TimeUnit.SECONDS);
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(results).as(log("halving.log")).hasSize(13).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(Status.COMPLETE);
      assertThat(r.epochs().get(r.epochs().size() - 1).epoch()).as("reached its budget").isEqualTo(r.budget());
      assertThat(r.params().getInt("epochs")).isEqualTo(9);
      assertThat(r.info()).doesNotContainKey("resumeFailed");
    });
    assertThat(results.stream().map(Result::budget)).containsOnly(1, 3, 9);
    Result top = results.stream().filter(r -> r.budget() == 9).findFirst().orElseThrow();
    assertThat(top.lineage().rung()).isEqualTo(2);
    Result parent = results.stream().filter(r -> r.id().equals(top.lineage().parent())).findFirst().orElseThrow();
    assertThat(parent.budget()).isEqualTo(3);
    assertThat(parent.checkpoint()).startsWith("checkpoints/" + parent.id() + "/a1-py");
    assertThat(top.resumed().from()).isEqualTo(parent.id());
    assertThat(top.epochs()).as("only the epochs it trained itself").extracting(e -> e.epoch())
        .containsExactly(4, 5, 6, 7, 8, 9);
    // The toy's error falls every epoch: a resumed curve goes on below its parent's last error.
    assertThat(top.epochs().get(0).valError()).isLessThan(parent.epochs().get(parent.epochs().size() - 1).valError());
    assertThat(results.stream().mapToInt(r -> r.epochs().size()).sum()).isEqualTo(21);
    assertThat(new io.hps.study.Checkpoints(study).settings()).isEmpty();
  }

  @Test
  void aStopRequestEndsAPythonWorkersRunButOneForAnotherAttemptDoesNot() throws Exception {
    String python = python();
    StudyDirectory study = study("{\"parameters\": {\"model\": \"toy\", \"epochs\": 40, \"epochSeconds\": 0.1,"
        + " \"lr\": 0.05}}", 1, 1, 60, "median");
    var master = master(study, new StringWriter());
    py(python, "w.log", "examples/toy.py", "--study", study.root().toString(), "--id", "w");
    Path progress = study.progress().resolve("s000000.json");
    HpsProcess.await("the first progress file", 30, () -> Files.exists(progress));
    Path stop = study.stop().resolve("s000000.json");
    DurableFiles.replace(stop, new StopRequest(1, "s000000", "left over from attempt 7", 1, Instant.now(), "w", 7),
        false);
    int before = StudyDirectory.readProgress(progress).epochs().size();
    HpsProcess.await("three more epochs: the stale request must not stop this run", 30,
        () -> StudyDirectory.readProgress(progress).epochs().size() >= before + 3);
    DurableFiles.replace(stop, new StopRequest(1, "s000000", "asked by the test", 5, Instant.now(), "w", 1), false);
    List<Result> results = master.get(60, TimeUnit.SECONDS);
    Result r = results.get(0);
    assertThat(r.status()).as(log("w.log")).isEqualTo(Status.STOPPED);
    assertThat(r.reason()).isEqualTo("asked by the test");
    assertThat(r.epochs().size()).isGreaterThan(3).isLessThan(40);
    assertThat(Files.exists(progress)).as("the master cleans progress/ on acceptance").isFalse();
  }

  @Test
  void aDl4jWorkerAndAPytorchWorkerShareOneStudy() throws Exception {
    String python = Python.withTorch();
    Assumptions.assumeTrue(python != null, "SKIPPED: PyTorch is not installed (Debian: apt-get install"
        + " python3-torch), so the mixed DL4J + PyTorch study is not checked here");
    StudyDirectory study = study("{\"parameters\": {\"model\": \"cnn\", \"epochs\": 2, \"trainSize\": 1000,"
        + " \"valSize\": 200, \"nf\": 4, \"bs\": 50, \"m\": 0.9, \"lr\": {\"type\": \"loguniform\", \"low\": 0.03,"
        + " \"high\": 0.1}}}", 6, 6, 60, null);
    var master = master(study, new StringWriter());
    HpsProcess java = new HpsProcess(root.resolve("java.log"), "worker", "--study", study.root().toString(), "--id",
        "dl4j", "--data-dir", TINY.toString(), "--threads", "1", "--max-settings", "3");
    Process torch = py(python, "torch.log", "examples/cnn_torch.py", "--study", study.root().toString(), "--id",
        "pytorch", "--data-dir", TINY.toString(), "--threads", "1", "--max-settings", "3");
    List<Result> results = master.get(240, TimeUnit.SECONDS);
    assertThat(java.waitFor(60)).isZero();
    assertThat(torch.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(results).as(java.output() + log("torch.log")).hasSize(6)
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.COMPLETE));
    assertThat(results.stream().map(Result::id).distinct()).hasSize(6);
    Map<Object, List<Result>> byFramework = results.stream().collect(Collectors.groupingBy(r -> r.info()
        .get("framework")));
    assertThat(byFramework.keySet()).containsExactlyInAnyOrder("dl4j", "pytorch");
    assertThat(byFramework.get("dl4j")).allSatisfy(r -> assertThat(r.worker()).isEqualTo("dl4j"));
    assertThat(byFramework.get("pytorch")).allSatisfy(r -> {
      assertThat(r.worker()).isEqualTo("pytorch");
      assertThat(r.info()).containsKey("frameworkVersion");
      assertThat(r.objective().orElseThrow()).isLessThan(0.8); // chance is 0.9
    });
    String plotted = new CapturedCli().runOk("plot", "--study", study.root().toString());
    assertThat(plotted).contains("6 results plotted");
    assertThat(Files.exists(study.root().resolve("plots").resolve("val-error-vs-epoch.png"))).isTrue();
    List<String> labels = io.hps.plot.LearningCurves.of(results).get(0).series().stream()
        .map(io.hps.plot.Series::label).toList();
    assertThat(labels).anyMatch(l -> l.startsWith("framework=dl4j")).anyMatch(l -> l.startsWith("framework=pytorch"));
  }

  @Test
  void thePythonMasterDrivesAJavaAndAPythonWorker() throws Exception {
    String python = python();
    Path space = root.resolve("space.json");
    Files.writeString(space, "{\"parameters\": {\"model\": \"synthetic\", \"epochs\": 3, \"nf\": 16, \"bs\": 100,"
        + " \"m\": 0.9, \"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 0.3}}}");
    Path dir = root.resolve("pystudy");
    Process master = py(python, "master.log", "-m", "hps_worker.master", "--study", dir.toString(), "--space",
        space.toString(), "--trials", "8", "--batch", "4", "--lease", "10");
    HpsProcess.await("study.json", 30, () -> Files.exists(dir.resolve("study.json")));
    HpsProcess java = new HpsProcess(root.resolve("java.log"), "worker", "--study", dir.toString(), "--id", "java",
        "--poll-ms", "5", "--max-settings", "4");
    Process worker = py(python, "py.log", "examples/toy.py", "--study", dir.toString(), "--id", "py",
        "--max-settings", "4");
    assertThat(master.waitFor(120, TimeUnit.SECONDS)).as(log("master.log")).isTrue();
    assertThat(master.exitValue()).as(log("master.log")).isZero();
    assertThat(java.waitFor(30)).isZero();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    StudyDirectory study = StudyDirectory.existing(dir);
    List<Result> results = study.readResults((name, why) -> {
      throw new AssertionError(name + ": " + why);
    });
    assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.COMPLETE));
    assertThat(results.stream().map(Result::worker).distinct()).containsExactlyInAnyOrder("java", "py");
    assertThat(log("master.log")).contains("finished: 8 results");
    assertThat(new CapturedCli().runOk("status", "--study", dir.toString())).contains("finished").contains("complete        8");
  }
}
