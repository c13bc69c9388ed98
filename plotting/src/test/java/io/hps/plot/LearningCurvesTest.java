package io.hps.plot;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurvesTest {
  static Result run(int i, double lr, long seed, Status status, double... losses) {
    Setting s = new Setting(String.format("s%06d", i), i, 0, 0, Instant.EPOCH,
        new Params(Map.of("model", "synthetic", "lr", lr, "seed", seed, "nf", 32)));
    List<Epoch> epochs = new ArrayList<>();
    for (int e = 0; e < losses.length; e++) {
      epochs.add(new Epoch(e + 1, losses[e], losses[e] * 1.1, Double.isFinite(losses[e]) ? 0.5 / (e + 1) : 0.9,
          e + 1.5));
    }
    return Result.of(s, status, status == Status.FAILED ? "boom" : null, "w", Instant.EPOCH, Instant.EPOCH, epochs,
        Map.of());
  }

  static List<Result> study() {
    return List.of(run(0, 0.01, 1, Status.COMPLETE, 2.0, 1.0, 0.5), run(1, 0.01, 2, Status.COMPLETE, 2.1, 1.1, 0.6),
        run(2, 2.0, 1, Status.DIVERGED, 2.2, Double.NaN), run(3, 0.1, 1, Status.FAILED));
  }

  @Test
  void oneLegendEntryPerSettingWithItsRepeatsInOneColour() {
    List<Figure> figures = LearningCurves.of(study());
    assertThat(figures).extracting(Figure::name).containsExactly("train-loss-vs-epoch", "val-loss-vs-epoch",
        "val-error-vs-epoch", "train-loss-vs-time", "val-loss-vs-time", "val-error-vs-time");
    Figure loss = figures.get(0);
    // The seed is not a setting: two runs of lr=0.01 are one entry; the second has none of its own.
    assertThat(loss.series()).extracting(Series::label).containsExactly("lr=0.01 (2 runs)", "", "lr=2 (diverged)");
    assertThat(loss.series()).extracting(Series::group).containsExactly(0, 0, 1);
    Series diverged = loss.series().get(2);
    assertThat(diverged.y()).containsExactly(2.2); // drawn up to where it left the chart
    assertThat(diverged.diverged()).isTrue();
    assertThat(figures.get(3).series().get(0).x()).containsExactly(1.5, 2.5, 3.5); // no trainSeconds: elapsed
    assertThat(figures.get(3).xLabel()).isEqualTo(LearningCurves.ELAPSED_TIME);
    assertThat(loss.logY()).isFalse();
    assertThat(LearningCurves.number(0.0010000000001)).isEqualTo("0.001");
  }

  @Test
  void aValueFarOffTheScaleIsDrawnAtTheEdgeWithItsValueInTheLegend() {
    List<Result> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(run(i, 0.01 * (i + 1), 1, Status.COMPLETE, 2.0, 1.0, 0.5));
    }
    runs.add(run(6, 2.0, 1, Status.COMPLETE, 1.42e9, -1.88e11, 2.3));
    Figure loss = LearningCurves.of(runs).get(0);
    Series edge = loss.series().stream().filter(Series::offChart).findFirst().orElseThrow();
    assertThat(edge.label()).isEqualTo("lr=2: 1.42e9 at epoch 1, -1.88e11 at epoch 2 (off the chart)");
    assertThat(edge.x()).containsExactly(1.0, 2.0);
    assertThat(edge.y()).containsExactly(loss.yMax(), 0.0); // the top edge, and 0 for the overflow below
    Series curve = loss.series().get(6);
    assertThat(curve.y()).containsExactly(2.3); // the curve holds only values it really had: no line to 1.42e9
    assertThat(loss.yMax()).isLessThan(10).isCloseTo(2.3 * 1.05, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void timeIsCumulativeTrainingSecondsWhenRecorded() {
    Setting s = new Setting("s000000", 0, 0, 0, Instant.EPOCH, new Params(Map.of("lr", 0.1)));
    Result r = Result.of(s, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH, List.of(
        new Epoch(1, 1, 1, 0.5, 9.0, 2.0, 1.0, null), new Epoch(2, 0.5, 0.5, 0.4, 12.0, 2.5, 0.5, null)), Map.of());
    Figure time = LearningCurves.of(List.of(r)).get(3);
    assertThat(time.series().get(0).x()).containsExactly(2.0, 4.5); // not 9 and 12: validation left out
    assertThat(time.xLabel()).isEqualTo(LearningCurves.TRAINING_TIME);
    assertThat(time.logX()).isFalse(); // 2 to 4.5 s
  }

  @Test
  void timeSpanningMoreThanFiftyFoldIsOnALogAxis() {
    List<Result> runs = new ArrayList<>();
    double[] perEpoch = {0.05, 40.0}; // scenario 4's NF=1 and NF=256, roughly
    for (int i = 0; i < 2; i++) {
      Setting s = new Setting("s00000" + i, i, 0, 0, Instant.EPOCH, new Params(Map.of("nf", (long) (1 + 255 * i))));
      runs.add(Result.of(s, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH, List.of(
          new Epoch(1, 1, 1, 0.5, 9.0, perEpoch[i], 1.0, null), new Epoch(2, 0.5, 0.5, 0.4, 12.0, perEpoch[i], 1.0, null)),
          Map.of()));
    }
    List<Figure> figures = LearningCurves.of(runs);
    assertThat(figures.get(3).logX()).isTrue();
    assertThat(figures.get(4).logX()).isTrue();
    assertThat(figures.get(4).xLabel()).isEqualTo(LearningCurves.TRAINING_TIME + ", log scale");
    assertThat(figures.get(0).logX()).as("epochs stay linear").isFalse();
  }

  @Test
  void colourForTheFirstParameterAndLineStyleForTheSecond() {
    List<Result> runs = new ArrayList<>();
    int i = 0;
    for (double lr : new double[] {0.1, 0.2, 0.5}) {
      for (long bs : new long[] {20, 100, 500}) {
        Map<String, Object> values = new java.util.LinkedHashMap<>(); // lr first, as a space file orders them
        values.put("lr", lr);
        values.put("bs", bs);
        Setting s = new Setting(String.format("s%06d", i), i++, 0, 0, Instant.EPOCH, new Params(values));
        runs.add(Result.of(s, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
            List.of(new Epoch(1, 1, 1, 0.5, 1)), Map.of()));
      }
    }
    Figure loss = LearningCurves.of(runs).get(0);
    assertThat(loss.series()).extracting(Series::group).containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 2);
    assertThat(loss.series()).extracting(Series::style).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2);
    assertThat(loss.series().get(4).label()).isEqualTo("lr=0.2 bs=100");
  }

  @Test
  void twentySettingsGetTwentyDistinctColourAndStylePairs() {
    List<Result> runs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Setting s = new Setting(String.format("s%06d", i), i, 0, 0, Instant.EPOCH,
          new Params(Map.of("lr", 0.01 * (i + 1), "m", i / 20.0, "nf", 10L + i)));
      runs.add(Result.of(s, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
          List.of(new Epoch(1, 1, 1, 0.5, 1)), Map.of()));
    }
    Figure loss = LearningCurves.of(runs).get(0);
    assertThat(loss.series().stream().map(x -> (x.group() % Charts.PALETTE.length) + "/" + x.style()).distinct())
        .hasSize(20);
  }

  @Test
  void writesValidPngAndSvg(@TempDir Path dir) throws Exception {
    for (Figure f : LearningCurves.of(study())) {
      List<Path> files = Charts.write(f, dir);
      BufferedImage png = ImageIO.read(files.get(0).toFile());
      assertThat(png).isNotNull();
      assertThat(png.getWidth()).isEqualTo(1000);
      assertThat(png.getHeight()).isEqualTo(650);
      String svg = Files.readString(files.get(1));
      assertThat(svg).contains("<svg").contains("</svg>");
      // Editable: real text for the title, the axes and the legend, not outlines.
      assertThat(svg).contains(">" + f.title() + "</text>").contains(">" + SvgCanvas.escape(f.xLabel()) + "</text>")
          .contains(">lr=0.01 (2 runs)</text>");
      assertThat(Files.size(files.get(1))).isLessThan(100_000);
    }
    assertThat(Files.list(dir)).hasSize(12);
  }
}
