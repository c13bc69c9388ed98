package io.hps.plot;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisFiguresTest {
  static Result trial(int i, double lr, int bs, double m, String worker, int from, int to, double error) {
    Setting s = new Setting(String.format("s%06d", i), i, 0, 0, Instant.EPOCH,
        new Params(params("model", "cnn", "lr", lr, "bs", bs, "m", m, "optimizer", "sgd", "seed", 42L)));
    Status status = Double.isNaN(error) ? Status.DIVERGED : Status.COMPLETE;
    return Result.of(s, status, null, worker, Instant.ofEpochSecond(from), Instant.ofEpochSecond(to),
        List.of(new Epoch(1, 1.0, 1.0, error, to - from)), Map.of());
  }

  static Map<String, Object> params(Object... pairs) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  static List<Result> search() {
    return List.of(trial(0, 0.01, 16, 0.5, "w-a", 100, 110, 0.2), trial(1, 0.3, 256, 0.9, "w-b", 101, 104, 0.05),
        trial(2, 0.05, 64, 0.0, "w-a", 110, 125, 0.1), trial(3, 0.02, 32, 0.99, "w-b", 104, 106, Double.NaN));
  }

  static io.hps.space.SearchSpace space() {
    try {
      return io.hps.space.SearchSpace.parse(io.hps.json.Json.MAPPER.readTree("{\"parameters\": {"
          + "\"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 0.3},"
          + "\"bs\": {\"type\": \"int\", \"low\": 16, \"high\": 256, \"log\": true},"
          + "\"m\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}}}"), "t");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void coordinatePlotsUseTheScaleTheSpaceDeclares() {
    List<Figure> figures = Coordinates.of(search(), space());
    assertThat(figures).extracting(Figure::name).containsExactly("val-error-vs-lr", "val-error-vs-bs",
        "val-error-vs-m");
    Figure lr = figures.get(0);
    assertThat(lr.kind()).isEqualTo(Figure.Kind.POINTS);
    assertThat(lr.logX()).isTrue(); // loguniform
    assertThat(lr.logY()).isFalse();
    assertThat(figures.get(1).logX()).isTrue(); // int with "log": true
    assertThat(figures.get(2).logX()).isFalse(); // uniform on [0, 1]: linear, and m = 0 is drawn
    assertThat(figures.get(2).title()).contains("linear scale, as declared");
    // Values spanning decades on a linear parameter stay linear: the scale is declared, not guessed.
    io.hps.space.SearchSpace linearLr = io.hps.space.SearchSpace.parse(io.hps.json.Json.MAPPER.createObjectNode()
        .set("parameters", io.hps.json.Json.MAPPER.createObjectNode().set("lr", io.hps.json.Json.MAPPER
            .createObjectNode().put("type", "uniform").put("low", 0.0).put("high", 1.0))), "t");
    assertThat(Coordinates.of(search(), linearLr).get(0).logX()).isFalse();
    assertThat(lr.series().get(0).x()).containsExactly(0.01, 0.3, 0.05);
    assertThat(lr.series().get(0).y()).containsExactly(0.2, 0.05, 0.1);
    assertThat(lr.title()).contains("3 settings", "1 without a finite error left out");
  }

  @Test
  void timelineHasOneLanePerWorkerInTheOrderOfTheirIdsAndOneTaggedBarPerTrial() {
    Figure timeline = Timeline.of(search());
    assertThat(timeline.kind()).isEqualTo(Figure.Kind.TIMELINE);
    assertThat(timeline.series()).hasSize(4);
    Series first = timeline.series().get(0); // w-a: lane 1
    assertThat(first.x()).containsExactly(0.0, 10.0);
    assertThat(first.y()).containsExactly(1.0, 1.0);
    assertThat(first.tag()).isEqualTo("s000000");
    Series second = timeline.series().get(1);
    assertThat(second.label()).isEqualTo("w-b");
    assertThat(second.x()).containsExactly(1.0, 4.0);
    assertThat(timeline.series()).extracting(Series::group).containsExactly(0, 1, 1, 0);
    // Lanes follow the ids, not who claimed first: w2 before w10, whatever the order of claims.
    List<Result> late = List.of(trial(0, 0.01, 16, 0.5, "w10-host", 100, 110, 0.2),
        trial(1, 0.3, 256, 0.9, "w2-host", 105, 108, 0.05));
    assertThat(Timeline.of(late).series()).extracting(Series::group).containsExactly(1, 0);
  }

  @Test
  void scatterAndTimelineChartsAreWrittenAsImages(@TempDir Path dir) throws Exception {
    for (Figure f : List.of(Timeline.of(search()), Coordinates.of(search(), space()).get(0))) {
      List<Path> files = Charts.write(f, dir);
      BufferedImage png = ImageIO.read(files.get(0).toFile());
      assertThat(png.getWidth()).isEqualTo(1000);
      assertThat(java.nio.file.Files.size(files.get(1))).isGreaterThan(1000);
    }
  }
}
