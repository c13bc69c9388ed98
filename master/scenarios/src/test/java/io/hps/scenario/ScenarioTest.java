package io.hps.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.protocol.Strategy;
import io.hps.space.Parameter;
import io.hps.space.Range;
import io.hps.space.SearchSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScenarioTest {
  static List<Object> values(SearchSpace space, String name) {
    return space.grid().stream().map(p -> p.values().get(name)).distinct().collect(Collectors.toList());
  }

  @Test
  void theGridScenariosHoldTheExercisesValues() {
    SearchSpace one = Scenario.number(1).space();
    assertThat(values(one, "lr")).containsExactly(0.001, 0.01, 0.02, 0.03, 0.05, 0.1, 1.0, 2.0);
    assertThat(Scenario.number(1).repeats(false)).isEqualTo(3);
    SearchSpace two = Scenario.number(2).space();
    assertThat(two.gridSize()).isEqualTo(9);
    assertThat(values(two, "bs")).containsExactly(20L, 100L, 500L);
    assertThat(values(Scenario.number(3).space(), "m")).containsExactly(0.0, 0.5, 0.9);
    assertThat(values(Scenario.number(4).space(), "nf")).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L);
    for (int n = 1; n <= 4; n++) {
      assertThat(Scenario.number(n).strategy()).isEqualTo(Strategy.GRID);
      assertThat(Scenario.number(n).space().grid()).allSatisfy(p -> assertThat(p.values())
          .containsEntry("model", "cnn").containsEntry("trainSize", 5000L).containsEntry("valSize", 10000L));
    }
  }

  @Test
  void theRandomSearchScenariosUseTheExercisesRanges() {
    for (int n : new int[] {5, 6}) {
      Map<String, Parameter> params = Scenario.number(n).space().parameters().stream()
          .collect(Collectors.toMap(Parameter::name, p -> p));
      Range nf = (Range) params.get("nf");
      assertThat(List.of(nf.kind(), nf.low(), nf.high(), nf.log())).containsExactly(Range.Kind.INT, 10.0, 100.0, false);
      Range lr = (Range) params.get("lr");
      assertThat(List.of(lr.kind(), lr.low())).containsExactly(Range.Kind.LOGUNIFORM, 0.01);
      assertThat(lr.high()).isCloseTo(Math.pow(10, -0.5), org.assertj.core.data.Offset.offset(1e-12));
      Range bs = (Range) params.get("bs");
      assertThat(List.of(bs.kind(), bs.low(), bs.high(), bs.log())).containsExactly(Range.Kind.INT, 16.0, 256.0, true);
      Range m = (Range) params.get("m");
      assertThat(List.of(m.kind(), m.low(), m.high())).containsExactly(Range.Kind.UNIFORM, 0.0, 1.0);
      assertThat(Scenario.number(n).strategy()).isEqualTo(Strategy.RANDOM);
    }
    assertThat(Scenario.number(5).trials(false)).isEqualTo(100);
    assertThat(Scenario.number(6).workers()).isEqualTo(2);
  }

  @Test
  void builtInSpacesAreTheFilesInSearchSpaces() {
    for (Scenario s : Scenario.values()) {
      assertThat(s.space()).isEqualTo(SearchSpace.read(Path.of(System.getProperty("hps.root", ".."), "search-spaces", s.spaceFile())));
    }
  }

  @Test
  void quickShrinksDataAndEpochsAndSettings() {
    SearchSpace quick = Scenario.number(1).space();
    for (String set : Scenario.number(1).quickSets()) {
      quick = quick.withSet(set);
    }
    assertThat(quick.grid().get(0).values()).containsEntry("epochs", 3L).containsEntry("trainSize", 1000L);
    assertThat(Scenario.number(1).repeats(true)).isLessThan(Scenario.number(1).repeats(false));
    assertThat(Scenario.number(5).trials(true)).isLessThan(Scenario.number(5).trials(false));
    assertThat(Scenario.number(4).quickSets()).contains("trainSize=500");
  }

  @Test
  void thereAreSixScenarios() {
    assertThatThrownBy(() -> Scenario.number(7)).hasMessageContaining("1 to 6, not 7");
  }
}
