package io.hps.stopping;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Learning-curve prediction in the spirit of Baker et al. (2017): from the trials that ran all their
 * epochs, fit a ridge regression that predicts the final validation error from the first {@code e}
 * epochs' curve (last value, last slope, mean, best) and the numeric hyperparameters (and their logs);
 * stop a trial after epoch {@code e} when its prediction minus {@code z} leave-one-out standard errors
 * is still worse than the best final error so far. Needs {@code minTrained} finished curves first.
 */
final class PredictedRule implements StoppingRule {
  private final int minEpochs;
  private final int minTrained;
  private final double z;

  PredictedRule(int minEpochs, int minTrained, double z) {
    this.minEpochs = minEpochs;
    this.minTrained = minTrained;
    this.z = z;
  }

  @Override
  public Optional<String> stop(Curve trial, int plannedEpochs, List<Curve> others) {
    int e = trial.epochs();
    if (e < minEpochs || e >= plannedEpochs) {
      return Optional.empty();
    }
    List<Curve> trained = others.stream().filter(c -> c.ended() && c.epochs() == plannedEpochs
        && Double.isFinite(c.valErrors()[plannedEpochs - 1]) && !c.id().equals(trial.id())).toList();
    if (trained.size() < minTrained) {
      return Optional.empty();
    }
    double best = trained.stream().mapToDouble(c -> c.valErrors()[plannedEpochs - 1]).min().orElseThrow();
    double sofar = java.util.Arrays.stream(trial.valErrors()).filter(Double::isFinite).min().orElse(Double.NaN);
    if (sofar <= best) {
      // Already better than every finished trial: no extrapolation from their curves overrules that.
      return Optional.empty();
    }
    Prediction p = predict(trained, trial, e, plannedEpochs);
    if (p.mean() - z * p.error() > best) {
      return Optional.of(String.format(Locale.ROOT, "predicted rule: final validation error predicted %.4f +- %.4f"
          + " after %d epochs, worse than the best %.4f", p.mean(), p.error(), e, best));
    }
    return Optional.empty();
  }

  /** The predicted final error and its leave-one-out standard error. */
  record Prediction(double mean, double error) {}

  static Prediction predict(List<Curve> trained, Curve trial, int e, int planned) {
    List<String> names = numericParams(trained, trial);
    int n = trained.size();
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = features(trained.get(i), e, names);
      y[i] = trained.get(i).valErrors()[planned - 1];
    }
    double[] q = features(trial, e, names);
    int d = q.length;
    // Standardise the columns on the training curves; the intercept is the mean of y.
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      for (double[] row : x) {
        mean[j] += row[j] / n;
      }
      for (double[] row : x) {
        sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
      sd[j] = Math.sqrt(sd[j]) > 1e-12 ? Math.sqrt(sd[j]) : 1;
    }
    double yMean = 0;
    for (double v : y) {
      yMean += v / n;
    }
    RealMatrix a = new Array2DRowRealMatrix(n, d);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        a.setEntry(i, j, (x[i][j] - mean[j]) / sd[j]);
      }
    }
    RealVector b = new ArrayRealVector(y).mapSubtract(yMean);
    RealMatrix gram = a.transpose().multiply(a);
    for (int j = 0; j < d; j++) {
      gram.addToEntry(j, j, 1.0); // ridge
    }
    RealMatrix inverse = new LUDecomposition(gram).getSolver().getInverse();
    RealVector beta = inverse.operate(a.transpose().operate(b));
    double press = 0;
    for (int i = 0; i < n; i++) {
      RealVector row = a.getRowVector(i);
      double residual = b.getEntry(i) - row.dotProduct(beta);
      double leverage = row.dotProduct(inverse.operate(row));
      double loo = residual / Math.max(1e-6, 1 - leverage);
      press += loo * loo;
    }
    double[] qs = new double[d];
    for (int j = 0; j < d; j++) {
      qs[j] = (q[j] - mean[j]) / sd[j];
    }
    return new Prediction(yMean + new ArrayRealVector(qs).dotProduct(beta), Math.sqrt(press / n));
  }

  /** The numeric hyperparameters that vary across the training curves. */
  static List<String> numericParams(List<Curve> trained, Curve trial) {
    Set<String> names = new LinkedHashSet<>(trial.params().values().keySet());
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (name.equals("seed") || name.equals("epochs") || name.equals("rung") || name.equals("bracket")) {
        continue;
      }
      boolean numeric = trained.stream().allMatch(c -> c.params().values().get(name) instanceof Number)
          && trial.params().values().get(name) instanceof Number;
      if (numeric && trained.stream().map(c -> c.params().values().get(name)).distinct().count() > 1) {
        out.add(name);
      }
    }
    return out;
  }

  /** Curve features after epoch e, then each parameter and, when positive, its log. */
  static double[] features(Curve c, int e, List<String> names) {
    double[] v = c.valErrors();
    double last = finite(v[e - 1]);
    List<Double> f = new ArrayList<>(List.of(last, last - finite(v[Math.max(0, e - 2)]), c.meanUpTo(e), c.bestUpTo(e)
        == Double.POSITIVE_INFINITY ? 1 : c.bestUpTo(e)));
    for (String name : names) {
      double x = ((Number) c.params().values().get(name)).doubleValue();
      f.add(x);
      f.add(x > 0 ? Math.log(x) : 0);
    }
    return f.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 1;
  }
}
