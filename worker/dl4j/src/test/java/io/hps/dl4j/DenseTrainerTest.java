package io.hps.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.dense.Shape;
import io.hps.dense.Topology;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DL4J training of BUTTER-style dense nets on the shipped MNIST subset and on a CSV file. */
@Tag("dl4j")
class DenseTrainerTest {
  static DenseTrainer trainer;

  @BeforeAll
  static void natives() {
    trainer = new DenseTrainer();
  }

  static Outcome train(Params p, EpochSink sink) throws Exception {
    return trainer.train(Trial.of(p, CnnTrainerTest.TINY), sink);
  }

  static Params params(Object... more) {
    Map<String, Object> map = new LinkedHashMap<>(Map.of("model", "dense", "shape", "rectangle", "depth", 3,
        "size", 20000, "optimizer", "adam", "lr", 0.003, "bs", 64, "epochs", 4, "seed", 3, "trainSize", 1000));
    map.put("valSize", 200);
    for (int i = 0; i < more.length; i += 2) {
      map.put((String) more[i], more[i + 1]);
    }
    return new Params(map);
  }

  @Test
  void learnsAndRecordsItsTopology() throws Exception {
    Outcome o = train(params(), e -> true);
    assertThat(o.status()).isEqualTo(Status.COMPLETE);
    assertThat(o.epochs().get(3).trainLoss()).isLessThan(o.epochs().get(0).trainLoss());
    assertThat(o.epochs().get(3).valError()).isLessThan(0.4);
    Topology t = Topology.solve(Shape.RECTANGLE, 3, 20000, 784, 10);
    assertThat(o.info()).containsEntry("numFreeParameters", t.parameters())
        .containsEntry("widths", List.of(t.widths()[0], t.widths()[1]));
  }

  @Test
  void everyShapeBuildsWithTheSolvedParameterCount() throws Exception {
    for (Shape shape : Shape.values()) {
      Outcome o = train(params("shape", shape.json(), "depth", 4, "epochs", 1, "optimizer", "sgd", "m", 0.9,
          "lr", 0.05), e -> true);
      assertThat(o.status()).as(shape.json()).isEqualTo(Status.COMPLETE);
      assertThat(o.info().get("numFreeParameters")).as(shape.json())
          .isEqualTo(Topology.solve(shape, 4, 20000, 784, 10).parameters());
    }
  }

  @Test
  void labelNoiseAndRegularisationAreAccepted() throws Exception {
    Outcome o = train(params("labelNoise", 0.2, "l1", 1e-5, "l2", 1e-4, "optimizer", "rmsprop", "epochs", 2),
        e -> true);
    assertThat(o.status()).isEqualTo(Status.COMPLETE);
    assertThat(DenseTrainer.withLabelNoise(new io.hps.data.Dataset(new float[100], new int[100], 100, 1, 10), 1.0,
        new java.util.SplittableRandom(1)).labels()).contains(3, 7);
  }

  @Test
  void trainsOnACsvDataset(@TempDir Path dir) throws Exception {
    StringBuilder csv = new StringBuilder("x,y,target\n");
    Random r = new Random(1);
    for (int i = 0; i < 400; i++) {
      double x = r.nextGaussian();
      double y = r.nextGaussian();
      csv.append(x).append(',').append(y).append(',').append(x + y > 0 ? "pos" : "neg").append('\n');
    }
    Path file = Files.writeString(dir.resolve("blobs.csv"), csv);
    Outcome o = train(params("dataset", file.toString(), "size", 200, "epochs", 20, "lr", 0.01), e -> true);
    assertThat(o.epochs().get(19).valError()).isLessThan(0.15);
    assertThat(o.info()).containsEntry("trainExamples", 320).containsEntry("valExamples", 80);
  }
}
