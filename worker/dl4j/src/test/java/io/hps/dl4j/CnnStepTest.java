package io.hps.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.data.Split;
import io.hps.space.Params;
import io.hps.trainer.Trial;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The op-by-op training step computes what SameDiff's graph computes: the same loss, the same gradients. */
class CnnStepTest {
  @BeforeAll
  static void nd4j() {
    Nd4jStart.once(Trial.of(new Params(Map.of("model", "cnn")), CnnTrainerTest.TINY));
  }

  @Test
  void lossAndGradientsEqualSameDiffs() throws Exception {
    for (int nf : new int[] {1, 4}) {
      Split split = Mnists.of(Trial.of(new Params(Map.of("model", "cnn")), CnnTrainerTest.TINY)).split(200, 100);
      SplittableRandom random = new SplittableRandom(7);
      try (CnnGraph graph = new CnnGraph(nf, 0.5, random)) {
        int[] order = Batches.shuffled(200, random);
        int n = 50;
        INDArray x = Batches.features(split.train(), order, 0, n);
        INDArray y = Batches.oneHot(split.train(), order, 0, n);
        INDArray m1 = Nd4j.rand(n, nf * 16).gt(0.5).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).muli(2);
        INDArray m2 = Nd4j.rand(n, 256).gt(0.5).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).muli(2);
        try (CnnStep.Result expected = graph.sameDiffStep(x, y, m1, m2); CnnStep direct = new CnnStep(nf)) {
          CnnStep.Result actual = direct.run(graph.weights(), x, y, m1, m2);
          actual = direct.run(graph.weights(), x, y, m1, m2); // the reused arrays hold the same the second time
          assertThat(actual.loss()).as("loss, nf=" + nf).isCloseTo(expected.loss(), org.assertj.core.data.Offset.offset(1e-4));
          for (String name : expected.gradients().keySet()) {
            INDArray e = expected.gradients().get(name);
            INDArray a = actual.gradients().get(name);
            assertThat(a.shape()).as(name).isEqualTo(e.shape());
            double scale = Math.max(1e-6, e.norm2Number().doubleValue());
            double diff = a.sub(e).norm2Number().doubleValue();
            assertThat(diff / scale).as("relative difference of " + name + ", nf=" + nf).isLessThan(1e-4);
          }
        }
      }
    }
  }
}
