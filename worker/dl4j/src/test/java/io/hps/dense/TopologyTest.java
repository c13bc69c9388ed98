package io.hps.dense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyTest {
  @Test
  void countsWeightsAndBiasesOfEveryLayer() {
    // 784*16+16 + 16*16+16 + 16*10+10
    assertThat(Topology.parameters(784, new int[] {16, 16}, 10)).isEqualTo(13002);
    assertThat(Topology.parameters(4, new int[] {}, 3)).isEqualTo(15);
  }

  @ParameterizedTest(name = "{0} depth {1} width {2}")
  @CsvSource({
      // shape, depth, base width, hidden widths, parameters (worked out by hand)
      "rectangle, 3, 16, 16 16, 13002",
      "rectangle_residual, 3, 16, 16 16, 13002",
      "wide_first_2x, 3, 10, 20 10, 16020",
      "wide_first_16x, 2, 1, 16, 12730",
      "trapezoid, 4, 30, 30 23 17, 24851",
      "exponential, 4, 40, 40 25 16, 33011"})
  void shapesGiveTheWidthsWorkedOutByHand(String shape, int depth, int w, String widths, long parameters) {
    Shape s = Shape.parse(shape);
    int[] expected = java.util.Arrays.stream(widths.split(" ")).mapToInt(Integer::parseInt).toArray();
    assertThat(s.widths(w, depth, 10)).containsExactly(expected);
    assertThat(Topology.parameters(784, expected, 10)).isEqualTo(parameters);
    Topology solved = Topology.solve(s, depth, parameters, 784, 10);
    assertThat(solved.widths()).containsExactly(expected);
    assertThat(solved.parameters()).isEqualTo(parameters);
  }

  @Test
  void solvingPicksTheClosestCount() {
    // rectangle depth 3: w=16 gives 13002, w=17 gives 784*17+17 + 17*17+17 + 17*10+10 = 13831
    assertThat(Topology.solve(Shape.RECTANGLE, 3, 13400, 784, 10).parameters()).isEqualTo(13002);
    assertThat(Topology.solve(Shape.RECTANGLE, 3, 13500, 784, 10).parameters()).isEqualTo(13831);
    assertThat(Topology.solve(Shape.RECTANGLE, 3, 1, 784, 10).widths()).containsExactly(1, 1);
    Topology big = Topology.solve(Shape.EXPONENTIAL, 6, 1 << 20, 784, 10);
    assertThat(Math.abs(big.parameters() - (1 << 20)) / (double) (1 << 20)).isLessThan(0.01);
  }

  @Test
  void badInputIsExplained() {
    assertThatThrownBy(() -> Topology.solve(Shape.RECTANGLE, 1, 1000, 784, 10)).hasMessageContaining("at least 2");
    assertThatThrownBy(() -> Shape.parse("round")).hasMessageContaining("wide_first_16x");
  }
}
