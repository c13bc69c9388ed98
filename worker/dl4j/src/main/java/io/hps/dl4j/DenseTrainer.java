package io.hps.dl4j;

import io.hps.data.CsvData;
import io.hps.data.Dataset;
import io.hps.data.Split;
import io.hps.dense.Shape;
import io.hps.dense.Topology;
import io.hps.space.Params;
import io.hps.trainer.EpochLoop;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Scores;
import io.hps.trainer.Trainer;
import io.hps.trainer.TrainerParameter;
import io.hps.trainer.TrainerParameters;
import io.hps.trainer.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * BUTTER-style dense nets: {@code shape}, {@code depth} (dense layers, output included) and {@code size}
 * (target number of trainable parameters) give the widths; ReLU hidden layers, softmax output, negative
 * log-likelihood; {@code optimizer} adam, rmsprop or sgd (momentum {@code m}), {@code lr}, {@code bs},
 * {@code l1}, {@code l2}, {@code labelNoise} (fraction of training labels replaced by a random class).
 * {@code dataset} is {@code mnist} (flattened; the exercise split) or the path of a CSV file (80/20
 * shuffled split, as BUTTER). The result's info records {@code numFreeParameters} and {@code widths}.
 */
public final class DenseTrainer implements Trainer {
  /** What it reads, with BUTTER's defaults where the paper has one. */
  static final TrainerParameters PARAMETERS = TrainerParameters.of(
      TrainerParameter.choice("shape", Arrays.stream(Shape.values()).map(Shape::json).toList(), "rectangle",
          "BUTTER's network shape"),
      TrainerParameter.integer("depth", 2, 64, 3L, "dense layers, the output layer included"),
      TrainerParameter.integer("size", 1, 1L << 32, 100_000L, "target number of trainable parameters"),
      TrainerParameter.integer("bs", 1, 1_000_000, 256L, "batch size"),
      TrainerParameter.real("lr", 0, Double.POSITIVE_INFINITY, 0.001, "learning rate").aboveMin(),
      TrainerParameter.choice("optimizer", List.of("adam", "rmsprop", "sgd"), "adam", "optimizer"),
      TrainerParameter.real("m", 0, 1, 0.0, "momentum of sgd (Nesterov; 0: plain SGD)").belowMax(),
      TrainerParameter.real("l1", 0, Double.POSITIVE_INFINITY, 0.0, "L1 regularisation"),
      TrainerParameter.real("l2", 0, Double.POSITIVE_INFINITY, 0.0, "L2 regularisation"),
      TrainerParameter.real("labelNoise", 0, 1, 0.0, "fraction of training labels replaced by a random class"),
      TrainerParameter.text("dataset", "mnist", "mnist, or the path of a CSV file"),
      TrainerParameter.integer("trainSize", 1, 60_000, 5000L, "MNIST training images"),
      TrainerParameter.integer("valSize", 1, 60_000, 10_000L, "MNIST validation images"));

  @Override
  public String model() {
    return "dense";
  }

  @Override
  public TrainerParameters parameters() {
    return PARAMETERS;
  }

  @Override
  public Outcome train(Trial trial, EpochSink sink) throws Exception {
    Nd4jStart.once(trial);
    Params p = trial.params();
    Shape shape = Shape.parse(PARAMETERS.getString(p, "shape"));
    int depth = PARAMETERS.getInt(p, "depth");
    long size = PARAMETERS.getLong(p, "size");
    int bs = PARAMETERS.getInt(p, "bs");
    long seed = trial.seed();
    double labelNoise = PARAMETERS.getDouble(p, "labelNoise");
    SplittableRandom random = new SplittableRandom(seed);
    Split split = split(trial, random);
    Dataset train = withLabelNoise(split.train(), labelNoise, random);
    Topology topology = Topology.solve(shape, depth, size, train.columns(), train.classes());
    ComputationGraph net = new ComputationGraph(configuration(p, topology, seed));
    net.init();
    Map<String, Object> info = Map.of("numFreeParameters", net.numParams(), "widths",
        Arrays.stream(topology.widths()).boxed().toList(), "trainExamples", train.rows(), "valExamples",
        split.validation().rows(), "backend", Natives.description(), "framework", "dl4j", "frameworkVersion",
        Natives.dl4jVersion());
    return EpochLoop.run(trial, new EpochLoop.Network() {
      /** Minibatch order; a resumed run draws it from a stream of its own epoch. */
      private SplittableRandom draws = random;

      @Override
      public int warmUp() {
        // Forward passes only: a training step would change the weights.
        for (int i = 0; i < 3; i++) {
          evaluate(net, split.validation().slice(0, Math.min(bs, split.validation().rows())));
        }
        return 0;
      }

      @Override
      public double trainEpoch() {
        return DenseTrainer.trainEpoch(net, train, bs, draws);
      }

      @Override
      public void save(Path directory) throws IOException {
        ArrayFile.write(directory.resolve(STATE), tag(net), state(net));
        Files.writeString(directory.resolve(COUNTS), net.getConfiguration().getIterationCount() + " "
            + net.getConfiguration().getEpochCount() + "\n");
      }

      @Override
      public void restore(Path directory, int done) throws IOException {
        String[] counts = io.hps.study.DurableFiles.readSmall(directory.resolve(COUNTS), 256).trim().split(" ");
        if (counts.length != 2) {
          throw new IOException(COUNTS + " is not two counts");
        }
        int iterations = Integer.parseInt(counts[0]);
        int epochCount = Integer.parseInt(counts[1]);
        ArrayFile.readInto(directory.resolve(STATE), tag(net), state(net));
        net.getConfiguration().setIterationCount(iterations);
        net.getConfiguration().setEpochCount(epochCount);
        draws = new SplittableRandom(seed * 1_000_003L + done);
      }

      @Override
      public Scores validate() {
        return evaluate(net, split.validation());
      }
    }, sink, info);
  }

