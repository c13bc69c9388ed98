package org.example.library;

import io.hps.library.Study;
import io.hps.protocol.Result;
import io.hps.space.SearchSpace;
import io.hps.trainer.EpochLoop;
import io.hps.trainer.Outcome;
import io.hps.trainer.Scores;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Your own DL4J network tuned inside your program: an MLP that separates two interleaved spirals, its learning
 * rate and width chosen by TPE, every epoch reported to hps (whose median rule stops hopeless settings), two
 * settings training at a time. The study's files go to a directory you can watch with {@code hps dashboard}.
 *
 * <pre>java ... org.example.library.TuneMlp mlp-space.json runs/spirals 12</pre>
 */
public final class TuneMlp {
  public static void main(String[] args) throws Exception {
    SearchSpace space = SearchSpace.read(Path.of(args.length > 0 ? args[0] : "mlp-space.json"));
    Path dir = Path.of(args.length > 1 ? args[1] : "runs/spirals");
    int trials = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    DataSet train = spirals(400, 1);
    DataSet validation = spirals(400, 2);
    java.util.List<DataSet> batches = train.batchBy(32);
    try (Study study = Study.builder(space).strategy("tpe").seed(7).stop("median").directory(dir).build()) {
      study.optimize((trial, sink) -> {
        MultiLayerNetwork net = mlp(trial.params().getDouble("lr"), trial.params().getInt("units"), trial.seed());
        return EpochLoop.run(trial.epochs(), new EpochLoop.Network() {
          @Override
          public double trainEpoch() {
            double loss = 0;
            for (DataSet batch : batches) { // minibatches of 32
              net.fit(batch);
              loss += net.score();
            }
            return loss / batches.size();
          }

          @Override
          public Scores validate() {
            return new Scores(net.score(validation), error(net, validation));
          }
        }, sink, Map.of("numFreeParameters", net.numParams()));
      }, trials, 2);
      Result best = study.best().orElseThrow();
      System.out.printf("best validation error %.3f with %s (%d results in %s)%n", best.objective().orElseThrow(),
          best.params(), study.results().size(), dir);
    }
  }

  static MultiLayerNetwork mlp(double lr, int units, long seed) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
        .updater(new Adam(lr)).weightInit(WeightInit.XAVIER).list()
        .layer(new DenseLayer.Builder().nIn(2).nOut(units).activation(Activation.TANH).build())
        .layer(new DenseLayer.Builder().nIn(units).nOut(units).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(units).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build());
    net.init();
    return net;
  }

  /** The fraction of {@code data} the network gets wrong. */
  static double error(MultiLayerNetwork net, DataSet data) {
    try (INDArray predicted = net.output(data.getFeatures()).argMax(1);
        INDArray truth = data.getLabels().argMax(1)) {
      return 1 - predicted.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
    }
  }

  /** {@code n} points of two interleaved spirals with a little noise, one-hot labels. */
  static DataSet spirals(int n, long seed) {
    Random random = new Random(seed);
    double[][] x = new double[n][2];
    double[][] y = new double[n][2];
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      double t = 0.25 + 1.75 * Math.PI * random.nextDouble();
      double sign = label == 0 ? 1 : -1;
      x[i][0] = sign * t * Math.cos(t) / 8 + random.nextGaussian() * 0.05;
      x[i][1] = sign * t * Math.sin(t) / 8 + random.nextGaussian() * 0.05;
      y[i][label] = 1;
    }
    return new DataSet(Nd4j.create(x), Nd4j.create(y));
  }
}
