package io.hps.dl4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hps.space.Params;
import io.hps.trainer.Trial;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A benchmark, not a test: milliseconds per call of the exercise CNN's native ops at BS=100, with and
 * without oneDNN, the numbers behind {@link CnnStep}'s and {@link PreparedOp}'s choices. Runs only when asked:
 * {@code ./mvnw -o -q test -pl worker/dl4j -Dtest=ConvOpsBench -Dhps.bench.ops=true}.
 */
class ConvOpsBench {
  private static INDArray r(long... shape) {
    return Nd4j.rand(DataType.FLOAT, shape);
  }

  private static void time(String label, String op, long[] ints, INDArray[] in, INDArray[] out, double... floats) {
    for (boolean helpers : new boolean[] {true, false}) {
      CustomOp c = DynamicCustomOp.builder(op).build();
      try (OpContext context = Nd4j.getExecutioner().buildContext()) {
        context.setInputArrays(in);
        context.setOutputArrays(out);
        context.setIArguments(ints);
        if (floats.length > 0) {
          context.setTArguments(floats);
        }
        context.allowHelpers(helpers);
        for (int i = 0; i < 5; i++) {
          Nd4j.getExecutioner().exec(c, context);
        }
        int reps = 20;
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
          Nd4j.getExecutioner().exec(c, context);
        }
        System.out.printf("%-34s %-8s %8.3f ms%n", label, helpers ? "oneDNN" : "built-in",
            (System.nanoTime() - start) / 1e6 / reps);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void opTimes() {
    assumeTrue(Boolean.getBoolean("hps.bench.ops"), "a benchmark: run with -Dhps.bench.ops=true");
    Nd4jStart.once(Trial.of(new Params(Map.of("model", "cnn")), CnnTrainerTest.TINY));
    long n = 100;
    long[] conv = {5, 5, 1, 1, 0, 0, 1, 1, 0, 1, 0};
    long[] pool = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1};
    for (int nf : new int[] {1, 8, 32, 128}) {
      String p = "nf=" + nf + " ";
      INDArray x = r(n, 28, 28, 1);
      INDArray z1 = r(n, 24, 24, nf);
      INDArray b = r(nf);
      time(p + "conv1", "conv2d", conv, new INDArray[] {x, r(5, 5, 1, nf), b}, new INDArray[] {z1});
      time(p + "conv1 backward (conv2d_bp)", "conv2d_bp", conv, new INDArray[] {x, r(5, 5, 1, nf), b, z1},
          new INDArray[] {r(n, 28, 28, 1), r(5, 5, 1, nf), r(nf)});
      time(p + "conv1 w+b gradient (patches)", "matmul", new long[] {0, 0, 0},
          new INDArray[] {r(26, n * 576), z1.reshape(n * 576, nf)}, new INDArray[] {r(26, nf)});
      INDArray a1 = r(n, 12, 12, nf);
      INDArray z2 = r(n, 8, 8, nf);
      time(p + "conv2", "conv2d", conv, new INDArray[] {a1, r(5, 5, nf, nf), b}, new INDArray[] {z2});
      time(p + "conv2 backward", "conv2d_bp", conv, new INDArray[] {a1, r(5, 5, nf, nf), b, z2},
          new INDArray[] {r(n, 12, 12, nf), r(5, 5, nf, nf), r(nf)});
      time(p + "pool1", "maxpool2d", pool, new INDArray[] {z1}, new INDArray[] {r(n, 12, 12, nf)});
      time(p + "pool1 backward", "maxpool2d_bp", pool, new INDArray[] {z1, a1}, new INDArray[] {r(n, 24, 24, nf)});
      time(p + "relu before pool1", "relu", new long[0], new INDArray[] {z1}, new INDArray[] {r(n, 24, 24, nf)}, 0);
      time(p + "relu backward before pool1", "relu_bp", new long[0], new INDArray[] {z1, z1},
          new INDArray[] {r(n, 24, 24, nf)}, 0);
      time(p + "relu backward after pool1", "relu_bp", new long[0], new INDArray[] {a1, a1},
          new INDArray[] {r(n, 12, 12, nf)}, 0);
      INDArray d1 = r(n, nf * 16);
      INDArray w3 = r(nf * 16, 256);
      INDArray z3 = r(n, 256);
      time(p + "dense3", "matmul", new long[] {0, 0, 0}, new INDArray[] {d1, w3}, new INDArray[] {z3});
      time(p + "dense3 weight gradient", "matmul", new long[] {1, 0, 0}, new INDArray[] {d1, z3},
          new INDArray[] {r(nf * 16, 256)});
      time(p + "dense3 input gradient", "matmul", new long[] {0, 1, 0}, new INDArray[] {z3, w3},
          new INDArray[] {r(n, nf * 16)});
      time(p + "dense3 bias sum (reduce_sum)", "reduce_sum", new long[] {0}, new INDArray[] {z3},
          new INDArray[] {r(256)});
      time(p + "dense3 bias sum (ones product)", "matmul", new long[] {0, 0, 0}, new INDArray[] {r(1, n), z3},
          new INDArray[] {r(1, 256)});
    }
  }
}
