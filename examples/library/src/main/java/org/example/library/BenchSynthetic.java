package org.example.library;

import io.hps.library.Study;
import io.hps.space.SearchSpace;
import io.hps.synthetic.SyntheticTrainer;
import java.nio.file.Path;

/**
 * The library's cost per trial: {@code optimize} with hps's synthetic trainer (zero-cost epochs) on 2 threads,
 * to compare with {@code hps run --workers 2} on the same space (examples/benchmarks/library/compare.sh).
 *
 * <pre>java ... org.example.library.BenchSynthetic search-spaces/synthetic.json 2000 runs/bench</pre>
 */
public final class BenchSynthetic {
  public static void main(String[] args) throws Exception {
    SearchSpace space = SearchSpace.read(Path.of(args[0])).withSet("epochSeconds=0");
    int trials = Integer.parseInt(args[1]);
    long start = System.nanoTime();
    try (Study study = Study.builder(space).seed(1).batch(2, "async").directory(Path.of(args[2])).build()) {
      int results = study.optimize(new SyntheticTrainer(), trials, 2).size();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("library optimize, 2 threads: %d results in %.1f s, %.2f ms per trial%n", results, seconds,
          1000 * seconds / results);
    }
  }
}
