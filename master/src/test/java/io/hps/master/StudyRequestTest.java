package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.json.Json;
import io.hps.protocol.Mode;
import io.hps.protocol.StopOptions;
import io.hps.protocol.Stopping;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules that create and resume a study, without a command line. */
class StudyRequestTest {
  final StringWriter out = new StringWriter();

  static SearchSpace space(String json) throws Exception {
    return SearchSpace.parse(Json.MAPPER.readTree(json), "t");
  }

  static final String SPACE = "{\"parameters\": {\"model\": \"synthetic\", \"epochs\": 9,"
      + " \"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 1}}}";

  static StudyRequest request(SearchSpace space, Strategy strategy, Long seed, Integer trials, StudyRequest.Stop stop,
      List<String> sets) {
    return new StudyRequest(space, sets, new StudyRequest.Search(strategy, seed, trials, null, null, null, null),
        new StudyRequest.Pace(null, null, null, null), stop);
  }

  @Test
  void aNewStudyGetsTheDefaultsAndKeepsWhatWasAsked() throws Exception {
    StudyConfig c = request(space(SPACE), null, null, null, null, List.of("lr=0.1"))
        .create("demo", 4, new PrintWriter(out, true));
    assertThat(c.strategy()).isEqualTo(Strategy.RANDOM);
    assertThat(c.trials()).isEqualTo(100);
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.batch()).isEqualTo(4);
    assertThat(c.mode()).isEqualTo(Mode.SYNC);
    assertThat(c.stop()).isNull();
    assertThat(c.searchSpace().parameters()).noneMatch(p -> p.searched());
    StudyConfig halving = request(space(SPACE), Strategy.SUCCESSIVE_HALVING, null, 9, null, List.of())
        .create("sh", 4, new PrintWriter(out, true));
    assertThat(out.toString()).contains("successive-halving: 1 brackets, 13 settings, 21 epochs in all (promoted"
        + " settings continue from their parent's checkpoint; 27 if retrained)");
    assertThat(halving.trials()).isEqualTo(9);
    assertThat(halving.keepsCheckpoints()).as("on by default for the halving strategies").isTrue();
    assertThat(c.keepsCheckpoints()).isFalse();
  }

  @Test
  void stopOptionsAreKeptOnlyWhenGivenAndNeedARule() throws Exception {
    StudyConfig plain = request(space(SPACE), null, null, 10, new StudyRequest.Stop(Stopping.MEDIAN,
        StopOptions.DEFAULTS), List.of()).create("m", 2, new PrintWriter(out, true));
    assertThat(plain.stop()).isEqualTo(Stopping.MEDIAN);
    assertThat(plain.stopOptions()).as("defaults are not written").isNull();
    StudyConfig tuned = request(space(SPACE), null, null, 10, new StudyRequest.Stop(Stopping.PREDICTED,
        new StopOptions(3, 4, 1.0)), List.of()).create("p", 2, new PrintWriter(out, true));
    assertThat(tuned.stopOptions()).isEqualTo(new StopOptions(3, 4, 1.0));
    assertThatThrownBy(() -> request(space(SPACE), null, null, 10, new StudyRequest.Stop(null,
        new StopOptions(3, null, null)), List.of()).create("x", 2, new PrintWriter(out, true)))
        .hasMessageContaining("need --stop");
    assertThatThrownBy(() -> request(space(SPACE), null, null, 10, new StudyRequest.Stop(Stopping.MEDIAN,
        new StopOptions(null, null, 5.0)), List.of())).hasMessageContaining("--stop-z is for --stop predicted");
    assertThatThrownBy(() -> request(space("{\"parameters\": {\"model\": \"synthetic\", \"lr\": [0.1, 0.2]}}"),
        null, null, 2, new StudyRequest.Stop(Stopping.MEDIAN, null), List.of()).create("x", 2,
        new PrintWriter(out, true))).isInstanceOf(SpaceException.class).hasMessageContaining("needs the space's 'epochs'");
  }

  @Test
  void aResumeTakesNewTrialsAndRefusesAnotherSeedStrategyOrRule() throws Exception {
    StudyConfig old = request(space(SPACE), null, 7L, 10, new StudyRequest.Stop(Stopping.MEDIAN, null), List.of())
        .create("r", 2, new PrintWriter(out, true));
    StudyConfig more = request(null, null, null, 20, null, List.of()).resume(old, "runs/r", new PrintWriter(out, true));
    assertThat(more.trials()).isEqualTo(20);
    assertThat(more.seed()).isEqualTo(7);
    assertThat(more.stop()).isEqualTo(Stopping.MEDIAN);
    assertThatThrownBy(() -> request(null, null, 8L, null, null, List.of()).resume(old, "runs/r",
        new PrintWriter(out, true))).hasMessageContaining("runs/r was created with --seed 7, not 8");
    assertThatThrownBy(() -> request(null, Strategy.GRID, null, null, null, List.of()).resume(old, "runs/r",
        new PrintWriter(out, true))).hasMessageContaining("--strategy random, not grid");
    assertThatThrownBy(() -> request(null, null, null, null, new StudyRequest.Stop(Stopping.PREDICTED, null),
        List.of()).resume(old, "runs/r", new PrintWriter(out, true))).hasMessageContaining("with --stop median, not with --stop predicted");
    StudyConfig tuned = request(space(SPACE), null, null, 10, new StudyRequest.Stop(Stopping.MEDIAN,
        new StopOptions(3, 4, null)), List.of()).create("t", 2, new PrintWriter(out, true));
    StudyRequest sameOptions = request(null, null, null, null, new StudyRequest.Stop(null, new StopOptions(3, 4, null)),
        List.of());
    assertThat(sameOptions.resume(tuned, "runs/t", new PrintWriter(out, true)).stopOptions())
        .isEqualTo(new StopOptions(3, 4, null));
    assertThatThrownBy(() -> request(null, null, null, null, new StudyRequest.Stop(null, new StopOptions(2, null,
        null)), List.of()).resume(tuned, "runs/t", new PrintWriter(out, true)))
        .hasMessageContaining("with stopping-rule options --stop-min-epochs 3 --stop-min-trials 4, not --stop-min-epochs 2");
    assertThatThrownBy(() -> request(null, null, null, null, null, List.of("lr=0.5")).resume(old, "runs/r",
        new PrintWriter(out, true))).isInstanceOf(SpaceException.class).hasMessageContaining("another search space");
  }

  @Test
  void aResumeWithTheSpaceFileAloneKeepsTheStudysSetValues() throws Exception {
    StudyConfig old = request(space(SPACE), null, null, 10, null, List.of("epochSeconds=0.2", "epochs=3"))
        .create("s", 2, new PrintWriter(out, true));
    assertThat(old.sets()).containsExactly("epochSeconds=0.2", "epochs=3");
    assertThat(Json.MAPPER.writeValueAsString(old)).contains("\"sets\"");
    // README: leaving --set out keeps what the study has.
    StudyConfig resumed = request(space(SPACE), null, null, 12, null, List.of()).resume(old, "runs/s",
        new PrintWriter(out, true));
    assertThat(resumed.trials()).isEqualTo(12);
    assertThat(resumed.sets()).containsExactly("epochSeconds=0.2", "epochs=3");
    // Giving --set means giving them all; a refusal names every value that differs, both ways.
    assertThatThrownBy(() -> request(space(SPACE), null, null, null, null, List.of("epochSeconds=0.3"))
        .resume(old, "runs/s", new PrintWriter(out, true))).isInstanceOf(SpaceException.class)
        .hasMessageContaining("runs/s was created with another search space: 'epochs' is 3 in study.json but 9 from"
            + " the space file and --set; 'epochSeconds' is 0.2 in study.json but 0.3 from the space file and --set.");
    SearchSpace wider = space(SPACE.replace("\"high\": 1}", "\"high\": 2}"));
    assertThatThrownBy(() -> request(wider, null, null, null, null, List.of()).resume(old, "runs/s",
        new PrintWriter(out, true))).hasMessageContaining("'lr' is {\"type\":\"loguniform\",\"low\":0.01,\"high\":1.0}"
        + " in study.json but {\"type\":\"loguniform\",\"low\":0.01,\"high\":2.0} from the space file with the"
        + " study's --set epochSeconds=0.2 --set epochs=3");
  }

  @Test
  void aStudyMadeBeforeSetValuesWereKeptSaysWhichSetWouldResumeIt() throws Exception {
    StudyConfig made = request(space(SPACE), null, null, 10, null, List.of("epochSeconds=0.2"))
        .create("o", 2, new PrintWriter(out, true));
    StudyConfig old = made.toBuilder().sets(List.of()).build(); // study.json as earlier versions wrote it
    assertThatThrownBy(() -> request(space(SPACE), null, null, null, null, List.of()).resume(old, "runs/o",
        new PrintWriter(out, true))).hasMessageContaining("'epochSeconds' is 0.2 in study.json but missing from the"
        + " space file").hasMessageContaining("(if the study was made with --set: --set epochSeconds=0.2)");
    assertThat(request(space(SPACE), null, null, null, null, List.of("epochSeconds=0.2")).resume(old, "runs/o",
        new PrintWriter(out, true)).trials()).isEqualTo(10);
  }

  @Test
  void epochsAndSeedsThatCannotTrainAreRefusedForEveryTrainer() throws Exception {
    for (String bad : List.of("epochs=0", "epochs=abc", "epochs=2.5", "seed=x")) {
      assertThatThrownBy(() -> request(space(SPACE), null, null, 2, null, List.of(bad)).create("x", 2,
          new PrintWriter(out, true))).as(bad).isInstanceOf(SpaceException.class)
          .hasMessageContaining("parameter '" + bad.substring(0, bad.indexOf('=')) + "' (");
    }
    assertThatThrownBy(() -> request(space(SPACE.replace("\"epochs\": 9", "\"epochs\": {\"type\": \"int\", \"low\": 0,"
        + " \"high\": 5}")), null, null, 2, null, List.of()).create("x", 2, new PrintWriter(out, true)))
        .hasMessageContaining("parameter 'epochs' (the number of epochs to train) must be 1 to 1000000, but the space"
            + " draws it from [0, 5]");
  }
}
