package io.hps.dl4j;

import io.hps.data.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The exercise CNN's forward pass and training step executed op by op on ND4J, without a SameDiff session:
 * the same network as {@link CnnGraph}'s graph (NHWC activations, YXIO kernels, valid 5x5 convolutions, ReLU,
 * 2x2 max pooling, inverted dropout before each dense layer, softmax cross-entropy averaged over the batch),
 * the same loss and gradients (CnnStepTest).
 *
 * <p>What makes it fast on a CPU, each measured (ConvOpsBench, README "Training speed"):
 * <ul>
 *   <li>every array is allocated once per batch size and every native op bound to its arrays once
 *       ({@link PreparedOp}), so a step allocates nothing and builds no native context;</li>
 *   <li>ReLU after max pooling instead of before (they commute: the same activations and, except for ties
 *       among non-positive values whose gradient is zero anyway, the same gradients) on a quarter of the
 *       values;</li>
 *   <li>the first convolution's weight and bias gradients as one matrix product of the images' 5x5 patches
 *       (built in Java, with a row of ones for the bias) and the output gradient: the native
 *       {@code conv2d_bp} also computes the image gradient, which nothing needs, and sums the bias gradient
 *       over a strided axis, together about ten times the forward convolution's time;</li>
 *   <li>bias gradients as products with a row of ones, softmax and cross-entropy in Java on the 10 logits.</li>
 * </ul>
 * Gradients are written into one flat array in the order {@code w1 b1 w2 b2 w3 b3 w4 b4}, so that the
 * optimizer updates all weights with a few whole-array operations.
 */
