package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.simulate.SimulatedClock;
import io.hps.space.SearchSpace;
import io.hps.strategy.Strategies;
import io.hps.study.Claim;
import io.hps.study.DurableFiles;
import io.hps.study.FileWorkerQueue;
import io.hps.study.Quarantine;
import io.hps.study.StudyDirectory;
import io.hps.study.WorkerQueue;
import io.hps.synthetic.SyntheticTrainer;
import io.hps.trainer.Trial;
import io.hps.worker.TrainerRegistry;
import io.hps.worker.Worker;
import io.hps.worker.WorkerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterTest {
  static final String SPACE = "{\"parameters\":{\"model\":\"synthetic\",\"epochs\":3,"
      + "\"nf\":{\"type\":\"int\",\"low\":10,\"high\":100},\"lr\":{\"type\":\"loguniform\",\"low\":0.01,\"high\":0.3},"
      + "\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1},\"bs\":{\"type\":\"int\",\"low\":16,\"high\":256,\"log\":true}}}";

  @TempDir
  Path root;
  final StringWriter log = new StringWriter();

  static StudyConfig config(String mode, int trials, int repeats, int batch, double lease, int retries)
      throws Exception {
    return StudyConfig.builder(SearchSpace.parse(Json.MAPPER.readTree(SPACE), "t").toJson(), Strategy.RANDOM)
        .name("t").trials(trials).repeats(repeats).batch(batch, io.hps.protocol.Mode.parse(mode)).lease(lease, retries)
        .build();
  }

  Master master(Path dir, StudyConfig config, Clock clock) throws Exception {
    StudyDirectory study = new StudyDirectory(dir).create();
    DurableFiles.writeJson(study.config(), config, true);
    SearchSpace space = SearchSpace.parse(config.space(), "t");
    return Master.of(study, config, Strategies.create(Strategy.RANDOM, space, config.seed()), clock, new PrintWriter(log),
        new MasterOptions(2, false));
  }

  /** Runs a master and worker threads to the end; returns the results sorted by id. */
  List<Result> runStudy(Path dir, StudyConfig config, int workers) throws Exception {
    Master master = master(dir, config, Clock.systemUTC());
    int before = StudyDirectory.list(new StudyDirectory(dir).results()).size();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Worker worker = new Worker(new StudyDirectory(dir), new WorkerOptions("w" + w, null, 2, 0, 0, dir, 0),
          TrainerRegistry.load(getClass().getClassLoader()), Clock.systemUTC(), new PrintWriter(log));
      futures.add(pool.submit(worker::run));
    }
    List<Result> results = new ArrayList<>(master.run());
    int published = 0;
    for (Future<Integer> f : futures) {
      published += f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(published).isEqualTo(results.size() - before);
    results.sort(Comparator.comparing(Result::id));
    return results;
  }

  @Test
  void synchronousBatchesFinishBeforeTheNextIsWritten() throws Exception {
    List<Result> results = runStudy(root, config("sync", 12, 2, 3, 60, 2), 3);
    assertThat(results).hasSize(24).allMatch(r -> r.status() == Status.COMPLETE && r.epochs().size() == 3);
    assertThat(results.stream().map(Result::id)).doesNotHaveDuplicates().first().isEqualTo("s000000");
    assertThat(results).allSatisfy(r -> assertThat(r.params().getLong("seed", -1)).isEqualTo(42 + r.repeat()));
    Map<Integer, List<Result>> byBatch = results.stream().collect(Collectors.groupingBy(Result::batch));
    assertThat(byBatch).hasSize(4);
    for (int b = 1; b < 4; b++) {
      Instant lastOfPrevious = byBatch.get(b - 1).stream().map(Result::finished).max(Comparator.naturalOrder()).get();
      Instant firstWritten = byBatch.get(b).stream().map(Result::created).min(Comparator.naturalOrder()).get();
      assertThat(firstWritten).isAfterOrEqualTo(lastOfPrevious);
    }
    assertThat(new StudyDirectory(root).readMaster().orElseThrow().phase()).isEqualTo(io.hps.protocol.MasterPhase.FINISHED);
  }

  @Test
  void asynchronousModeGivesTheSameSettingsAsSynchronous() throws Exception {
    List<Result> async = runStudy(root.resolve("a"), config("async", 20, 1, 4, 60, 2), 2);
    List<Result> sync = runStudy(root.resolve("s"), config("sync", 20, 1, 5, 60, 2), 3);
    assertThat(async.stream().map(Result::params).toList()).isEqualTo(sync.stream().map(Result::params).toList());
    assertThat(curves(async)).isEqualTo(curves(sync));
  }

  static List<List<Double>> curves(List<Result> results) {
    return results.stream().map(r -> r.epochs().stream().map(Epoch::valError).toList()).toList();
  }

  @Test
  void aRestartedMasterFinishesWithTheSameResults() throws Exception {
    List<Result> straight = runStudy(root.resolve("straight"), config("sync", 10, 1, 2, 60, 2), 2);
    Path dir = root.resolve("restarted");
    StudyConfig config = config("sync", 10, 1, 2, 60, 2);
    Master first = master(dir, config, Clock.systemUTC());
    StudyDirectory study = new StudyDirectory(dir);
    WorkerQueue queue = new FileWorkerQueue(study, "w0", Clock.systemUTC());
    SyntheticTrainer trainer = new SyntheticTrainer();
    for (int i = 0; i < 12; i++) { // a few steps, then the master "dies" with settings pending
      first.step();
      var claim = queue.claimNext();
      if (claim.isPresent() && i < 7) {
        var outcome = trainer.train(Trial.of(claim.get().setting().params()), e -> true);
        queue.publish(claim.get(), Result.of(claim.get().setting(), outcome.status(), null, "w0",
            claim.get().claimedAt(), Instant.now(), outcome.epochs(), Map.of()));
      } else if (claim.isPresent()) {
        queue.handBack(claim.get());
      }
    }
    assertThat(StudyDirectory.list(study.results()).size()).isBetween(1, 9);
    List<Result> resumed = runStudy(dir, config, 2);
    assertThat(resumed.stream().map(Result::params).toList())
        .isEqualTo(straight.stream().map(Result::params).toList());
    assertThat(curves(resumed)).isEqualTo(curves(straight));
  }

  @Test
  void anExpiredLeaseIsRetriedThenFailedPastTheBudget() throws Exception {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
    Master master = master(root, config("sync", 1, 1, 1, 10, 1), clock);
    StudyDirectory study = new StudyDirectory(root);
    master.step();
    Claim first = new FileWorkerQueue(study, "crashed-1", clock).claimNext().orElseThrow();
    master.step();
    clock.advance(Duration.ofSeconds(9));
    master.step();
    assertThat(first.file()).exists();
    clock.advance(Duration.ofSeconds(2));
    master.step();
    assertThat(first.file()).doesNotExist();
    Setting second = StudyDirectory.readSetting(study.pending().resolve("s000000.json"));
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.history()).singleElement().satisfies(a -> {
      assertThat(a.worker()).isEqualTo("crashed-1");
      assertThat(a.reason()).contains("lease expired").contains("no heartbeat for 11 s");
    });

    Claim again = new FileWorkerQueue(study, "crashed-2", clock).claimNext().orElseThrow();
    master.step();
    clock.advance(Duration.ofSeconds(11));
    master.step();
    master.step();
    Result failed = StudyDirectory.readResult(study.result("s000000"));
    assertThat(failed.status()).isEqualTo(Status.FAILED);
    assertThat(failed.reason()).contains("retry budget of 1 spent").contains("crashed-1").contains("crashed-2");
    assertThat(again.file()).doesNotExist();
    assertThat(StudyDirectory.list(study.pending())).isEmpty();
  }

  @Test
  void aHeartbeatKeepsTheLeaseAlive() throws Exception {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
    Master master = master(root, config("sync", 1, 1, 1, 10, 1), clock);
    StudyDirectory study = new StudyDirectory(root);
    master.step();
    WorkerQueue queue = new FileWorkerQueue(study, "alive", clock);
    Claim claim = queue.claimNext().orElseThrow();
    for (int i = 0; i < 10; i++) {
      master.step();
      clock.advance(Duration.ofSeconds(6));
      queue.heartbeat(claim);
    }
    assertThat(claim.file()).exists();
  }

  @Test
  void aBadResultIsQuarantinedAndItsSettingRunsAgain() throws Exception {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
    Master master = master(root, config("sync", 1, 1, 1, 60, 2), clock);
    StudyDirectory study = new StudyDirectory(root);
    master.step();
    Claim claim = new FileWorkerQueue(study, "w", clock).claimNext().orElseThrow();
    Files.delete(claim.file());
    Files.writeString(study.result("s000000"), "{\"schema\": 1, \"id\": \"s000000\"}");
    clock.advance(Duration.ofSeconds(1));
    master.step();
    assertThat(Quarantine.list(study)).containsExactly("s000000.json");
    master.step(); // not a full scan yet: pending is listed once a second
    assertThat(StudyDirectory.list(study.pending())).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    master.step();
    clock.advance(Duration.ofSeconds(1));
    master.step();
    Setting retried = StudyDirectory.readSetting(study.pending().resolve("s000000.json"));
    assertThat(retried.attempt()).isEqualTo(2);
    assertThat(retried.history().get(0).reason()).contains("its result was quarantined: result file");
  }

  @Test
  void numbersInParamsCompareByValueAndAMismatchSaysWhichParameter() throws Exception {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
    Master master = master(root, config("sync", 2, 1, 2, 60, 2), clock);
    StudyDirectory study = new StudyDirectory(root);
    master.step();
    for (String id : List.of("s000000", "s000001")) {
      Files.delete(study.pending().resolve(id + ".json"));
    }
    // A worker whose JSON library writes 0.05 as written but 0.0 as 0 and 100 as 100.0 (JavaScript, Go):
    String raw = Files.readString(study.batches().resolve("b000000.json"));
    Setting first = Json.MAPPER.readValue(raw, io.hps.protocol.Batch.class).settings().get(0);
    Map<String, Object> asWritten = new java.util.LinkedHashMap<>(first.params().values());
    asWritten.replaceAll((k, v) -> v instanceof Long l ? (Object) l.doubleValue()
        : v instanceof Double d && d == Math.rint(d) ? (Object) d.longValue() : v);
    Result sameByValue = Result.of(first, Status.COMPLETE, null, "js", null, Instant.now(),
        List.of(new Epoch(1, 0, 0, 0.1, 0)), Map.of());
    String json = Json.MAPPER.writeValueAsString(sameByValue).replace(
        Json.MAPPER.writeValueAsString(first.params()), Json.MAPPER.writeValueAsString(asWritten));
    Files.writeString(study.result("s000000"), json);
    Setting second = Json.MAPPER.readValue(raw, io.hps.protocol.Batch.class).settings().get(1);
    DurableFiles.publishOnce(study.result("s000001"), Result.of(new Setting("s000001", 1, 0, 0, second.created(),
        second.params().with("lr", 9.0)), Status.COMPLETE, null, "evil", null, Instant.now(),
        List.of(new Epoch(1, 0, 0, 0, 0)), Map.of()));
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(1));
      master.step();
    }
    assertThat(Quarantine.list(study)).containsExactly("s000001.json");
    assertThat(Files.readString(study.quarantine().resolve("s000001.json.reason.txt")))
        .contains("parameter 'lr' is 9.0, not ");
    Setting retried = StudyDirectory.readSetting(study.pending().resolve("s000001.json"));
    assertThat(retried.history().get(0).reason()).contains("its result was quarantined").contains("parameter 'lr'");
  }

  @Test
  void resultsThatDoNotMatchTheirSettingAreQuarantined() throws Exception {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
    Master master = master(root, config("sync", 1, 1, 1, 60, 2), clock);
    StudyDirectory study = new StudyDirectory(root);
    master.step();
    Setting real = StudyDirectory.readSetting(study.pending().resolve("s000000.json"));
    Setting forged = new Setting("s000000", 0, 0, 0, real.created(), real.params().with("lr", 9.0));
    Setting unknown = new Setting("s000777", 0, 0, 0, real.created(), real.params());
    for (Setting s : List.of(forged, unknown)) {
      DurableFiles.publishOnce(study.result(s.id()), Result.of(s, Status.COMPLETE, null, "evil", null, Instant.now(),
          List.of(new Epoch(1, 0, 0, 0, 0)), Map.of()));
    }
    Files.writeString(study.results().resolve("junk.txt"), "hello");
    master.step(); // every poll: the awaited setting's result
    assertThat(Quarantine.list(study)).containsExactly("s000000.json");
    clock.advance(Duration.ofSeconds(1));
    master.step(); // once a second: a full listing finds the rest
    assertThat(Quarantine.list(study)).containsExactlyInAnyOrder("s000000.json", "s000777.json", "junk.txt");
    assertThat(Files.readString(study.quarantine().resolve("s000000.json.reason.txt"))).contains("differ");
    assertThat(Files.readString(study.quarantine().resolve("s000777.json.reason.txt"))).contains("never proposed");
  }

  @Test
  void temporaryFilesThatDeadWritersLeftAreRemovedAfterAnHour() throws Exception {
    SimulatedClock clock = new SimulatedClock(Instant.now());
    Master master = master(root, config("sync", 1, 1, 1, 60, 2), clock);
    StudyDirectory study = new StudyDirectory(root);
    Path old = study.batches().resolve(".tmp-b000026.json-1f2e");
    Path fresh = study.results().resolve(".tmp-s000000.json-3a4b");
    Files.writeString(old, "half a batch");
    Files.writeString(fresh, "a result being written");
    // A file's own time comes from its writer's clock: two hours old by it proves nothing.
    Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(clock.instant().minus(Duration.ofHours(2))));
    master.step();
    assertThat(old).exists();
    clock.advance(Duration.ofMinutes(61));
    Files.writeString(fresh, "a result being written, and more"); // its writer is alive
    master.step();
    assertThat(old).as("unchanged for an hour of the master's time").doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void statusCountsOnlyResultsThatMatchTheirSetting() throws Exception {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
    Master master = master(root, config("sync", 2, 1, 2, 60, 2), clock);
    StudyDirectory study = new StudyDirectory(root);
    master.step();
    for (String id : List.of("s000000", "s000001")) {
      Setting s = StudyDirectory.readSetting(study.pending().resolve(id + ".json"));
      Files.delete(study.pending().resolve(id + ".json"));
      DurableFiles.publishOnce(study.result(id), Result.of(s, Status.COMPLETE, null, "w", null, Instant.now(),
          List.of(new Epoch(1, 0, 0, id.endsWith("0") ? 0.3 : 0.2, 0)), Map.of()));
    }
    // A result rewritten in place after acceptance, with a better error and other parameters:
    Setting second = Json.MAPPER.readValue(Files.readString(study.batches().resolve("b000000.json")),
        io.hps.protocol.Batch.class).settings().get(1);
    var forged = Result.of(new Setting("s000001", 1, 0, 0, Instant.now(), second.params().with("lr", 123.0)),
        Status.COMPLETE, null, "evil", null, Instant.now(), List.of(new Epoch(1, 0, 0, 0.01, 0)), Map.of());
    Files.writeString(study.result("s000001"), Json.MAPPER.writeValueAsString(forged));
    io.hps.status.StudyStatus status = io.hps.status.StudyStatus.of(study);
    assertThat(status.complete()).isEqualTo(1);
    assertThat(status.unverified()).isEqualTo(1);
    assertThat(status.best().id()).isEqualTo("s000000");
  }

  @Test
  void aSettingNoBatchProposedIsQuarantinedBeforeAWorkerTrainsIt() throws Exception {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
    Master master = master(root, config("sync", 1, 1, 1, 60, 2), clock);
    StudyDirectory study = new StudyDirectory(root);
    master.step();
    Setting real = StudyDirectory.readSetting(study.pending().resolve("s000000.json"));
    DurableFiles.writeJson(study.pending().resolve("s000952.json"), new Setting("s000952", 0, 0, 0, real.created(),
        real.params()), false);
    clock.advance(Duration.ofSeconds(1));
    master.step();
    assertThat(Quarantine.list(study)).containsExactly("s000952.json");
    assertThat(StudyDirectory.list(study.pending())).containsExactly("s000000.json");
    // A result whose fields are missing says which, in words a worker's author can act on.
    Files.writeString(study.result("s000000"), "{\"schema\": 1, \"id\": \"s000000\", \"status\": \"complete\"}");
    clock.advance(Duration.ofSeconds(1));
    master.step();
    assertThat(Files.readString(study.quarantine().resolve("s000000.json.reason.txt")))
        .contains("field 'point' is missing or null, and it is required");
  }

  /** Issue 28: a master on another host whose clock is 10 minutes behind ours is alive while it beats. */
  @Test
  void aSecondMasterIsRefusedWhileTheFirstBeatsThoughItsClockIsTenMinutesBehind() throws Exception {
    StudyConfig config = config("sync", 1, 1, 1, 60, 2);
    master(root, config, Clock.systemUTC());
    StudyDirectory study = new StudyDirectory(root);
    Instant behind = Instant.now().minus(Duration.ofMinutes(10));
    var beating = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    java.util.concurrent.atomic.AtomicInteger beats = new java.util.concurrent.atomic.AtomicInteger();
    beating.scheduleAtFixedRate(() -> {
      try {
        DurableFiles.writeJson(study.master(), new io.hps.protocol.MasterStatus(1, "other-host", 1, behind,
            behind.plusSeconds(beats.incrementAndGet()), io.hps.protocol.MasterPhase.RUNNING, "tok"), false);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
    try {
      Master second = master(root, config, Clock.systemUTC());
      long start = System.nanoTime();
      org.assertj.core.api.Assertions.assertThatThrownBy(second::run).hasMessageContaining("another master")
          .hasMessageContaining("--force");
      assertThat(System.nanoTime() - start).as("decided at the next beat, not after the whole watch")
          .isLessThan(Duration.ofSeconds(5).toNanos());
    } finally {
      beating.shutdownNow();
    }
  }

  /** And one whose file stopped changing is dead, though its last heartbeat is 10 minutes in our future. */
  @Test
  void aSilentMasterOnAnotherHostIsTakenOverThoughItsClockIsTenMinutesAhead() throws Exception {
    StudyConfig config = config("sync", 1, 1, 1, 60, 2);
    master(root, config, Clock.systemUTC());
    StudyDirectory study = new StudyDirectory(root);
    Instant ahead = Instant.now().plus(Duration.ofMinutes(10));
    DurableFiles.writeJson(study.master(), new io.hps.protocol.MasterStatus(1, "other-host", 1, ahead, ahead,
        io.hps.protocol.MasterPhase.RUNNING, "tok"), false);
    Master second = master(root, config, Clock.systemUTC());
    second.open(false);
    second.step();
    assertThat(log.toString()).contains("watching its heartbeat", "no heartbeat from other-host in 15 s");
    assertThat(StudyDirectory.list(study.pending())).as("the new master proposed").isNotEmpty();
  }

  @Test
  void aMasterReplacedWithForceStopsProposingAndExits() throws Exception {
    StudyConfig config = config("async", 50, 1, 4, 60, 2);
    Master first = master(root, config, Clock.systemUTC());
    var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        first.run();
        return "finished";
      } catch (Exception e) {
        return e.getMessage();
      }
    });
    StudyDirectory study = new StudyDirectory(root);
    while (!Files.exists(study.batches().resolve("b000000.json"))) {
      Thread.sleep(10);
    }
    Master second = Master.of(study, config, Strategies.create(Strategy.RANDOM, SearchSpace.parse(config.space(), "t"),
        config.seed()), Clock.systemUTC(), new PrintWriter(log), new MasterOptions(2, true));
    var replacing = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        second.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(running.get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("took this study over");
    int batches = StudyDirectory.list(study.batches()).size();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (StudyDirectory.list(study.batches()).size() <= batches && System.nanoTime() < deadline) {
      Thread.sleep(10); // until the new master has written a batch of its own
    }
    second.stop();
    replacing.get(10, java.util.concurrent.TimeUnit.SECONDS);
    // No setting id was written into two batch files.
    List<String> ids = new java.util.ArrayList<>();
    for (String name : StudyDirectory.list(study.batches())) {
      Json.MAPPER.readValue(Files.readString(study.batches().resolve(name)), io.hps.protocol.Batch.class).settings()
          .forEach(st -> ids.add(st.id()));
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(batches).isPositive();
    assertThat(Json.MAPPER.readValue(Files.readString(study.master()), io.hps.protocol.MasterStatus.class).phase())
        .isEqualTo(io.hps.protocol.MasterPhase.STOPPED);
  }
}
