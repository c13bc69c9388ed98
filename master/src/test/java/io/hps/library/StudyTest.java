package io.hps.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;
import io.hps.study.StudyDirectory;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import io.hps.trainer.TrainerParameter;
import io.hps.trainer.TrainerParameters;
import io.hps.trainer.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library: optimize and ask/tell in this JVM, over the same files as the command line. */
class StudyTest {
  @TempDir
  Path root;

  static SearchSpace space(String json) throws Exception {
    return SearchSpace.parse((ObjectNode) Json.MAPPER.readTree(json), "test");
  }

  static final String LR = "{\"parameters\": {\"lr\": {\"type\": \"loguniform\", \"low\": 0.001, \"high\": 1}}}";

  /** A made-up validation error, lowest at lr = 0.1. */
  static double error(double lr) {
    double d = Math.log10(lr) + 1;
    return Math.min(1, 0.05 + 0.1 * d * d);
  }

  @Test
  void optimizeRunsAPlainFunctionOnThreadsAndFindsItsLowValuesAndCleansUp() throws Exception {
    Path dir;
    try (Study study = Study.builder(space(LR)).strategy("tpe").seed(3).build()) {
      dir = study.directory();
      List<Result> results = study.optimize(Objective.of(p -> error(p.getDouble("lr"))), 30, 2);
      assertThat(results).hasSize(30).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.COMPLETE));
      assertThat(results.stream().map(Result::worker).distinct()).as("both threads trained").hasSize(2);
      Result best = study.best().orElseThrow();
      assertThat(best.objective().orElseThrow()).isLessThan(0.08);
      assertThat(best.params().getString("model")).isEqualTo(Study.MODEL);
      assertThat(study.results()).hasSize(30);
      assertThat(io.hps.status.StudyStatus.of(new StudyDirectory(dir)).complete()).as("hps status reads it")
          .isEqualTo(30);
    }
    assertThat(dir).as("a temporary study is deleted on close").doesNotExist();
  }

  @Test
  void twoObjectivesGiveTheFrontOfTheirTradeOff() throws Exception {
    // error lowest at lr = 0.1; "size" grows with lr: the front runs from the smallest lr to about 0.1
    Objective both = (trial, sink) -> {
      double lr = trial.params().getDouble("lr");
      Epoch epoch = new Epoch(1, error(lr), error(lr), error(lr), 0.01, null, null, Map.of("size", 1000 * lr));
      sink.accept(epoch);
      return Outcome.complete(List.of(epoch), Map.of());
    };
    try (Study study = Study.builder(space(LR)).strategy("tpe").seed(4).objectives("valError", "size")
        .constraints("size<=500").build()) {
      List<Result> results = study.optimize(both, 40, 2);
      List<Result> front = study.front();
      // A sampled point past the minimum (0.1) is on the front while nothing between the two was sampled, so the
      // bound allows some way past it (0.2: error 0.059), not the far side of the range.
      assertThat(front).isNotEmpty().allSatisfy(r -> assertThat(r.params().getDouble("lr")).isBetween(0.001, 0.2));
      for (Result f : front) {
        double e = f.objective().orElseThrow();
        double size = f.epochs().get(0).metrics().get("size");
        assertThat(results).noneMatch(r -> r.objective().orElseThrow() <= e && r.epochs().get(0).metrics().get("size")
            <= size && (r.objective().orElseThrow() < e || r.epochs().get(0).metrics().get("size") < size));
      }
    }
  }

  @Test
  void aStudyInADirectoryResumesWithMoreTrialsAndOpenFindsIt() throws Exception {
    Path dir = root.resolve("study");
    Objective objective = Objective.of(p -> error(p.getDouble("lr")));
    try (Study study = Study.builder(space(LR)).seed(1).directory(dir).build()) {
      assertThat(study.optimize(objective, 6, 2)).hasSize(6);
    }
    assertThat(dir.resolve("study.json")).exists();
    try (Study again = Study.open(dir)) {
      assertThat(again.optimize(objective, 10, 1)).hasSize(10);
      assertThat(again.results()).extracting(Result::id).doesNotHaveDuplicates().hasSize(10);
    }
    assertThat(dir).as("a study of yours is kept").exists();
  }

  @Test
  void epochsAreReportedAndTheStoppingRuleStopsTheWorstOnes() throws Exception {
    SearchSpace space = space("{\"parameters\": {\"epochs\": 8, \"lr\": {\"type\": \"loguniform\", \"low\": 0.001,"
        + " \"high\": 1}}}");
    Objective curve = (trial, sink) -> {
      List<Epoch> done = new ArrayList<>();
      double target = error(trial.params().getDouble("lr"));
      for (int e = 1; e <= trial.epochs(); e++) {
        double err = target + 0.5 / e;
        Epoch epoch = new Epoch(e, err, err, Math.min(1, err), e);
        done.add(epoch);
        Thread.sleep(150); // the master reads running curves once a second: epochs it can see
        if (!sink.accept(epoch) && e < trial.epochs()) {
          return Outcome.stopped("asked to stop", done, Map.of());
        }
      }
      return Outcome.complete(done, Map.of());
    };
    try (Study study = Study.builder(space).seed(5).stop("median").build()) {
      List<Result> results = study.optimize(curve, 12, 2);
      assertThat(results).hasSize(12);
      assertThat(results).anySatisfy(r -> assertThat(r.epochs()).hasSize(8));
      assertThat(results).as("the median rule stopped some").anySatisfy(r -> {
        assertThat(r.status()).isEqualTo(Status.STOPPED);
        assertThat(r.epochs().size()).isLessThan(8);
      });
    }
  }

  /** A trainer that declares what it reads: the study is refused before anything trains. */
  record Declaring() implements Trainer {
    static final TrainerParameters PARAMETERS = TrainerParameters.of(TrainerParameter.real("lr", 0, 1, 0.1, "the learning rate"));

    @Override
    public String model() {
      return "mine";
    }

    @Override
    public Outcome train(Trial trial, EpochSink sink) {
      double lr = PARAMETERS.getDouble(trial.params(), "lr");
      Epoch e = new Epoch(1, lr, lr, lr, 0);
      sink.accept(e);
      return Outcome.complete(List.of(e), Map.of());
    }

    @Override
    public TrainerParameters parameters() {
      return PARAMETERS;
    }
  }

  @Test
  void aSpaceTheTrainerDoesNotReadIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path dir = root.resolve("refused");
    SearchSpace typo = space("{\"parameters\": {\"learningRate\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}}}");
    try (Study study = Study.builder(typo).directory(dir).build()) {
      assertThatThrownBy(() -> study.optimize(new Declaring(), 5, 1)).isInstanceOf(SpaceException.class)
          .hasMessageContaining("the trainer 'mine'").hasMessageContaining("learningRate").hasMessageContaining("lr");
    }
    assertThat(dir.resolve("study.json")).doesNotExist();
  }

  @Test
  void aTrainerOfItsOwnModelTrainsASpaceThatNamesNone() throws Exception {
    SearchSpace space = space("{\"parameters\": {\"lr\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}}}");
    try (Study study = Study.builder(space).build()) {
      List<Result> results = study.optimize(new Declaring(), 4, 2);
      assertThat(results).hasSize(4).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(Status.COMPLETE);
        assertThat(r.params().getString("model")).isEqualTo("mine");
      });
    }
  }

  @Test
  void aStudyWhoseEverySettingFailsIsAnErrorWithTheReason() throws Exception {
    try (Study study = Study.builder(space(LR)).build()) {
      assertThatThrownBy(() -> study.optimize(Objective.of(p -> 2.5), 3, 1)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("every one of the 3 settings failed").hasMessageContaining("valError must lie in [0, 1]");
    }
  }

  @Test
  void askingAgainBeforeTellingWhenTheWindowIsFullSaysSoInsteadOfWaiting() throws Exception {
    try (Study study = Study.builder(space(LR)).build()) {
      Asked first = study.ask(5).orElseThrow();
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
          assertThatThrownBy(study::ask).isInstanceOf(IllegalStateException.class).hasMessageContaining(first.id())
              .hasMessageContaining("in flight"));
      study.tell(first, Double.NaN);
      assertThatThrownBy(() -> study.tell(first, 0.5)).hasMessageContaining("told already");
      Asked second = study.ask().orElseThrow();
      study.tell(second, 0.5);
      assertThat(study.results()).extracting(Result::status).containsExactlyInAnyOrder(Status.DIVERGED,
          Status.COMPLETE);
    }
  }

  @Test
  void askAndTellDriveTheStudyFromYourOwnLoop() throws Exception {
    Path dir = root.resolve("asked");
    try (Study study = Study.builder(space(LR)).strategy("tpe").seed(2).directory(dir).build()) {
      int told = 0;
      for (Optional<Asked> next = study.ask(12); next.isPresent(); next = study.ask()) {
        Asked a = next.get();
        assertThat(a.attempt()).isEqualTo(1);
        if (told == 3) {
          study.tellFailed(a, "out of memory (made up)");
        } else {
          study.tell(a, error(a.params().getDouble("lr")));
        }
        told++;
      }
      assertThat(told).isEqualTo(12);
      List<Result> results = study.results();
      assertThat(results).hasSize(12);
      assertThat(results).filteredOn(r -> r.status() == Status.FAILED).singleElement()
          .satisfies(r -> assertThat(r.reason()).contains("made up"));
      assertThat(study.best()).isPresent();
    }
    assertThat(Files.readString(dir.resolve("master.json"))).contains("finished");
  }

  @Test
  void askingAgainBeforeTellingInASynchronousStudySaysWhatItWaitsFor() throws Exception {
    try (Study study = Study.builder(space(LR)).batch(1, "sync").build()) {
      Asked first = study.ask(3).orElseThrow();
      assertThatThrownBy(study::ask).isInstanceOf(IllegalStateException.class).hasMessageContaining(first.id())
          .hasMessageContaining("told");
      study.tell(first, 0.5);
      assertThat(study.ask()).isPresent();
    }
  }
}
