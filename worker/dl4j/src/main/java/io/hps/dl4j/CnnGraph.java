package io.hps.dl4j;

import io.hps.data.Dataset;
import io.hps.trainer.Scores;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exercise CNN: its weights, velocities and gradients (each one flat array), the optimizer, and two ways
 * to compute a step's loss and gradients and the validation probabilities: op by op on ND4J's native ops
 * ({@link CnnStep}, the default) or a SameDiff graph ({@code -Dhps.cnn.samediff=true}; also the reference
 * the tests hold the op-by-op path to). The graph has two heads sharing the weights: a training head with
 * inverted-dropout masks fed as placeholders (SameDiff's own dropout has no gradient in M2.1) and a loss,
 * and an evaluation head without dropout. Weights, masks and shuffles come from one seeded Java random
 * generator, so a run does not depend on which native build is loaded. The update is done here:
 * {@code v = m v - lr g}, then {@code p += v} (classic) or {@code p += m v - lr g} (Nesterov, as Lasagne).
 */
final class CnnGraph implements AutoCloseable {
  private static final List<String> PARAMS = CnnStep.PARAMS;
  private final SameDiff sd = singleThreaded();
  private final Map<String, INDArray> velocity = new HashMap<>();
  private final int features;
  private final double keep;

  CnnGraph(int nf, double dropout, SplittableRandom random) {
    this.features = nf * 4 * 4;
    this.keep = 1 - dropout;
    SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 784);
    SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 10);
    SDVariable mask1 = sd.placeHolder("mask1", DataType.FLOAT, -1, features);
    SDVariable mask2 = sd.placeHolder("mask2", DataType.FLOAT, -1, 256);
    SDVariable x = in.reshape(-1, 28, 28, 1);
    SDVariable c1 = conv(x, "1", 1, nf, random);
    SDVariable c2 = conv(c1, "2", nf, nf, random);
    SDVariable flat = c2.reshape(-1, features);
    SDVariable w3 = sd.var("w3", glorot(random, features, 256, features, 256));
    SDVariable b3 = sd.var("b3", Nd4j.zeros(DataType.FLOAT, 256));
    SDVariable w4 = sd.var("w4", glorot(random, 256, 10, 256, 10));
    SDVariable b4 = sd.var("b4", Nd4j.zeros(DataType.FLOAT, 10));
    SDVariable hidden = sd.nn().relu(flat.mul(mask1).mmul(w3).add(b3), 0);
    SDVariable logits = hidden.mul(mask2).mmul(w4).add(b4);
    sd.loss().softmaxCrossEntropy("loss", label, logits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
    SDVariable evalHidden = sd.nn().relu(flat.mmul(w3).add(b3), 0);
    sd.nn().softmax("probs", evalHidden.mmul(w4).add(b4), 1);
    // All weights live in one flat array (the graph's variables are views of it), and so do their gradients
    // and velocities: the optimizer's update is then a few operations on whole arrays, not a few per weight.
    Map<String, INDArray> initial = new java.util.LinkedHashMap<>();
    PARAMS.forEach(name -> initial.put(name, sd.getArrForVarName(name)));
    long total = initial.values().stream().mapToLong(INDArray::length).sum();
    this.parameters = Nd4j.create(DataType.FLOAT, total);
    this.velocities = Nd4j.zeros(DataType.FLOAT, total);
    this.gradient = Nd4j.create(DataType.FLOAT, total);
    this.scratch = Nd4j.create(DataType.FLOAT, total);
    this.weights = CnnStep.views(parameters, initial);
    for (String name : PARAMS) {
      INDArray start = initial.get(name);
      weights.get(name).assign(start);
      sd.associateArrayWithVariable(weights.get(name), sd.getVariable(name));
      if (sd.getArrForVarName(name) != weights.get(name)) {
        throw new IllegalStateException("SameDiff did not take the view of weight " + name);
      }
    }
    velocity.putAll(CnnStep.views(velocities, weights));
    this.step = new CnnStep(nf, weights, gradient);
  }

  private final CnnStep step;
  /**
   * Training steps and validation run op by op ({@link CnnStep}) by default; {@code -Dhps.cnn.samediff=true}
   * runs them through the SameDiff graph instead (the same loss and gradients; slower and several times the
   * memory: see README, Training speed).
   */
  private static final boolean SAMEDIFF_STEP = Boolean.getBoolean("hps.cnn.samediff");

  /** How training and validation run: {@code "op by op"} (default) or {@code "samediff"}; results say it. */
  static String execution() {
    return SAMEDIFF_STEP ? "samediff" : "op by op";
  }
  /** All weights, one after the other ({@link CnnStep#PARAMS}'s order); {@link #weights} holds views of it. */
  private final INDArray parameters;
  private final INDArray velocities;
  private final INDArray gradient;
  private final INDArray scratch;
  /** The weight arrays by name (views of {@link #parameters}, also the graph's variables), updated in place. */
  private final Map<String, INDArray> weights;

  private SDVariable conv(SDVariable x, String n, int in, int out, SplittableRandom random) {
    SDVariable w = sd.var("w" + n, glorot(random, 5 * 5 * in, 5 * 5 * out, 5, 5, in, out));
    SDVariable b = sd.var("b" + n, Nd4j.zeros(DataType.FLOAT, out));
    Conv2DConfig conv = Conv2DConfig.builder().kH(5).kW(5).sH(1).sW(1).dataFormat("NHWC")
        .weightsFormat(WeightsFormat.YXIO).build();
    SDVariable activated = sd.nn().relu(sd.cnn().conv2d(x, w, b, conv), 0);
    return sd.cnn().maxPooling2d(activated, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(true).build());
  }

  /**
   * A graph used by one thread at a time, whose variables may be views: the default array holder copies
   * views, which would cut the graph's weights off from the flat array the optimizer updates.
   */
  private static SameDiff singleThreaded() {
    SameDiff graph = SameDiff.create();
    graph.setArrayHolders(new org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder(),
        new org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder(), false);
    return graph;
  }

  /** Glorot-uniform weights of the given shape: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
  private static INDArray glorot(SplittableRandom random, int fanIn, int fanOut, long... shape) {
    double a = Math.sqrt(6.0 / (fanIn + fanOut));
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] values = new float[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * a);
    }
    return Nd4j.create(values, shape, 'c');
  }

  /** One pass over {@code data} in shuffled minibatches; returns the mean minibatch loss (NaN if it diverged). */
  double trainEpoch(Dataset data, int bs, double lr, double m, boolean nesterov, SplittableRandom random) {
    int[] order = Batches.shuffled(data.rows(), random);
    double sum = 0;
    int batches = 0;
    for (int from = 0; from < order.length; from += bs) {
      int n = Math.min(bs, order.length - from);
      float[] mask1 = mask(random, n, features);
      float[] mask2 = mask(random, n, 256);
      double loss = SAMEDIFF_STEP ? sameDiffGradients(data, order, from, n, mask1, mask2)
          : step.train(data, order, from, n, mask1, mask2);
      sum += loss;
      batches++;
      if (!Double.isFinite(loss)) {
        return loss;
      }
      update(lr, m, nesterov);
    }
    return sum / batches;
  }

  /**
   * SGD with momentum on all weights at once: {@code v = m v - lr g}, then {@code p += v} (classic) or
   * {@code p += m v - lr g} (Nesterov, as Lasagne).
   */
  private void update(double lr, double m, boolean nesterov) {
    gradient.muli(lr);
    velocities.muli(m).subi(gradient);
    if (nesterov) {
      scratch.assign(velocities).muli(m).subi(gradient);
      parameters.addi(scratch);
    } else {
      parameters.addi(velocities);
    }
  }

  /** The graph's loss of one minibatch, its gradients copied into the flat gradient array. */
  private double sameDiffGradients(Dataset data, int[] order, int from, int n, float[] mask1, float[] mask2) {
    try (INDArray x = Batches.features(data, order, from, n);
        INDArray y = Batches.oneHot(data, order, from, n);
        INDArray m1 = Nd4j.create(mask1, new long[] {n, features}, 'c');
        INDArray m2 = Nd4j.create(mask2, new long[] {n, 256}, 'c');
        Result result = sameDiffStep(x, y, m1, m2)) {
      boundCache();
      result.gradients().forEach((name, g) -> step.gradients().get(name).assign(g));
      return result.loss();
    }
  }

  /**
   * Images per validation pass. With SameDiff, validating 10,000 images at NF=32 on 2 cores took about 3.6 s
   * in passes of 1000 and 1.6 s in passes of 250 or 100. Op by op, passes of 100, 250, 500 and 1000 gave the
   * same epoch times within this VM's noise at NF 1 to 128 (2026-12-03, bench-train); the peak memory grows
   * with the pass (NF=128: 0.8 GB at 250, 1.2 GB at 1000).
   */
  static final int VALIDATION_BATCH = 250;

  /** Mean negative log-likelihood and error fraction on {@code data}, without dropout. */
  Scores evaluate(Dataset data) {
    int[] order = Batches.identity(data.rows());
    Scores scores = null;
    float[] probs = new float[VALIDATION_BATCH * 10];
    for (int from = 0; from < data.rows(); from += VALIDATION_BATCH) {
      int n = Math.min(VALIDATION_BATCH, data.rows() - from);
      if (SAMEDIFF_STEP) {
        try (INDArray x = Batches.features(data, order, from, n)) {
          probs = sameDiffProbabilities(x);
        }
      } else {
        step.probabilities(data, order, from, n, probs);
      }
      scores = Validation.of(probs, data, from, n, scores, from);
    }
    return scores;
  }

  /**
   * SameDiff's per-thread session caches freed arrays for reuse, by default up to a quarter of the
   * machine's memory, which with off-heap memory freed only by GC drove a 2-core, 24 GB machine out of
   * memory within minutes. The cache is bounded to a small fraction instead.
   */
  private void boundCache() {
    var session = sd.getSessions().get(Thread.currentThread().getId());
    if (session != null && !(session.getMmgr() instanceof BoundedCache)) {
      session.setMmgr(new BoundedCache());
    }
  }

  /** An array cache of at most 2% of physical memory. */
  private static final class BoundedCache extends org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr {
    BoundedCache() {
      super(0.02, 1024, 2.0);
    }
  }

  static void close(java.util.Collection<INDArray> arrays) {
    for (INDArray a : arrays) {
      if (a != null && a.closeable()) {
        a.close();
      }
    }
  }

  /** The weights by name ({@code w1 ... b4}), the graph's own arrays. */
  Map<String, INDArray> weights() {
    return weights;
  }

  /** The graph's class probabilities, row-major, of images {@code x} ({@code n x 784}), without dropout. */
  float[] sameDiffProbabilities(INDArray x) {
    try (INDArray p = sd.output(Map.of("in", x), "probs").get("probs")) {
      boundCache();
      return Batches.flat(p);
    }
  }

  /** A loss and gradients by weight name. */
  record Result(double loss, Map<String, INDArray> gradients) implements AutoCloseable {
    @Override
    public void close() {
      CnnGraph.close(gradients.values());
    }
  }

  /** The loss and gradients SameDiff computes for one minibatch (also for checking {@link CnnStep}). */
  Result sameDiffStep(INDArray x, INDArray y, INDArray m1, INDArray m2) {
    OutAndGrad step = sd.calculateGradientsAndOutputs(Map.of("in", x, "label", y, "mask1", m1, "mask2", m2),
        List.of("loss"), PARAMS);
    Map<String, INDArray> g = new java.util.LinkedHashMap<>();
    PARAMS.forEach(name -> g.put(name, step.getGradients().get(name)));
    return new Result(step.getOutputs().get("loss").getDouble(0), g);
  }

  /** The weights and the momentum velocities: what training needs to continue. */
  private Map<String, INDArray> state() {
    Map<String, INDArray> state = new java.util.LinkedHashMap<>();
    for (String name : PARAMS) {
      state.put(name, weights.get(name));
      state.put("v-" + name, velocity.get(name));
    }
    return state;
  }

  /** Saves the weights and velocities into {@code file}. */
  void save(java.nio.file.Path file) throws java.io.IOException {
    ArrayFile.write(file, "cnn nf=" + features / 16, state());
  }

  /** Restores what {@link #save} wrote; a file of another network (or a damaged one) changes nothing. */
  void restore(java.nio.file.Path file) throws java.io.IOException {
    ArrayFile.readInto(file, "cnn nf=" + features / 16, state());
  }

  long parameterCount() {
    return parameters.length();
  }

  private float[] mask(SplittableRandom random, int n, int width) {
    float[] values = new float[n * width];
    float scale = (float) (1 / keep);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble() < keep ? scale : 0f;
    }
    return values;
  }

  /** Frees the graph's off-heap memory now: a worker trains many settings in one JVM. */
  @Override
  public void close() {
    step.close();
    for (var session : sd.getSessions().values()) {
      session.getMmgr().close();
    }
    sd.getSessions().clear();
    close(List.of(parameters, velocities, gradient, scratch));
    System.gc();
  }
}
