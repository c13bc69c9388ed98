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
  void curvesAreLabelledByWhatVariesAndColouredBySetting() {
    List<Figure> figures = LearningCurves.of(study());
    assertThat(figures).extracting(Figure::name).containsExactly("train-loss-vs-epoch", "val-loss-vs-epoch",
        "val-error-vs-epoch", "train-loss-vs-time", "val-error-vs-time");
    Figure loss = figures.get(0);
    assertThat(loss.series()).extracting(Series::label).containsExactly("lr=0.01 seed=1", "lr=0.01 seed=2",
        "lr=2 seed=1 (diverged)");
    assertThat(loss.series()).extracting(Series::group).containsExactly(0, 0, 1);
    Series diverged = loss.series().get(2);
    assertThat(diverged.y()).containsExactly(2.2); // drawn up to where it left the chart
    assertThat(diverged.diverged()).isTrue();
    assertThat(figures.get(3).series().get(0).x()).containsExactly(1.5, 2.5, 3.5); // seconds, not epochs
    assertThat(loss.logY()).isFalse();
    assertThat(LearningCurves.number(0.0010000000001)).isEqualTo("0.001");
  }

  @Test
  void writesValidPngAndSvg(@TempDir Path dir) throws Exception {
    for (Figure f : LearningCurves.of(study())) {
      List<Path> files = Charts.write(f, dir);
      BufferedImage png = ImageIO.read(files.get(0).toFile());
      assertThat(png).isNotNull();
      assertThat(png.getWidth()).isEqualTo(1000);
      assertThat(png.getHeight()).isEqualTo(650);
      assertThat(Files.readString(files.get(1))).contains("<svg").contains("</svg>");
    }
    assertThat(Files.list(dir)).hasSize(10);
  }
}