  /** The checkpoint's files: weights and optimizer state; the optimizer's step and epoch counts. */
  static final String STATE = "dense-state.bin";
  static final String COUNTS = "dense-counts.txt";

  /** The weights and (when the optimizer has any) its state: what training needs to continue. */
  private static Map<String, INDArray> state(ComputationGraph net) {
    Map<String, INDArray> state = new java.util.LinkedHashMap<>();
    state.put("params", net.params());
    INDArray updater = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
    if (updater != null) {
      state.put("updater", updater);
    }
    return state;
  }

  private static String tag(ComputationGraph net) {
    return "dense params=" + net.numParams();
  }

  private static Split split(Trial trial, SplittableRandom random) throws InterruptedException {
    Params p = trial.params();
    String dataset = PARAMETERS.getString(p, "dataset");
    if (dataset.equals("mnist")) {
      return Mnists.of(trial).split(PARAMETERS.getInt(p, "trainSize"), PARAMETERS.getInt(p, "valSize"));
    }
    try {
      Dataset all = CsvData.load(Path.of(dataset));
      int[] order = Batches.shuffled(all.rows(), random);
      float[] f = new float[all.features().length];
      int[] l = new int[all.rows()];
      for (int i = 0; i < order.length; i++) {
        System.arraycopy(all.features(), order[i] * all.columns(), f, i * all.columns(), all.columns());
        l[i] = all.labels()[order[i]];
      }
      Dataset shuffled = new Dataset(f, l, all.rows(), all.columns(), all.classes());
      int cut = (int) Math.round(all.rows() * 0.8);
      return new Split(shuffled.slice(0, cut), shuffled.slice(cut, all.rows()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dataset withLabelNoise(Dataset data, double fraction, SplittableRandom random) {
    if (fraction == 0) {
      return data;
    }
    int[] labels = data.labels().clone();
    for (int i = 0; i < labels.length; i++) {
      if (random.nextDouble() < fraction) {
        labels[i] = random.nextInt(data.classes());
      }
    }
    return new Dataset(data.features(), labels, data.rows(), data.columns(), data.classes());
  }

  static ComputationGraphConfiguration configuration(Params p, Topology topology, long seed) {
    double lr = PARAMETERS.getDouble(p, "lr");
    String optimizer = PARAMETERS.getString(p, "optimizer");
    double m = PARAMETERS.getDouble(p, "m");
    IUpdater updater = switch (optimizer) {
      case "adam" -> new Adam(lr);
      case "rmsprop" -> new RmsProp(lr);
      case "sgd" -> m > 0 ? new Nesterovs(lr, m) : new Sgd(lr);
      default -> throw new IllegalArgumentException("optimizer must be adam, rmsprop or sgd, not '" + optimizer + "'");
    };
    var graph = new NeuralNetConfiguration.Builder().seed(seed).updater(updater).weightInit(WeightInit.XAVIER_UNIFORM)
        .l1(PARAMETERS.getDouble(p, "l1")).l2(PARAMETERS.getDouble(p, "l2")).graphBuilder().addInputs("in");
    String previous = "in";
    int in = topology.inputs();
    for (int i = 0; i < topology.widths().length; i++) {
      int width = topology.widths()[i];
      String name = "h" + i;
      graph.addLayer(name, new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU).build(), previous);
      if (topology.shape().residual() && i > 0) {
        graph.addVertex(name + "+", new ElementWiseVertex(ElementWiseVertex.Op.Add), name, previous);
        name = name + "+";
      }
      previous = name;
      in = width;
    }
    graph.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
        .activation(Activation.SOFTMAX).nIn(in).nOut(topology.outputs()).build(), previous);
    return graph.setOutputs("out").build();
  }

  private static double trainEpoch(ComputationGraph net, Dataset data, int bs, SplittableRandom random) {
    int[] order = Batches.shuffled(data.rows(), random);
    double sum = 0;
    int batches = 0;
    for (int from = 0; from < order.length; from += bs) {
      int n = Math.min(bs, order.length - from);
      INDArray x = Batches.features(data, order, from, n);
      INDArray y = Batches.oneHot(data, order, from, n);
      net.fit(new DataSet(x, y));
      CnnGraph.close(List.of(x, y));
      double loss = net.score();
      sum += loss;
      batches++;
      if (!Double.isFinite(loss)) {
        return loss;
      }
    }
    return sum / batches;
  }

  private static Scores evaluate(ComputationGraph net, Dataset data) {
    int[] order = Batches.identity(data.rows());
    Scores scores = null;
    for (int from = 0; from < data.rows(); from += 2000) {
      int n = Math.min(2000, data.rows() - from);
      try (INDArray x = Batches.features(data, order, from, n); INDArray probs = net.outputSingle(x)) {
        scores = Validation.of(Batches.flat(probs), data, from, n, scores, from);
      }
    }
    return scores;
  }
}
