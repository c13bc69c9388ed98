package io.hps.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A native operation bound once to its input and output arrays and arguments, run many times. Executing a
 * {@link DynamicCustomOp} the usual way builds and frees a native context on every call; for the small
 * operations of a small network that set-up costs as much as the arithmetic. The arrays must stay alive and
 * keep their place in memory while this op is used (the network's buffers, allocated once per batch size).
 */
final class PreparedOp implements AutoCloseable {
  private final CustomOp op;
  private final OpContext context;

  private PreparedOp(String name, INDArray[] in, INDArray[] out, long[] ints, double[] floats, boolean helpers) {
    this.op = DynamicCustomOp.builder(name).build();
    this.context = Nd4j.getExecutioner().buildContext();
    context.setInputArrays(in);
    context.setOutputArrays(out);
    if (ints.length > 0) {
      context.setIArguments(ints);
    }
    if (floats.length > 0) {
      context.setTArguments(floats);
    }
    // oneDNN makes convolutions, pooling and matrix products several times faster here; the ReLU gradient ran
    // faster without it (measured: ConvOpsBench).
    context.allowHelpers(helpers);
  }

  /** An op using the platform helpers (oneDNN) where the native library has them. */
  static PreparedOp of(String name, INDArray[] in, INDArray[] out, long... ints) {
    return new PreparedOp(name, in, out, ints, new double[0], true);
  }

  /** An op run with the native library's own loops. */
  static PreparedOp plain(String name, INDArray[] in, INDArray[] out, long... ints) {
    return new PreparedOp(name, in, out, ints, new double[0], false);
  }

  /** {@code out = a b}, either operand optionally transposed (oneDNN's product: faster here at every size measured). */
  static PreparedOp matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray out) {
    return new PreparedOp("matmul", new INDArray[] {a, b}, new INDArray[] {out},
        new long[] {transposeA ? 1 : 0, transposeB ? 1 : 0, 0}, new double[] {1.0, 0.0}, true);
  }

  /** ReLU gradient: {@code out = z > 0 ? g : 0}. */
  static PreparedOp reluGradient(INDArray z, INDArray g, INDArray out) {
    return new PreparedOp("relu_bp", new INDArray[] {z, g}, new INDArray[] {out}, new long[0], new double[] {0.0},
        false);
  }

  /** ReLU: {@code out = max(z, 0)}. */
  static PreparedOp relu(INDArray z, INDArray out) {
    return new PreparedOp("relu", new INDArray[] {z}, new INDArray[] {out}, new long[0], new double[] {0.0}, true);
  }

  void run() {
    Nd4j.getExecutioner().exec(op, context);
  }

  @Override
  public void close() {
    try {
      context.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not free a native op context", e);
    }
  }
}
