package io.hps.plot;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reader sees in a figure, read back from the SVG's text elements (the PNG is drawn by the same
 * painter): enough tick labels on a log axis, one notation per axis, labels that do not overlap, legends
 * that say something, and no made-up points.
 */
class FigureLabelsTest {
  @TempDir
  Path dir;

  /** One {@code <text>} element of an SVG. */
  record Text(double x, double y, String anchor, double size, String text) {}

  List<Text> texts(Figure figure) throws Exception {
    Charts.write(figure, dir);
    String svg = Files.readString(dir.resolve(figure.name() + ".svg"));
    Matcher m = Pattern.compile("<text x=\"([-0-9.]+)\" y=\"([-0-9.]+)\" text-anchor=\"(\\w+)\" font-size=\"([0-9.]+)\""
        + "[^>]*>([^<]*)</text>").matcher(svg);
    List<Text> out = new ArrayList<>();
    while (m.find()) {
      out.add(new Text(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), m.group(3),
          Double.parseDouble(m.group(4)), m.group(5).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")));
    }
    return out;
  }

  /** The y axis' tick labels, top to bottom. */
  static List<Text> yTicks(List<Text> texts) {
    return texts.stream().filter(t -> t.anchor().equals("end") && t.size() == Axis.TEXT)
        .sorted(java.util.Comparator.comparingDouble(Text::y)).toList();
  }

  /** The x axis' tick labels, left to right (the row of small centred labels below the plot). */
  static List<Text> xTicks(List<Text> texts) {
    double row = texts.stream().filter(t -> t.size() == Axis.TEXT && t.anchor().equals("middle"))
        .mapToDouble(Text::y).max().orElse(0);
    return texts.stream().filter(t -> t.size() == Axis.TEXT && t.anchor().equals("middle") && t.y() == row)
        .sorted(java.util.Comparator.comparingDouble(Text::x)).toList();
  }

  static Figure curves(double[] ys, boolean logY) {
    double[] x = new double[ys.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    return new Figure("f", "A figure", "epoch", "validation error", false, logY, List.of(new Series("a", 0, x, ys,
        false)));
  }

  @Test
  void aLogAxisOverLessThanTwoDecadesGetsEnoughLabelsInOneNotation() throws Exception {
    List<Text> ticks = yTicks(texts(curves(new double[] {0.6, 0.2, 0.05, 0.012}, true)));
    assertThat(ticks).extracting(Text::text).containsExactly("0.5", "0.2", "0.1", "0.05", "0.02");
    for (double[] range : new double[][] {{0.2, 0.4}, {0.012, 0.6}, {16, 256}, {1, 20}, {1e-5, 1e3}, {0.05, 60}}) {
      List<String> labels = yTicks(texts(curves(new double[] {range[0], range[1]}, true))).stream().map(Text::text)
          .toList();
      assertThat(labels).as("log axis over %s", java.util.Arrays.toString(range)).hasSizeGreaterThanOrEqualTo(3)
          .doesNotHaveDuplicates();
      assertThat(labels.stream().filter(l -> l.contains("e")).count()).as("one notation: %s", labels)
          .isIn(0L, (long) labels.size());
    }
  }

  @Test
  void tickLabelsOfALinearAxisShareTheirDecimalsAndNotation() throws Exception {
    List<String> seconds = xTicks(texts(new Figure("t", "Time", "seconds", "loss", false, false, List.of(
        new Series("a", 0, new double[] {0.000001, 0.0004, 0.0009}, new double[] {1, 2, 3}, false))))).stream()
        .map(Text::text).toList();
    assertThat(seconds).as("1e-6 beside 0.001 was the old mix").allMatch(l -> l.contains("e") || l.equals("0"));
    List<String> errors = yTicks(texts(curves(new double[] {0.08, 0.09, 0.1, 0.12}, false))).stream()
        .map(Text::text).toList();
    assertThat(errors).hasSizeGreaterThanOrEqualTo(4).allMatch(l -> l.matches("0\\.\\d{2,3}"));
    assertThat(errors.stream().map(String::length).distinct()).hasSize(1);
  }

  @Test
  void xLabelsNeverOverlapEvenOnANarrowManyDecadeAxis() throws Exception {
    double[] x = {1e-7, 1e-5, 1e-3, 0.1, 10, 1000, 1e5, 1e7, 1e9};
    double[] y = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    List<Series> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(new Series("a long legend entry that takes room " + i, i, x, y, false));
    }
    List<Text> ticks = xTicks(texts(new Figure("wide", "Wide", "seconds", "y", true, false, many)));
    assertThat(ticks).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 1; i < ticks.size(); i++) {
      double gap = ticks.get(i).x() - ticks.get(i - 1).x();
      double half = (Canvas.width(ticks.get(i).text(), Axis.TEXT, false) + Canvas.width(ticks.get(i - 1).text(),
          Axis.TEXT, false)) / 2;
      assertThat(gap).as("%s and %s", ticks.get(i - 1).text(), ticks.get(i).text()).isGreaterThan(half);
    }
  }

  @Test
  void epochAxesLabelOnlyWholeEpochs() throws Exception {
    assertThat(xTicks(texts(curves(new double[] {0.5, 0.4, 0.3}, false)))).extracting(Text::text)
        .containsExactly("1", "2", "3");
  }

  @Test
  void aFigureWithoutFiniteValuesSaysSoAndDrawsNoMadeUpPointsOrTicks() throws Exception {
    List<Text> texts = texts(curves(new double[] {Double.NaN, Double.NaN}, false));
    assertThat(texts).extracting(Text::text).contains("no finite values to draw");
    assertThat(yTicks(texts)).isEmpty();
    assertThat(Files.readString(dir.resolve("f.svg"))).doesNotContain("<circle");
  }

  @Test
  void scatterPlotsUseTheExercisesNamesAndNeedNoLegend() throws Exception {
    Figure lr = Coordinates.of(AnalysisFiguresTest.search(), AnalysisFiguresTest.space()).get(0);
    List<Text> texts = texts(lr);
    assertThat(texts).extracting(Text::text).contains("learning rate (LR)").doesNotContain("settings", "lr");
    assertThat(lr.title()).startsWith("Final validation error against learning rate (LR)");
  }

  @Test
  void resultsWithoutAFrameworkAreNotLabelledFrameworkNull() throws Exception {
    Setting a = new Setting("s000000", 0, 0, 0, Instant.EPOCH, new Params(Map.of("model", "cnn", "lr", 0.1)));
    Setting b = new Setting("s000001", 1, 0, 0, Instant.EPOCH, new Params(Map.of("model", "cnn", "lr", 0.1)));
    List<Epoch> epochs = List.of(new Epoch(1, 1.0, 1.0, 0.5, 1.0));
    Result torch = Result.of(a, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH, epochs, Map.of("framework",
        "pytorch"));
    Result unknown = Result.of(b, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH, epochs, Map.of());
    List<String> labels = LearningCurves.of(List.of(torch, unknown)).get(0).series().stream().map(Series::label)
        .toList();
    assertThat(labels).containsExactly("framework=pytorch", "s000001").noneMatch(l -> l.contains("null"));
  }

  @Test
  void aHighlightIsARingNotATriangle() throws Exception {
    Figure f = curves(new double[] {0.5, 0.3}, false).with(List.of(Series.highlight("best within the budget", 9,
        new double[] {2}, new double[] {0.3})));
    String svg = Files.readString(Charts.write(f, dir).get(1));
    assertThat(svg).contains("r=\"8\" fill=\"none\" stroke=\"black\"").doesNotContain("l6,10 h-12 z");
  }
}