final class CnnStep implements AutoCloseable {
  static final List<String> PARAMS = List.of("w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4");
  private static final long[] CONV = {5, 5, 1, 1, 0, 0, 1, 1, 0, 1, 0}; // kH kW sH sW pH pW dH dW same NHWC YXIO
  private static final long[] POOL = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1}; // ... extraParam0, NHWC
  private static final int PIXELS = 24 * 24; // outputs of the first convolution per image and filter
  /**
   * Images per product of patches and output gradient: the patches of a batch take 26 x 576 floats an image
   * (60 KB), twice (Java and native); chunks keep that bounded for large batches (a batch of 5000 would need
   * 600 MB) at no measurable cost (ConvOpsBench, README "Training speed").
   */
  static final int PATCH_CHUNK = 256;

  private final int nf;
  private final int features;
  private final Map<String, INDArray> weights;
  private final INDArray gradient;
  private final Map<String, INDArray> gradients;
  private final Map<Long, Pass> training = new HashMap<>();
  private final Map<Long, Pass> inference = new HashMap<>();

  /**
   * @param weights the weights by name, updated in place between steps
   * @param gradient the flat array the gradients are written into, as long as all weights together
   */
  CnnStep(int nf, Map<String, INDArray> weights, INDArray gradient) {
    this.nf = nf;
    this.features = nf * 16;
    this.weights = weights;
    this.gradient = gradient;
    this.gradients = views(gradient, weights);
  }

  /** Views of {@code flat} shaped like {@code like}'s arrays, one after the other in its order. */
  static Map<String, INDArray> views(INDArray flat, Map<String, INDArray> like) {
    Map<String, INDArray> views = new LinkedHashMap<>();
    long offset = 0;
    for (String name : PARAMS) {
      INDArray w = like.get(name);
      views.put(name, flat.get(NDArrayIndex.interval(offset, offset + w.length())).reshape('c', w.shape()));
      offset += w.length();
    }
    if (offset != flat.length()) {
      throw new IllegalArgumentException("flat array of " + flat.length() + " values for " + offset + " weights");
    }
    return views;
  }

  /** The gradients by name, views of the flat gradient array, as the last {@link #train} left them. */
  Map<String, INDArray> gradients() {
    return gradients;
  }

  /**
   * One training step on the rows {@code order[from .. from + n)} of {@code data}: writes the gradients of
   * the mean loss and returns that loss.
   *
   * @param mask1 {@code n x 16 nf} and {@code mask2} {@code n x 256} inverted-dropout masks, row-major
   */
  double train(Dataset data, int[] order, int from, int n, float[] mask1, float[] mask2) {
    Pass p = training.computeIfAbsent((long) n, k -> new Pass(n, true));
    p.load(data, order, from);
    put(p.m1, mask1, n * features);
    put(p.m2, mask2, n * 256);
    p.forward();
    get(p.z4, p.logits, n * 10);
    double loss = 0;
    for (int i = 0; i < n; i++) {
      int label = data.labels()[order[from + i]];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 10; c++) {
        max = Math.max(max, p.logits[i * 10 + c]);
      }
      double sum = 0;
      for (int c = 0; c < 10; c++) {
        sum += Math.exp(p.logits[i * 10 + c] - max);
      }
      loss += Math.log(sum) + max - p.logits[i * 10 + label];
      for (int c = 0; c < 10; c++) {
        double prob = Math.exp(p.logits[i * 10 + c] - max) / sum;
        p.logits[i * 10 + c] = (float) ((prob - (c == label ? 1 : 0)) / n);
      }
    }
    put(p.g4, p.logits, n * 10);
    p.backward();
    return loss / n;
  }

  /** Class probabilities (row-major, {@code n x 10}) of rows {@code from .. from + n} of {@code data}, without dropout. */
  void probabilities(Dataset data, int[] order, int from, int n, float[] out) {
    Pass p = inference.computeIfAbsent((long) n, k -> new Pass(n, false));
    p.load(data, order, from);
    p.forward();
    get(p.z4, out, n * 10);
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 10; c++) {
        max = Math.max(max, out[i * 10 + c]);
      }
      double sum = 0;
      for (int c = 0; c < 10; c++) {
        sum += Math.exp(out[i * 10 + c] - max);
      }
      for (int c = 0; c < 10; c++) {
        out[i * 10 + c] = (float) (Math.exp(out[i * 10 + c] - max) / sum);
      }
    }
  }

  /** The arrays and bound ops of one batch size, for training (with dropout and gradients) or inference. */
  private final class Pass {
    final int n;
    final float[] images;
    final float[] logits;
    final INDArray x, z4, m1, m2, g4;
    final float[] cols;
    final List<PatchProduct> patchProducts = new ArrayList<>();
    final List<INDArray> arrays = new ArrayList<>();
    final List<PreparedOp> forward = new ArrayList<>();
    final List<PreparedOp> backward = new ArrayList<>();

    Pass(int n, boolean train) {
      this.n = n;
      images = new float[n * 784];
      logits = new float[n * 10];
      x = f(n, 28, 28, 1);
      INDArray z1 = f(n, 24, 24, nf);
      INDArray q1 = f(n, 12, 12, nf);
      INDArray a1 = f(n, 12, 12, nf);
      INDArray z2 = f(n, 8, 8, nf);
      INDArray q2 = f(n, 4, 4, nf);
      INDArray a2 = f(n, 4, 4, nf);
      INDArray z3 = f(n, 256);
      INDArray a3 = f(n, 256);
      z4 = f(n, 10);
      INDArray flat = a2.reshape('c', n, features);
      m1 = train ? f(n, features) : null;
      m2 = train ? f(n, 256) : null;
      INDArray d1 = train ? f(n, features) : flat;
      INDArray d2 = train ? f(n, 256) : a3;
      fwd(PreparedOp.of("conv2d", in(x, w("w1"), w("b1")), in(z1), CONV));
      fwd(PreparedOp.of("maxpool2d", in(z1), in(q1), POOL));
      fwd(PreparedOp.relu(q1, a1));
      fwd(PreparedOp.of("conv2d", in(a1, w("w2"), w("b2")), in(z2), CONV));
      fwd(PreparedOp.of("maxpool2d", in(z2), in(q2), POOL));
      fwd(PreparedOp.relu(q2, a2));
      if (train) {
        fwd(PreparedOp.plain("multiply", in(flat, m1), in(d1)));
      }
      fwd(PreparedOp.matmul(d1, false, w("w3"), false, z3));
      fwd(PreparedOp.plain("add", in(z3, w("b3")), in(z3)));
      fwd(PreparedOp.relu(z3, a3));
      if (train) {
        fwd(PreparedOp.plain("multiply", in(a3, m2), in(d2)));
      }
      fwd(PreparedOp.matmul(d2, false, w("w4"), false, z4));
      fwd(PreparedOp.plain("add", in(z4, w("b4")), in(z4)));
      if (!train) {
        g4 = null;
        cols = null;
        return;
      }
      g4 = f(n, 10);
      INDArray ones = f(1, n).assign(1);
      INDArray gd2 = f(n, 256);
      INDArray gz3 = f(n, 256);
      INDArray gd1 = f(n, features);
      INDArray gq2 = f(n, 4, 4, nf);
      INDArray gz2 = f(n, 8, 8, nf);
      INDArray ga1 = f(n, 12, 12, nf);
      INDArray gq1 = f(n, 12, 12, nf);
      INDArray gz1 = f(n, 24, 24, nf);
      bwd(PreparedOp.matmul(d2, true, g4, false, g("w4")));
      bwd(PreparedOp.matmul(ones, false, g4, false, g("b4").reshape(1, 10)));
      bwd(PreparedOp.matmul(g4, false, w("w4"), true, gd2));
      bwd(PreparedOp.plain("multiply", in(gd2, m2), in(gd2)));
      bwd(PreparedOp.reluGradient(z3, gd2, gz3));
      bwd(PreparedOp.matmul(d1, true, gz3, false, g("w3")));
      bwd(PreparedOp.matmul(ones, false, gz3, false, g("b3").reshape(1, 256)));
      bwd(PreparedOp.matmul(gz3, false, w("w3"), true, gd1));
      bwd(PreparedOp.plain("multiply", in(gd1, m1), in(gd1)));
      bwd(PreparedOp.reluGradient(q2, gd1.reshape('c', n, 4, 4, nf), gq2));
      bwd(PreparedOp.of("maxpool2d_bp", in(z2, gq2), in(gz2), POOL));
      bwd(PreparedOp.of("conv2d_bp", in(a1, w("w2"), w("b2"), gz2), in(ga1, g("w2"), g("b2")), CONV));
      bwd(PreparedOp.reluGradient(q1, ga1, gq1));
      bwd(PreparedOp.of("maxpool2d_bp", in(z1, gq1), in(gz1), POOL));
      // w1 (5 x 5 x 1 x nf, that is 25 x nf) and b1 (nf) follow each other in the flat gradient: the product
      // of [patches; ones] (26 x pixels) with the output gradient (pixels x nf) gives both, summed over chunks
      // of at most PATCH_CHUNK images.
      INDArray w1b1 = gradient.get(NDArrayIndex.interval(0, 26 * nf)).reshape('c', 26, nf);
      INDArray rows = gz1.reshape('c', (long) n * PIXELS, nf);
      int chunk = Math.min(n, PATCH_CHUNK);
      cols = new float[26 * chunk * PIXELS];
      INDArray full = f(26, (long) chunk * PIXELS);
      INDArray partial = n > chunk ? f(26, nf) : null;
      for (int start = 0; start < n; start += chunk) {
        int m = Math.min(chunk, n - start);
        INDArray patches = m == chunk ? full : f(26, (long) m * PIXELS);
        INDArray g = rows.get(NDArrayIndex.interval((long) start * PIXELS, (long) (start + m) * PIXELS), NDArrayIndex.all());
        INDArray target = start == 0 ? w1b1 : partial;
        PreparedOp product = PreparedOp.matmul(patches, false, g, false, target);
        PreparedOp sum = start == 0 ? null : PreparedOp.plain("add", in(w1b1, partial), in(w1b1));
        patchProducts.add(new PatchProduct(start, m, patches, product, sum));
      }
    }

    void load(Dataset data, int[] order, int from) {
      for (int i = 0; i < n; i++) {
        System.arraycopy(data.features(), order[from + i] * 784, images, i * 784, 784);
      }
      put(x, images, n * 784);
    }

    /**
     * The 5x5 patches of images {@code start .. start + m} into {@code patches} ({@code 26 x 576 m}), tap by tap:
     * row {@code 5 ky + kx} holds pixel {@code (y + ky, x + kx)} of each output, row 25 ones.
     */
    void patches(int start, int m, INDArray patches) {
      int pixels = m * PIXELS;
      for (int ky = 0; ky < 5; ky++) {
        for (int kx = 0; kx < 5; kx++) {
          int row = (ky * 5 + kx) * pixels;
          for (int i = 0; i < m; i++) {
            int image = (start + i) * 784;
            for (int y = 0; y < 24; y++) {
              System.arraycopy(images, image + (y + ky) * 28 + kx, cols, row + i * PIXELS + y * 24, 24);
            }
          }
        }
      }
      java.util.Arrays.fill(cols, 25 * pixels, 26 * pixels, 1f);
      put(patches, cols, 26 * pixels);
    }

    void forward() {
      forward.forEach(PreparedOp::run);
    }

    void backward() {
      backward.forEach(PreparedOp::run);
      for (PatchProduct c : patchProducts) {
        patches(c.start(), c.images(), c.patches());
        c.product().run();
        if (c.sum() != null) {
          c.sum().run();
        }
      }
    }

    private void fwd(PreparedOp op) {
      forward.add(op);
    }

    private void bwd(PreparedOp op) {
      backward.add(op);
    }

    private INDArray f(long... shape) {
      INDArray a = Nd4j.create(DataType.FLOAT, shape);
      arrays.add(a);
      return a;
    }

    void close() {
      forward.forEach(PreparedOp::close);
      backward.forEach(PreparedOp::close);
      for (PatchProduct c : patchProducts) {
        c.product().close();
        if (c.sum() != null) {
          c.sum().close();
        }
      }
      CnnGraph.close(arrays);
    }
  }

  /** The first convolution's weight gradient of images {@code start .. start + images}, added to the flat gradient by {@code sum} (none for the first). */
  private record PatchProduct(int start, int images, INDArray patches, PreparedOp product, PreparedOp sum) {}

  private INDArray w(String name) {
    return weights.get(name);
  }

  private INDArray g(String name) {
    return gradients.get(name);
  }

  private static INDArray[] in(INDArray... arrays) {
    return arrays;
  }

  private static void put(INDArray target, float[] values, int length) {
    ((FloatPointer) target.data().pointer()).put(values, 0, length);
  }

  private static void get(INDArray source, float[] values, int length) {
    ((FloatPointer) source.data().pointer()).get(values, 0, length);
  }

  @Override
  public void close() {
    training.values().forEach(Pass::close);
    inference.values().forEach(Pass::close);
    training.clear();
    inference.clear();
  }
}
