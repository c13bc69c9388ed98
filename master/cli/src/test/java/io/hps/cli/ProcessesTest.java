package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real worker and master JVMs racing, killed, stopped and restarted over one study directory. */
@Tag("process")
class ProcessesTest {
  static final String SPACE = "{\"parameters\":{\"model\":\"synthetic\",\"epochs\":1,"
      + "\"nf\":{\"type\":\"int\",\"low\":10,\"high\":100},\"lr\":{\"type\":\"loguniform\",\"low\":0.01,\"high\":0.3},"
      + "\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1},\"bs\":{\"type\":\"int\",\"low\":16,\"high\":256,\"log\":true}}}";

  @TempDir
  Path root;

  @org.junit.jupiter.api.AfterEach
  void killLeftovers() {
    HpsProcess.killAll();
  }

  StudyDirectory study(String mode, int trials, int batch, double lease, List<String> sets) throws Exception {
    SearchSpace space = SearchSpace.parse(Json.MAPPER.readTree(SPACE), "t");
    for (String s : sets) {
      space = space.withSet(s);
    }
    StudyDirectory study = new StudyDirectory(root.resolve("study")).create();
    DurableFiles.writeJson(study.config(), StudyConfig.builder(space.toJson(),
        io.hps.protocol.Strategy.RANDOM).name("t").trials(trials).batch(batch, io.hps.protocol.Mode.parse(mode))
        .lease(lease, 2).build(), true);
    return study;
  }

