package io.hps.dl4j;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step of the exercise CNN executed op by op on ND4J, without a SameDiff session: the
 * forward pass, the loss, and the gradients of every weight, for the same network and the same dropout
 * masks as {@link CnnGraph}'s graph (NHWC activations, YXIO kernels, valid 5x5 convolutions, 2x2 max
 * pooling, inverted dropout before each dense layer, softmax cross-entropy averaged over the batch).
 * Every intermediate array is allocated once per batch size and reused: on small networks SameDiff's
 * session bookkeeping and fresh native buffers cost more than the operations themselves.
 */
final class CnnStep implements AutoCloseable {
  private static final int[] CONV = {5, 5, 1, 1, 0, 0, 1, 1, 0, 1, 0}; // kH kW sH sW pH pW dH dW same NHWC YXIO
  private static final int[] POOL = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1}; // ... extraParam0, NHWC

  private final int nf;
  private final int features;
  private final Map<Long, Buffers> byBatch = new HashMap<>();

  CnnStep(int nf) {
    this.nf = nf;
    this.features = nf * 16;
  }

  /** The loss and the gradients by weight name ({@code w1 ... b4}) of one minibatch. */
  record Result(double loss, Map<String, INDArray> gradients) implements AutoCloseable {
    @Override
    public void close() {
      CnnGraph.close(gradients.values());
    }
  }

  /** The arrays of one batch size: activations, their gradients, the weights' gradients. */
  private final class Buffers {
    final INDArray z1, a1, p1, z2, a2, p2, d1, z3, a3, d2, z4, p;
    final INDArray g4, gd2, gz3, gd1, gz2, gp1, gz1, gx;
    final Map<String, INDArray> grads = new LinkedHashMap<>();

    Buffers(long n, Map<String, INDArray> w) {
      z1 = f(n, 24, 24, nf);
      a1 = f(n, 24, 24, nf);
      p1 = f(n, 12, 12, nf);
      z2 = f(n, 8, 8, nf);
      a2 = f(n, 8, 8, nf);
      p2 = f(n, 4, 4, nf);
      d1 = f(n, features);
      z3 = f(n, 256);
      a3 = f(n, 256);
      d2 = f(n, 256);
      z4 = f(n, 10);
      p = f(n, 10);
      g4 = f(n, 10);
      gd2 = f(n, 256);
      gz3 = f(n, 256);
      gd1 = f(n, features);
      gz2 = f(n, 8, 8, nf);
      gp1 = f(n, 12, 12, nf);
      gz1 = f(n, 24, 24, nf);
      gx = f(n, 28, 28, 1);
      for (String name : new String[] {"w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4"}) {
        grads.put(name, w.get(name).ulike());
      }
    }

    void close() {
      CnnGraph.close(java.util.List.of(z1, a1, p1, z2, a2, p2, d1, z3, a3, d2, z4, p, g4, gd2, gz3, gd1, gz2, gp1,
          gz1, gx));
      CnnGraph.close(grads.values());
    }
  }

  /**
   * One step. The returned gradients are this object's own arrays, overwritten by the next step of the
   * same batch size: use them before that, and do not close them.
   *
   * @param w the weights by name, as the graph holds them
   * @param x {@code n x 784} images, {@code y} {@code n x 10} one-hot labels, {@code m1}, {@code m2} the
   *     inverted-dropout masks of the two dense inputs
   */
  Result run(Map<String, INDArray> w, INDArray x, INDArray y, INDArray m1, INDArray m2) {
    long n = x.size(0);
    Buffers b = byBatch.computeIfAbsent(n, k -> new Buffers(k, w));
    Map<String, INDArray> g = b.grads;
    INDArray x4 = x.reshape('c', n, 28, 28, 1);
    exec("conv2d", CONV, new INDArray[] {x4, w.get("w1"), w.get("b1")}, b.z1);
    relu(b.z1, b.a1);
    exec("maxpool2d", POOL, new INDArray[] {b.a1}, b.p1);
    exec("conv2d", CONV, new INDArray[] {b.p1, w.get("w2"), w.get("b2")}, b.z2);
    relu(b.z2, b.a2);
    exec("maxpool2d", POOL, new INDArray[] {b.a2}, b.p2);
    b.d1.assign(b.p2.reshape('c', n, features)).muli(m1);
    b.d1.mmuli(w.get("w3"), b.z3).addiRowVector(w.get("b3"));
    relu(b.z3, b.a3);
    b.d2.assign(b.a3).muli(m2);
    b.d2.mmuli(w.get("w4"), b.z4).addiRowVector(w.get("b4"));
    exec("softmax", new int[] {1}, new INDArray[] {b.z4}, b.p);
    double loss = crossEntropy(b.p, y, n);

    b.g4.assign(b.p).subi(y).divi(n);
    b.d2.transpose().mmuli(b.g4, g.get("w4"));
    b.g4.sum(g.get("b4"), 0);
    b.g4.mmuli(w.get("w4").transpose(), b.gd2);
    b.gd2.muli(m2);
    exec("relu_bp", new int[0], new INDArray[] {b.z3, b.gd2}, b.gz3, 0.0);
    b.d1.transpose().mmuli(b.gz3, g.get("w3"));
    b.gz3.sum(g.get("b3"), 0);
    b.gz3.mmuli(w.get("w3").transpose(), b.gd1);
    b.gd1.muli(m1);
    INDArray gp2 = b.gd1.reshape('c', n, 4, 4, nf);
    exec("maxpool2d_bp", POOL, new INDArray[] {b.a2, gp2}, b.gz2);
    exec("relu_bp", new int[0], new INDArray[] {b.z2, b.gz2}, b.gz2, 0.0);
    exec("conv2d_bp", CONV, new INDArray[] {b.p1, w.get("w2"), w.get("b2"), b.gz2},
        new INDArray[] {b.gp1, g.get("w2"), g.get("b2")});
    exec("maxpool2d_bp", POOL, new INDArray[] {b.a1, b.gp1}, b.gz1);
    exec("relu_bp", new int[0], new INDArray[] {b.z1, b.gz1}, b.gz1, 0.0);
    exec("conv2d_bp", CONV, new INDArray[] {x4, w.get("w1"), w.get("b1"), b.gz1},
        new INDArray[] {b.gx, g.get("w1"), g.get("b1")});
    return new Result(loss, g);
  }

  private static void exec(String op, int[] ints, INDArray[] in, INDArray out, double... floats) {
    exec(op, ints, in, new INDArray[] {out}, floats);
  }

  private static void exec(String op, int[] ints, INDArray[] in, INDArray[] out, double... floats) {
    CustomOp c = DynamicCustomOp.builder(op).addInputs(in).addOutputs(out).addIntegerArguments(ints)
        .addFloatingPointArguments(floats.length == 0 ? new Double[0] : new Double[] {floats[0]}).build();
    Nd4j.exec(c);
  }

  private static void relu(INDArray z, INDArray out) {
    out.assign(z);
    org.nd4j.linalg.ops.transforms.Transforms.relu(out, false);
  }

  /** Mean over the batch of -log p(label). */
  private static double crossEntropy(INDArray p, INDArray y, long n) {
    try (INDArray picked = p.mul(y).sum(1)) {
      org.nd4j.linalg.ops.transforms.Transforms.log(picked, false);
      return -picked.sumNumber().doubleValue() / n;
    }
  }

  private static INDArray f(long... shape) {
    return Nd4j.create(DataType.FLOAT, shape);
  }

  @Override
  public void close() {
    byBatch.values().forEach(Buffers::close);
    byBatch.clear();
  }
}
