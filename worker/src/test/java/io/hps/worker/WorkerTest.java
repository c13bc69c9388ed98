package io.hps.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.StudyConfig;
import io.hps.space.Params;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import io.hps.synthetic.SyntheticTrainer;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import io.hps.trainer.Trial;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerTest {
  @TempDir
  Path root;
  StudyDirectory study;
  final StringWriter log = new StringWriter();

  @BeforeEach
  void create() throws Exception {
    study = new StudyDirectory(root).create();
    StudyConfig config = StudyConfig.builder(Json.MAPPER.createObjectNode(), io.hps.protocol.Strategy.RANDOM).name("t")
        .seed(1).trials(10).batch(1, io.hps.protocol.Mode.SYNC).lease(0.3, 2).build();
    DurableFiles.writeJson(study.config(), config, true);
  }

  void pending(int i, Map<String, Object> params) throws Exception {
    Setting s = new Setting(String.format("s%06d", i), i, 0, 0, Instant.now(), new Params(params));
    DurableFiles.writeJson(study.pending().resolve(s.id() + ".json"), s, false);
  }

  Worker worker(Trainer trainer, double idleExit) {
    return new Worker(study, new WorkerOptions("w1", null, 5, idleExit, 0, root.resolve("data"), 0),
        TrainerRegistry.load(getClass().getClassLoader()).with(trainer, "test"), Clock.systemUTC(),
        new PrintWriter(log));
  }

  /** A trainer for one test, under a model name of its own. */
  static Trainer fake(String model, Body body) {
    return new Trainer() {
      @Override
      public String model() {
        return model;
      }

      @Override
      public Outcome train(Trial trial, io.hps.trainer.EpochSink sink) throws Exception {
        return body.train(trial, sink);
      }
    };
  }

  interface Body {
    Outcome train(Trial trial, io.hps.trainer.EpochSink sink) throws Exception;
  }

  @Test
  void trainsPublishesAndSurvivesAFailingSetting() throws Exception {
    pending(1, Map.of("model", "synthetic", "lr", 0.05, "epochs", 3));
    pending(2, Map.of("model", "synthetic", "lr", -1.0, "epochs", 3));
    pending(3, Map.of("model", "synthetic", "lr", 2.0, "epochs", 3));
    int published = worker(fake("other", (t, sink) -> null), 0.3).run();
    assertThat(published).isEqualTo(3);
    Result ok = StudyDirectory.readResult(study.result("s000001"));
    assertThat(ok.status()).isEqualTo(Status.COMPLETE);
    assertThat(ok.epochs()).hasSize(3);
    assertThat(ok.worker()).isEqualTo("w1");
    assertThat(ok.claimed()).isAfterOrEqualTo(ok.created());
    Result failed = StudyDirectory.readResult(study.result("s000002"));
    assertThat(failed.status()).isEqualTo(Status.FAILED);
    assertThat(failed.reason()).contains("the trainer 'synthetic' cannot train this setting: parameter 'lr' must be"
        + " > 0, not -1.0");
    assertThat(StudyDirectory.readResult(study.result("s000003")).status()).isEqualTo(Status.DIVERGED);
    assertThat(study.readWorker(study.workers().resolve("w1.json")).orElseThrow().state()).isEqualTo(io.hps.protocol.WorkerState.EXITED);
  }

  /** Issue 28: through sshfs a worker once read master.json cut short (a replaced file, a cached size) and died. */
  @Test
  void aTornMasterJsonIsReadAgainNotTheWorkersEnd() throws Exception {
    pending(1, Map.of("model", "synthetic", "lr", 0.05, "epochs", 2));
    Files.writeString(study.master(), "{\"schema\" : 1, \"host\" : \"vm\", \"pid\" : 7, \"phase\" : \"fini");
    int published = worker(fake("other", (t, sink) -> null), 0.3).run();
    assertThat(published).as(log.toString()).isEqualTo(1);
  }

  @Test
  void aStudyItsTrainerCannotTrainIsRefusedBeforeAnythingIsClaimed() throws Exception {
    // As the Python master makes it, which cannot check the space against the Java trainers.
    StudyConfig config = StudyConfig.builder((com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
        "{\"parameters\": {\"model\": \"synthetic\", \"epochs\": 2, \"learningRate\": 0.1}}"),
        io.hps.protocol.Strategy.RANDOM).name("t").seed(1).trials(1).batch(1, io.hps.protocol.Mode.SYNC).lease(5, 2)
        .build();
    DurableFiles.replace(study.config(), config, true);
    pending(1, Map.of("model", "synthetic", "epochs", 2, "learningRate", 0.1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> worker(fake("other", (t, sink) -> null), 1).run())
        .hasMessageContaining("cannot train this study, so not claiming anything: parameter 'learningRate' is not"
            + " read by the trainer 'synthetic'");
    assertThat(study.pending().resolve("s000001.json")).exists();
    assertThat(log.toString()).contains("cannot train this study");
  }

  @Test
  void unknownModelIsAFailedResultThatListsTheModelsFound() throws Exception {
    pending(1, Map.of("model", "transformer"));
    worker(fake("other", (t, sink) -> null), 0.2).run();
    assertThat(StudyDirectory.readResult(study.result("s000001")).reason()).contains("unknown model 'transformer'")
        .contains("synthetic (").contains("other (test)").contains("command (built in)").contains("--classpath");
  }

  @Test
  void aSettingWithoutModelFailsInsteadOfTrainingSyntheticCurves() throws Exception {
    pending(1, Map.of("lr", 0.05, "epochs", 3));
    worker(fake("other", (t, sink) -> null), 0.2).run();
    Result r = StudyDirectory.readResult(study.result("s000001"));
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.reason()).contains("no 'model' parameter").contains("synthetic");
  }

  @Test
  void twoTrainersWithOneModelNameAreAnError() {
    TrainerRegistry registry = TrainerRegistry.load(getClass().getClassLoader());
    assertThatThrownBy(() -> registry.with(fake("synthetic", (t, sink) -> null), "my.jar"))
        .hasMessageContaining("model 'synthetic' is declared twice").hasMessageContaining("my.jar")
        .hasMessageContaining(SyntheticTrainer.class.getName());
  }

  @Test
  void stopHandsTheSettingBack() throws Exception {
    pending(1, Map.of("model", "synthetic", "epochs", 100, "epochSeconds", 0.05));
    Worker worker = worker(fake("other", (t, sink) -> null), 0);
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
      try {
        return worker.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    awaitFile(study.claimed("w1").resolve("s000001.json"));
    assertThat(worker.stop(Duration.ofSeconds(10))).isTrue();
    assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(StudyDirectory.list(study.pending())).containsExactly("s000001.json");
    assertThat(StudyDirectory.list(study.results())).isEmpty();
    assertThat(log.toString()).contains("handed s000001 back");
  }

  @Test
  void aWorkerWhoseClaimWasTakenDiscardsItsResult() throws Exception {
    pending(1, Map.of("model", "slow"));
    CountDownLatch training = new CountDownLatch(1);
    CountDownLatch taken = new CountDownLatch(1);
    Trainer slow = fake("slow", (trial, sink) -> {
      training.countDown();
      taken.await();
      for (int i = 0; i < 1000 && !trial.cancelled(); i++) {
        Thread.sleep(10); // until the next heartbeat finds the claim gone
      }
      sink.accept(new Epoch(1, 1, 1, 0.5, 0.1));
      return new Outcome(Status.COMPLETE, null, List.of(new Epoch(1, 1, 1, 0.5, 0.1)), Map.of());
    });
    Worker worker = worker(slow, 0.5);
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
      try {
        return worker.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    training.await(10, TimeUnit.SECONDS);
    java.nio.file.Files.move(study.claimed("w1").resolve("s000001.json"), study.requeue().resolve("s000001.json"));
    taken.countDown();
    assertThat(run.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(StudyDirectory.list(study.results())).isEmpty();
    assertThat(log.toString()).contains("lease on s000001 was lost");
  }

  /** The worker's queue is injected: one whose publish fails twice with an I/O error is retried, never lost. */
  @Test
  void aQueueThatFailsToPublishIsRetriedAndTheResultPublishedOnce() throws Exception {
    pending(1, Map.of("model", "quick"));
    Trainer quick = fake("quick", (trial, sink) -> {
      Epoch e = new Epoch(1, 1, 1, 0.25, 0.1);
      sink.accept(e);
      return new Outcome(Status.COMPLETE, null, List.of(e), Map.of());
    });
    FlakyQueue flaky = new FlakyQueue(new io.hps.study.FileWorkerQueue(study, "w1", Clock.systemUTC()), 2);
    Worker worker = new Worker(study, flaky, new WorkerOptions("w1", null, 5, 0.5, 1, root.resolve("data"), 0),
        TrainerRegistry.load(getClass().getClassLoader()).with(quick, "test"), Clock.systemUTC(),
        new PrintWriter(log), Progress.NONE);
    assertThat(worker.run()).isEqualTo(1);
    assertThat(flaky.publishes).isEqualTo(3);
    assertThat(StudyDirectory.list(study.results())).containsExactly("s000001.json");
    assertThat(log.toString()).contains("I/O error while publishing the result of s000001");
  }

  /** The study directory's queue, whose first {@code failing} publications fail with an I/O error. */
  static final class FlakyQueue implements io.hps.study.WorkerQueue {
    final io.hps.study.WorkerQueue files;
    final int failing;
    int publishes;

    FlakyQueue(io.hps.study.WorkerQueue files, int failing) {
      this.files = files;
      this.failing = failing;
    }

    @Override
    public java.util.Optional<io.hps.study.Claim> claimNext() throws java.io.IOException {
      return files.claimNext();
    }

    @Override
    public boolean heartbeat(io.hps.study.Claim claim) throws java.io.IOException {
      return files.heartbeat(claim);
    }

    @Override
    public java.util.Optional<io.hps.protocol.StopRequest> report(io.hps.study.Claim claim, List<Epoch> epochs)
        throws java.io.IOException {
      return files.report(claim, epochs);
    }

    @Override
    public Publication publish(io.hps.study.Claim claim, io.hps.protocol.Result result) throws java.io.IOException {
      if (publishes++ < failing) {
        throw new java.io.IOException("disk gone for a moment (injected)");
      }
      return files.publish(claim, result);
    }

    @Override
    public void touchFence(io.hps.study.Claim claim) throws java.io.IOException {
      files.touchFence(claim);
    }

    @Override
    public boolean handBack(io.hps.study.Claim claim) throws java.io.IOException {
      return files.handBack(claim);
    }
  }

  static void awaitFile(Path file) throws InterruptedException {
    for (int i = 0; i < 1000 && !java.nio.file.Files.exists(file); i++) {
      Thread.sleep(10);
    }
    assertThat(file).exists();
  }
}
