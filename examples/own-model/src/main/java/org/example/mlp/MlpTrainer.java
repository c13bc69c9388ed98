package org.example.mlp;

import io.hps.data.Dataset;
import io.hps.data.Mnist;
import io.hps.random.Shuffle;
import io.hps.space.Params;
import io.hps.trainer.EpochLoop;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Scores;
import io.hps.trainer.Trainer;
import io.hps.trainer.TrainerParameter;
import io.hps.trainer.TrainerParameters;
import io.hps.trainer.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
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
 * An MLP on MNIST, tuned by hps as {@code "model": "own-mlp"}: {@code layers} hidden layers of
 * {@code hidden} ReLU units, each followed by batch normalisation and dropout ({@code dropout}), a softmax
 * output; Adam with learning rate {@code lr}, minibatches of {@code bs}; the first {@code trainSize} MNIST
 * training images to train, the last {@code valSize} to validate.
 */
public final class MlpTrainer implements Trainer {
  /**
   * What it reads, declared once: hps refuses a space that sets another name (a typo) or a value outside these
   * before the study starts, and these defaults apply when the space leaves a parameter out.
   */
  static final TrainerParameters PARAMETERS = TrainerParameters.of(
      TrainerParameter.integer("layers", 1, 16, 2L, "hidden layers"),
      TrainerParameter.integer("hidden", 1, 8192, 128L, "units per hidden layer"),
      TrainerParameter.real("lr", 0, 1, 0.001, "Adam's learning rate").aboveMin(),
      TrainerParameter.real("dropout", 0, 1, 0.0, "dropout after each hidden layer").belowMax(),
      TrainerParameter.integer("bs", 1, 60_000, 64L, "batch size"),
      TrainerParameter.integer("trainSize", 1, 60_000, 5000L, "training images (the first of MNIST's)"),
      TrainerParameter.integer("valSize", 1, 60_000, 10_000L, "validation images (the last of MNIST's)"));

  @Override
  public String model() {
    return "own-mlp";
  }

  @Override
  public TrainerParameters parameters() {
    return PARAMETERS;
  }

  @Override
  public Outcome train(Trial trial, EpochSink sink) throws Exception {
    Params p = trial.params();
    int layers = PARAMETERS.getInt(p, "layers");
    int hidden = PARAMETERS.getInt(p, "hidden");
    double lr = PARAMETERS.getDouble(p, "lr");
    double dropout = PARAMETERS.getDouble(p, "dropout");
    int bs = PARAMETERS.getInt(p, "bs");
    int trainSize = PARAMETERS.getInt(p, "trainSize");
    int valSize = PARAMETERS.getInt(p, "valSize");
    int total = Mnist.trainingCount(trial.dataDirectory());
    if (trainSize + valSize > total) {
      throw new IllegalArgumentException("trainSize + valSize is more than the " + total + " images in "
          + trial.dataDirectory());
    }
    Dataset train = Mnist.training(trial.dataDirectory(), 0, trainSize);
    Dataset validation = Mnist.training(trial.dataDirectory(), total - valSize, valSize);

    var builder = new NeuralNetConfiguration.Builder().seed(trial.seed()).updater(new Adam(lr))
        .weightInit(WeightInit.RELU).list();
    int in = 784;
    for (int i = 0; i < layers; i++) {
      builder.layer(new DenseLayer.Builder().nIn(in).nOut(hidden).activation(Activation.IDENTITY).build());
      builder.layer(new BatchNormalization.Builder().nOut(hidden).activation(Activation.RELU)
          .dropOut(1 - dropout).build());
      in = hidden;
    }
    builder.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(10)
        .activation(Activation.SOFTMAX).build());
    MultiLayerConfiguration conf = builder.build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    Map<String, Object> info = Map.of("numFreeParameters", net.numParams());

    SplittableRandom order = new SplittableRandom(trial.seed());
    // hps's epoch loop: it times each epoch, reports it to the sink (the master may stop the trial), and
    // ends as diverged on a NaN loss.
    return EpochLoop.run(trial.epochs(), new EpochLoop.Network() {
      @Override
      public double trainEpoch() {
        double loss = 0;
        int batches = 0;
        for (int[] batch : batches(trainSize, bs, order)) {
          try (INDArray x = features(train, batch); INDArray y = labels(train, batch)) {
            net.fit(new DataSet(x, y));
          }
          loss += net.score();
          batches++;
        }
        return loss / batches;
      }

      @Override
      public Scores validate() {
        double[] val = evaluate(net, validation);
        return new Scores(val[0], val[1]);
      }
    }, sink, info);
  }

  /** Mean negative log-likelihood and error fraction on {@code data}. */
  private static double[] evaluate(MultiLayerNetwork net, Dataset data) {
    double nll = 0;
    int wrong = 0;
    int[] all = new int[data.rows()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    try (INDArray x = features(data, all); INDArray probs = net.output(x, false)) {
      float[][] p = probs.toFloatMatrix();
      for (int i = 0; i < p.length; i++) {
        int label = data.labels()[i];
        int best = 0;
        for (int c = 1; c < 10; c++) {
          best = p[i][c] > p[i][best] ? c : best;
        }
        wrong += best == label ? 0 : 1;
        nll -= Math.log(Math.max(p[i][label], 1e-12));
      }
    }
    return new double[] {nll / data.rows(), (double) wrong / data.rows()};
  }

  private static List<int[]> batches(int n, int bs, SplittableRandom random) {
    int[] order = Shuffle.permutation(n, random); // hps-shared's shuffle
    List<int[]> out = new ArrayList<>();
    for (int from = 0; from < n; from += bs) {
      out.add(java.util.Arrays.copyOfRange(order, from, Math.min(n, from + bs)));
    }
    return out;
  }

  private static INDArray features(Dataset data, int[] rows) {
    float[] out = new float[rows.length * data.columns()];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(data.features(), rows[i] * data.columns(), out, i * data.columns(), data.columns());
    }
    return Nd4j.create(out, new long[] {rows.length, data.columns()}, 'c');
  }

  private static INDArray labels(Dataset data, int[] rows) {
    float[] out = new float[rows.length * 10];
    for (int i = 0; i < rows.length; i++) {
      out[i * 10 + data.labels()[rows[i]]] = 1f;
    }
    return Nd4j.create(out, new long[] {rows.length, 10}, 'c');
  }
}
