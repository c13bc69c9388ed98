package org.example.library;

import io.hps.library.Objective;
import io.hps.library.Study;
import io.hps.space.SearchSpace;
import java.nio.file.Path;

/** Ten lines: tune a function of two parameters with TPE, 40 evaluations on 2 threads, in this JVM. */
public final class PlainFunction {
  public static void main(String[] args) throws Exception {
    SearchSpace space = SearchSpace.read(Path.of(args.length > 0 ? args[0] : "space.json"));
    try (Study study = Study.builder(space).strategy("tpe").seed(1).build()) {
      study.optimize(Objective.of(p -> error(p.getDouble("lr"), p.getInt("units"))), 40, 2);
      System.out.println("best: " + study.best().orElseThrow().objective().orElseThrow() + " at "
          + study.best().orElseThrow().params());
    }
  }

  /** A made-up validation error: lowest at lr = 0.01 and 64 units. */
  static double error(double lr, int units) {
    double a = Math.log10(lr) + 2;
    double b = Math.log(units / 64.0) / Math.log(2);
    return Math.min(1, 0.02 + 0.05 * a * a + 0.01 * b * b);
  }
}
