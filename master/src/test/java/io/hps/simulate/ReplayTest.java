package io.hps.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.protocol.Stopping;
import io.hps.protocol.Strategy;
import io.hps.stopping.StoppingRules;
import io.hps.strategy.Strategies;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
  /** 30 curves in Baker et al.'s CSV format: accuracy rises to 1 - floor, the floor set by lr. */
  static Path bakerCsv(Path dir) throws Exception {
    StringBuilder csv = new StringBuilder("lr,momentum");
    for (int e = 1; e <= 9; e++) {
      csv.append(",acc_").append(e);
    }
    csv.append('\n');
    for (int i = 0; i < 30; i++) {
      double lr = Math.pow(10, -3 + 2.5 * i / 29.0);
      double floor = 0.02 + 0.3 * Math.abs(Math.log10(lr) + 1.5);
      csv.append(lr).append(',').append(0.1 * (i % 10));
      for (int e = 1; e <= 9; e++) {
        csv.append(',').append(1 - (floor + 0.6 * Math.pow(0.6, e)));
      }
      csv.append('\n');
    }
    return Files.writeString(dir.resolve("curves.csv"), csv);
  }

  @Test
  void bakerCsvCurvesReadAsErrorsWithTheirHyperparameters(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    assertThat(rec.runs()).hasSize(30);
    assertThat(rec.maxEpochs()).isEqualTo(9);
    Recorded.Run first = rec.runs().get(0);
    assertThat(first.params().getDouble("lr")).isEqualTo(0.001);
    assertThat(first.valErrors()[8]).isCloseTo(0.02 + 0.45 + 0.6 * Math.pow(0.6, 9), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(rec.answer(first.params())).isSameAs(first); // an exact match answers with its own curve
  }

  @Test
  void butterSummariesGiveCurvesFromTheirPerEpochMedians(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("butter.csv"), "shape,depth,learning_rate,test_accuracy_median\n"
        + "rectangle,3,0.001,\"[0.5, 0.7, 0.8]\"\n" + "trapezoid,5,0.0001,\"[0.3, 0.4, 0.45]\"\n");
    Recorded rec = Recorded.read(csv);
    assertThat(rec.runs()).hasSize(2);
    assertThat(rec.runs().get(0).valErrors()).containsExactly(0.5, 0.30000000000000004, 0.19999999999999996);
    assertThat(rec.runs().get(1).params().values()).containsEntry("shape", "trapezoid").containsEntry("depth", 5.0);
    assertThat(rec.maxEpochs()).isEqualTo(3);
    // the nearest recorded setting answers: same shape, learning rate closer on the log scale
    var query = rec.runs().get(1).params().with("learning_rate", 0.0002);
    assertThat(rec.answer(query)).isSameAs(rec.runs().get(1));
  }

  @Test
  void aReplayIsDeterministicForASeedAndHalvingSpendsFewerEpochs(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    Replay once = Replay.run(rec, Strategy.RANDOM, Stopping.MEDIAN, 5, Replay.Setup.of(30));
    Replay again = Replay.run(rec, Strategy.RANDOM, Stopping.MEDIAN, 5, Replay.Setup.of(30));
    assertThat(again.epochs()).isEqualTo(once.epochs());
    assertThat(again.best()).isEqualTo(once.best());
    Replay random = Replay.run(rec, Strategy.RANDOM, null, 5, Replay.Setup.of(30));
    assertThat(random.epochs()).isEqualTo(30 * 9);
    assertThat(once.epochs()).isLessThan(random.epochs());
    Replay halving = Replay.run(rec, Strategy.SUCCESSIVE_HALVING, null, 5, Replay.Setup.of(27));
    assertThat(halving.epochs()).isEqualTo(27 + 9 * 3 + 3 * 9); // rungs of 27, 9 and 3 settings
    assertThat(halving.best()).isLessThan(0.1);
    assertThat(random.trace()).isNotEmpty();
    assertThat(random.bestAfter(random.epochs())).isEqualTo(random.best());
  }

  /** Issue 27: each result's epochs-so-far, and the front's hypervolume against them. */
  @Test
  void eachResultKnowsTheEpochsSpentWhenItCameAndTheHypervolumeOnlyGrows(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    Replay random = Replay.run(rec, Strategy.RANDOM, null, 3, Replay.Setup.of(30));
    // one worker, every setting trained for its 9 epochs: the k-th result came after 9k epochs
    for (int i = 0; i < 30; i++) {
      assertThat(random.valuesAt()[i]).isEqualTo(9L * (i + 1));
    }
    assertThat(random.valuesAfter(9 * 10)).hasSize(10);
    assertThat(random.valuesAfter(8)).isEmpty();
    var aims = new io.hps.master.StudyRequest.Aims(java.util.List.of(io.hps.protocol.Objective.parse("valError"),
        io.hps.protocol.Objective.parse("trainSeconds")), java.util.List.of());
    ReplayComparison halving = ReplayComparison.of(rec, Strategy.SUCCESSIVE_HALVING, null, 3,
        Replay.Setup.of(27).aiming(aims));
    ObjectiveScale scale = ObjectiveScale.of(java.util.List.of(halving), aims.objectives());
    var curve = halving.hypervolumeCurve(0, halving.meanEpochs(), scale);
    assertThat(curve.x()[0]).as("from the first budget where every seed has a result").isEqualTo(1.0);
    for (int i = 1; i < curve.y().length; i++) {
      assertThat(curve.y()[i]).isGreaterThanOrEqualTo(curve.y()[i - 1]);
    }
    double end = curve.y()[curve.y().length - 1];
    assertThat(end).isEqualTo(scale.meanHypervolume(halving)).isEqualTo(halving.meanHypervolumeAfter(1e9, scale))
        .isGreaterThan(curve.y()[0]).isLessThanOrEqualTo(1.21);
    // the first result alone: the rectangle between its scaled point and the reference point
    double[] first = halving.replays().get(0).values().get(0);
    assertThat(scale.hypervolume(java.util.List.of(first))).isPositive()
        .isEqualTo(scale.hypervolume(java.util.List.of(first, first)));
  }

  @Test
  void severalSimulatedWorkersShareTheWallClockAndTrainTheSameEpochs(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    Replay one = Replay.run(rec, Strategy.RANDOM, null, 3, Replay.Setup.of(30));
    Replay three = Replay.run(rec, Strategy.RANDOM, null, 3, Replay.Setup.of(30).workers(3).batch(3, io.hps.protocol.Mode.ASYNC));
    assertThat(three.epochs()).isEqualTo(one.epochs());
    assertThat(three.best()).isEqualTo(one.best());
    assertThat(one.wallSeconds()).isEqualTo(one.seconds()); // the CSV has no times: 1 s an epoch
    assertThat(three.wallSeconds()).isEqualTo(one.seconds() / 3);
    Replay synchronous = Replay.run(rec, Strategy.SUCCESSIVE_HALVING, null, 3, Replay.Setup.of(27).workers(3));
    assertThat(synchronous.epochs()).isEqualTo(27 + 9 * 3 + 3 * 9);
    assertThat(synchronous.wallSeconds()).isEqualTo(9 + 9 + 9); // each rung: a third of its epochs per worker
  }

  /**
   * Issue 26: the simulator runs the study's own lease and retry rules (the same StudyRules as a study
   * directory): a worker that dies leaves a silent claim, the lease expires, the setting is trained again.
   */
  @Test
  void workersThatDieCostEpochsAndWallClockButEverySettingGetsItsResult(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    Replay.Setup two = Replay.Setup.of(30).workers(2);
    Replay healthy = Replay.run(rec, Strategy.RANDOM, null, 5, two);
    Replay failing = Replay.run(rec, Strategy.RANDOM, null, 5, two.failing(0.3));
    Replay again = Replay.run(rec, Strategy.RANDOM, null, 5, two.failing(0.3));
    assertThat(healthy.lost()).isZero();
    assertThat(failing.lost()).isPositive();
    assertThat(failing.epochs()).isGreaterThan(healthy.epochs());
    assertThat(failing.wallSeconds()).as("each lost claim waits for its lease").isGreaterThan(healthy.wallSeconds()
        + 120);
    assertThat(again.epochs()).as("deterministic for a seed").isEqualTo(failing.epochs());
    assertThat(again.lost()).isEqualTo(failing.lost());
    var config = io.hps.protocol.StudyConfig.builder(rec.space().toJson(), Strategy.RANDOM).seed(5).trials(30)
        .batch(2, io.hps.protocol.Mode.ASYNC).lease(60, 1).build();
    Simulation.Outcome outcome = new Simulation(rec, config, Strategies.create(Strategy.RANDOM, rec.space(), config),
        null, 2, 0.5).run();
    assertThat(outcome.results()).hasSize(30);
    assertThat(outcome.results()).as("past one retry a setting fails, with every attempt's reason")
        .anySatisfy(r -> {
          assertThat(r.status()).isEqualTo(io.hps.protocol.Status.FAILED);
          assertThat(r.reason()).contains("retry budget of 1 spent").contains("lease expired");
        });
    assertThatThrownBy(() -> two.failing(1.0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWorkerSeesAStopRequestWhenTheEpochAfterTheJudgedOneEnds(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    var config = io.hps.protocol.StudyConfig.builder(rec.space().toJson(), Strategy.RANDOM).seed(7).trials(30)
        .batch(1, io.hps.protocol.Mode.SYNC).lease(3600, 0).stop(Stopping.MEDIAN, null).build();
    Simulation.Outcome outcome = new Simulation(rec, config, Strategies.create(Strategy.RANDOM, rec.space(), config),
        StoppingRules.create(Stopping.MEDIAN), 1).run();
    var stopped = outcome.results().stream().filter(r -> r.status() == io.hps.protocol.Status.STOPPED).toList();
    assertThat(stopped).isNotEmpty().allSatisfy(r -> {
      // median judges from epoch 2; the request is written after the worker reported epoch 2, so it sees it
      // when epoch 3 ends, like a real worker
      assertThat(r.epochs()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(r.reason()).isNotBlank();
    });
    assertThat(outcome.results()).hasSize(30);
  }

  @Test
  void promotedSettingsThatContinueTheirParentSpendOnlyTheNewEpochs(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    Replay retrained = Replay.run(rec, Strategy.SUCCESSIVE_HALVING, null, 5, Replay.Setup.of(27));
    Replay continued = Replay.run(rec, Strategy.SUCCESSIVE_HALVING, null, 5, Replay.Setup.of(27).continuing(true));
    assertThat(retrained.epochs()).isEqualTo(27 + 9 * 3 + 3 * 9);
    assertThat(continued.epochs()).isEqualTo(27 + 9 * (3 - 1) + 3 * (9 - 3));
    assertThat(continued.best()).isEqualTo(retrained.best()); // the same curves, only not paid for twice
  }
}