  static CompletableFuture<List<Result>> runMaster(StudyDirectory study, StringWriter log) throws Exception {
    StudyConfig config = study.readConfig().orElseThrow();
    Master master = MasterCommand.master(study.root(), config, new MasterOptions(5, false), new PrintWriter(log));
    return CompletableFuture.supplyAsync(() -> {
      try {
        return master.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  HpsProcess worker(StudyDirectory study, String id, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("worker", "--study", study.root().toString(), "--id", id,
        "--poll-ms", "5"));
    args.addAll(List.of(more));
    return new HpsProcess(root.resolve(id + ".log"), args.toArray(String[]::new));
  }

  @Test
  void fourWorkerProcessesCompleteEverySettingExactlyOnce() throws Exception {
    StudyDirectory study = study("async", 2000, 2000, 60, List.of());
    StringWriter log = new StringWriter();
    var master = runMaster(study, log);
    List<HpsProcess> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(worker(study, "racer" + i));
    }
    List<Result> results = master.get(120, TimeUnit.SECONDS);
    int published = 0;
    for (HpsProcess w : workers) {
      assertThat(w.waitFor(30)).isZero();
      String out = w.output();
      assertThat(out).doesNotContain("duplicate").doesNotContain("fenced");
      Matcher m = Pattern.compile("published (\\d+) results").matcher(out);
      assertThat(m.find()).as(out).isTrue();
      published += Integer.parseInt(m.group(1));
    }
    assertThat(results).hasSize(2000);
    assertThat(results.stream().map(Result::id).distinct()).hasSize(2000);
    assertThat(published).isEqualTo(2000);
    assertThat(results.stream().map(Result::worker).distinct()).hasSizeGreaterThan(1);
    assertThat(results).allMatch(r -> r.attempt() == 1);
  }

  @Test
  void aWorkerKilledMidSettingLosesNothing() throws Exception {
    StudyDirectory study = study("sync", 3, 3, 1.5, List.of("epochs=5", "epochSeconds=0.2"));
    StringWriter log = new StringWriter();
    var master = runMaster(study, log);
    HpsProcess victim = worker(study, "victim");
    HpsProcess.await("the victim's first claim", 30,
        () -> !StudyDirectory.list(study.claimed().resolve("victim")).isEmpty());
    String killed = StudyDirectory.list(study.claimed().resolve("victim")).get(0).replace(".json", "");
    victim.process.destroyForcibly().waitFor(); // SIGKILL
    HpsProcess rescuer = worker(study, "rescuer");
    List<Result> results = master.get(60, TimeUnit.SECONDS);
    assertThat(rescuer.waitFor(30)).isZero();
    assertThat(results).hasSize(3);
    Result redone = results.stream().filter(r -> r.id().equals(killed)).findFirst().orElseThrow();
    assertThat(redone.worker()).isEqualTo("rescuer");
    assertThat(redone.attempt()).isEqualTo(2);
    assertThat(redone.epochs()).hasSize(5);
    assertThat(log.toString()).contains(killed + ": lease expired: worker victim");
  }

  @Test
  void runHandsBackTheSettingOfAWorkerThatDiedWithoutWaitingForItsLease() throws Exception {
    Path dir = root.resolve("run");
    CapturedCli cli = new CapturedCli();
    var run = CompletableFuture.supplyAsync(() -> cli.run("run", "--space", CommandLineTest.SYNTHETIC.toString(),
        "--study", dir.toString(), "--trials", "2", "--workers", "1", "--lease", "120", "--poll-ms", "10", "--set",
        "epochs=6", "--set", "epochSeconds=0.3"));
    StudyDirectory study = new StudyDirectory(dir);
    HpsProcess.await("a claim", 60, () -> StudyDirectory.list(study.claimed()).stream()
        .anyMatch(w -> !StudyDirectory.list(study.claimed().resolve(w)).isEmpty()));
    String worker = StudyDirectory.list(study.claimed()).get(0);
    String killed = StudyDirectory.list(study.claimed().resolve(worker)).get(0).replace(".json", "");
    long pid = study.readWorker(study.workers().resolve(worker + ".json")).orElseThrow().pid();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL, as the kernel's OOM killer does
    long killedAt = System.nanoTime();
    assertThat(run.get(90, TimeUnit.SECONDS)).as(cli.out + "\n" + cli.err).isZero();
    double seconds = (System.nanoTime() - killedAt) / 1e9;
    assertThat(seconds).as("back long before the 120 s lease").isLessThan(60);
    assertThat(cli.out.toString()).contains("exited with 137; starting it again")
        .contains(killed + ": worker " + worker + " ended (exit 137) holding it");
    List<Result> results = study.readResults((name, why) -> { });
    assertThat(results).hasSize(2).allMatch(r -> r.epochs().size() == 6);
    assertThat(results.stream().filter(r -> r.id().equals(killed)).findFirst().orElseThrow().attempt()).isEqualTo(2);
  }

  @Test
  void runSaysSoAndFailsWhenEveryWorkerIsGoneBeforeTheStudyEnds() throws Exception {
    StudyDirectory study = study("sync", 3, 3, 120, List.of());
    StringWriter out = new StringWriter();
    // a worker that cannot start (a usage error, exit 2), started again twice, then given up
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalRun.run(study, study.readConfig().orElseThrow(),
        List.of(List.of("--threads", "-1")), 10, new PrintWriter(out, true)))
        .hasMessageContaining("every worker ended before the study finished")
        .hasMessageContaining("run the same command again to resume");
    assertThat(out.toString()).contains("run: worker 1 exited with 2; starting it again")
        .contains("run: worker 1 exited with 2; not starting it again: this run's 2 restarts are used up");
  }

  @Test
  void aWorkerResumedAfterItsLeaseExpiredCannotPublish() throws Exception {
    StudyDirectory study = study("sync", 1, 1, 1.0, List.of("epochs=6", "epochSeconds=0.25"));
    StringWriter log = new StringWriter();
    var master = runMaster(study, log);
    HpsProcess sleeper = worker(study, "sleeper", "--idle-exit", "3");
    HpsProcess.await("the claim", 30, () -> sleeper.output().contains("claimed s000000"));
    sleeper.signal("STOP");
    HpsProcess.await("the lease to expire", 30, () -> !StudyDirectory.list(study.pending()).isEmpty());
    HpsProcess other = worker(study, "other");
    List<Result> results = master.get(60, TimeUnit.SECONDS);
    sleeper.signal("CONT");
    assertThat(sleeper.waitFor(30)).isZero();
    assertThat(other.waitFor(30)).isZero();
    assertThat(results).singleElement().satisfies(r -> assertThat(r.worker()).isEqualTo("other"));
    assertThat(StudyDirectory.list(study.results())).containsExactly("s000000.json");
    assertThat(StudyDirectory.readResult(study.result("s000000")).worker()).isEqualTo("other");
    assertThat(sleeper.output()).containsAnyOf("lease on s000000 was lost", "fenced", "duplicate")
        .contains("published 0 results");
  }

  @Test
  void sigtermHandsTheSettingBack() throws Exception {
    StudyDirectory study = study("sync", 1, 1, 60, List.of("epochs=100", "epochSeconds=0.1"));
    StringWriter log = new StringWriter();
    var master = runMaster(study, log);
    HpsProcess worker = worker(study, "polite");
    HpsProcess.await("the claim", 30, () -> !StudyDirectory.list(study.claimed().resolve("polite")).isEmpty());
    worker.process.destroy(); // SIGTERM
    assertThat(worker.waitFor(30)).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
    assertThat(worker.output()).contains("handed s000000 back to pending");
    assertThat(StudyDirectory.list(study.pending())).containsExactly("s000000.json");
    assertThat(StudyDirectory.list(study.claimed().resolve("polite"))).isEmpty();
    HpsProcess finisher = worker(study, "finisher");
    assertThat(master.get(60, TimeUnit.SECONDS)).singleElement()
        .satisfies(r -> assertThat(r.attempt()).isEqualTo(1));
    finisher.waitFor(30);
  }

  @Test
  void aMasterKilledAndRestartedEndsWithTheSameResults() throws Exception {
    Path space = Files.writeString(root.resolve("space.json"), SPACE);
    List<List<Double>> straight = study(root.resolve("straight"), space, false);
    List<List<Double>> restarted = study(root.resolve("restarted"), space, true);
    assertThat(restarted).hasSize(30).isEqualTo(straight);
  }

  private List<List<Double>> study(Path dir, Path space, boolean kill) throws Exception {
    String[] args = {"master", "--study", dir.toString(), "--space", space.toString(), "--trials", "30", "--batch", "2",
        "--set", "epochs=3", "--set", "epochSeconds=0.02", "--poll-ms", "5"};
    HpsProcess master = new HpsProcess(root.resolve(dir.getFileName() + "-master.log"), args);
    StudyDirectory study = new StudyDirectory(dir);
    HpsProcess.await("study.json", 30, () -> Files.exists(study.config()));
    List<HpsProcess> workers = List.of(worker(study, dir.getFileName() + "-a"), worker(study, dir.getFileName() + "-b"));
    if (kill) {
      HpsProcess.await("some results", 60, () -> StudyDirectory.list(study.results()).size() >= 8);
      master.process.destroyForcibly().waitFor();
      assertThat(StudyDirectory.list(study.results()).size()).isLessThan(30);
      master = new HpsProcess(root.resolve(dir.getFileName() + "-master2.log"), args);
    }
    assertThat(master.waitFor(120)).as(master.output()).isZero();
    for (HpsProcess w : workers) {
      assertThat(w.waitFor(30)).isZero();
    }
    List<Result> results = new ArrayList<>();
    for (String name : StudyDirectory.list(study.results())) {
      results.add(StudyDirectory.readResult(study.results().resolve(name)));
    }
    results.sort(Comparator.comparing(Result::id));
    List<List<Double>> curves = new ArrayList<>();
    for (Result r : results) {
      List<Double> row = new ArrayList<>(r.params().values().values().stream()
          .filter(v -> v instanceof Number).map(v -> ((Number) v).doubleValue()).toList());
      r.epochs().stream().map(Epoch::valError).forEach(row::add);
      curves.add(row);
    }
    return curves;
  }
}
