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
 * The exercise CNN as a SameDiff graph with two heads sharing the weights: a training head with
 * inverted-dropout masks fed as placeholders (SameDiff's own dropout has no gradient in M2.1) and a
 * loss, and an evaluation head without dropout. Weights, masks and shuffles come from one seeded Java
 * random generator, so a run does not depend on which native build is loaded. The update is done here:
 * {@code v = m v - lr g}, then {@code p += v} (classic) or {@code p += m v - lr g} (Nesterov, as Lasagne).
 */
final class CnnGraph implements AutoCloseable {
  private static final List<String> PARAMS = List.of("w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4");
  private final SameDiff sd = SameDiff.create();
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
    for (String name : PARAMS) {
      velocity.put(name, sd.getArrForVarName(name).ulike().assign(0));
    }
    this.step = new CnnStep(nf);
    this.weights = weights();
  }

  private final CnnStep step;
  /**
   * Training steps run through the SameDiff session by default; {@code -Dhps.cnn.direct=true} runs them op
   * by op ({@link CnnStep}: the same loss and gradients, a third of the memory, but slower here: see README,
   * Training speed).
   */
  private static final boolean SAMEDIFF_STEP = !Boolean.getBoolean("hps.cnn.direct");
  /** The graph's weight arrays by name, updated in place by training. */
  private final Map<String, INDArray> weights;

  private SDVariable conv(SDVariable x, String n, int in, int out, SplittableRandom random) {
    SDVariable w = sd.var("w" + n, glorot(random, 5 * 5 * in, 5 * 5 * out, 5, 5, in, out));
    SDVariable b = sd.var("b" + n, Nd4j.zeros(DataType.FLOAT, out));
    Conv2DConfig conv = Conv2DConfig.builder().kH(5).kW(5).sH(1).sW(1).dataFormat("NHWC")
        .weightsFormat(WeightsFormat.YXIO).build();
    SDVariable activated = sd.nn().relu(sd.cnn().conv2d(x, w, b, conv), 0);
    return sd.cnn().maxPooling2d(activated, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(true).build());
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
      Map<String, INDArray> feed = new HashMap<>();
      feed.put("in", Batches.features(data, order, from, n));
      feed.put("label", Batches.oneHot(data, order, from, n));
      feed.put("mask1", mask(random, n, features));
      feed.put("mask2", mask(random, n, 256));
      CnnStep.Result step = SAMEDIFF_STEP ? sameDiffStep(feed.get("in"), feed.get("label"), feed.get("mask1"),
          feed.get("mask2")) : this.step.run(weights, feed.get("in"), feed.get("label"), feed.get("mask1"),
          feed.get("mask2"));
      if (SAMEDIFF_STEP) {
        boundCache();
      }
      double loss = step.loss();
      sum += loss;
      batches++;
      if (Double.isFinite(loss)) {
        for (String name : PARAMS) {
          INDArray g = step.gradients().get(name).muli(lr);
          INDArray v = velocity.get(name);
          INDArray p = sd.getArrForVarName(name);
          v.muli(m).subi(g);
          if (nesterov) {
            try (INDArray mv = v.mul(m)) {
              p.addi(mv).subi(g);
            }
          } else {
            p.addi(v);
          }
        }
      }
      // Off-heap memory is not freed until Java's GC runs, which a small heap rarely needs: free it now.
      close(feed.values()); // CnnStep's gradients are its own reused arrays: not closed here
      if (SAMEDIFF_STEP) {
        step.close();
      }
      if (!Double.isFinite(loss)) {
        return loss;
      }
    }
    return sum / batches;
  }

  /**
   * Images per validation pass. Measured at NF=32 on 2 cores: validating 10,000 images took about 3.6 s
   * in passes of 1000 and about 1.6 s in passes of 250 or 100 (the same scores).
   */
  static final int VALIDATION_BATCH = 250;

  /** Mean negative log-likelihood and error fraction on {@code data}, without dropout. */
  Scores evaluate(Dataset data) {
    int[] order = Batches.identity(data.rows());
    Scores scores = null;
    for (int from = 0; from < data.rows(); from += VALIDATION_BATCH) {
      int n = Math.min(VALIDATION_BATCH, data.rows() - from);
      try (INDArray x = Batches.features(data, order, from, n);
          INDArray probs = sd.output(Map.of("in", x), "probs").get("probs")) {
        boundCache();
        scores = Validation.of(Batches.flat(probs), data, from, n, scores, from);
      }
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
    Map<String, INDArray> w = new java.util.LinkedHashMap<>();
    PARAMS.forEach(name -> w.put(name, sd.getArrForVarName(name)));
    return w;
  }

  /** The loss and gradients SameDiff computes for one minibatch (for checking {@link CnnStep}). */
  CnnStep.Result sameDiffStep(INDArray x, INDArray y, INDArray m1, INDArray m2) {
    OutAndGrad step = sd.calculateGradientsAndOutputs(Map.of("in", x, "label", y, "mask1", m1, "mask2", m2),
        List.of("loss"), PARAMS);
    Map<String, INDArray> g = new java.util.LinkedHashMap<>();
    PARAMS.forEach(name -> g.put(name, step.getGradients().get(name)));
    return new CnnStep.Result(step.getOutputs().get("loss").getDouble(0), g);
  }

  /** The weights and the momentum velocities: what training needs to continue. */
  private Map<String, INDArray> state() {
    Map<String, INDArray> state = new java.util.LinkedHashMap<>();
    for (String name : PARAMS) {
      state.put(name, sd.getArrForVarName(name));
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
    return PARAMS.stream().mapToLong(n -> sd.getArrForVarName(n).length()).sum();
  }

  private INDArray mask(SplittableRandom random, int n, int width) {
    float[] values = new float[n * width];
    float scale = (float) (1 / keep);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble() < keep ? scale : 0f;
    }
    return Nd4j.create(values, new long[] {n, width}, 'c');
  }

  /** Frees the graph's off-heap memory now: a worker trains many settings in one JVM. */
  @Override
  public void close() {
    step.close();
    close(velocity.values());
    for (var session : sd.getSessions().values()) {
      session.getMmgr().close();
    }
    sd.getSessions().clear();
    for (String name : PARAMS) {
      sd.getArrForVarName(name).close();
    }
    System.gc();
  }
}
