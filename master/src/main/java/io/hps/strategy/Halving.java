package io.hps.strategy;

import java.util.ArrayList;
import java.util.List;

/**
 * The schedule of successive halving and Hyperband, with epochs as the budget: brackets of rungs, rung
 * {@code i} of a bracket training {@code n_i} settings for {@code r_i} epochs, the best {@code 1/eta}
 * promoted to the next rung. Every rung is a list of slots; the strategy proposes slots in order.
 *
 * @param brackets the brackets in the order they run
 * @param eta the reduction factor
 */
public record Halving(List<Bracket> brackets, int eta) {
  /** One successive-halving run: the settings and epochs of each rung. */
  public record Bracket(int[] settings, int[] epochs) {
    public int rungs() {
      return settings.length;
    }

    /** Epochs spent when every promoted setting continues from its parent's state. */
    public long epochsContinued() {
      long sum = 0;
      for (int i = 0; i < settings.length; i++) {
        sum += (long) settings[i] * (epochs[i] - (i == 0 ? 0 : epochs[i - 1]));
      }
      return sum;
    }

    /** Epochs spent when every promoted setting is trained again from scratch. */
    public long epochsRetrained() {
      long sum = 0;
      for (int i = 0; i < settings.length; i++) {
        sum += (long) settings[i] * epochs[i];
      }
      return sum;
    }
  }

  /** Where a point of the study falls: its bracket, rung, and index within the rung. */
  public record Slot(int bracket, int rung, int index) {}

  /**
   * Successive halving of {@code n} settings from {@code minEpochs} up to {@code maxEpochs}: rungs with
   * {@code n, n/eta, n/eta^2, ...} settings and {@code maxEpochs / eta^k, ..., maxEpochs} epochs.
   */
  public static Halving successive(int n, int minEpochs, int maxEpochs, int eta) {
    check(minEpochs, maxEpochs, eta);
    if (n < 1) {
      throw new IllegalArgumentException("successive halving needs at least 1 setting, not " + n);
    }
    int s = rungsAbove(minEpochs, maxEpochs, eta);
    while (s > 0 && n / pow(eta, s) < 1) {
      s--;
    }
    return new Halving(List.of(bracket(n, s, maxEpochs, eta)), eta);
  }

  /**
   * Hyperband (Li et al.): iterations of brackets {@code s = s_max, ..., 0} with
   * {@code s_max = floor(log_eta(maxEpochs / minEpochs))}; bracket {@code s} starts
   * {@code ceil((s_max + 1) / (s + 1) * eta^s)} settings at {@code maxEpochs / eta^s} epochs. As many
   * iterations as it takes to draw at least {@code configurations} first-rung settings (one at least).
   */
  public static Halving hyperband(int configurations, int minEpochs, int maxEpochs, int eta) {
    check(minEpochs, maxEpochs, eta);
    int sMax = rungsAbove(minEpochs, maxEpochs, eta);
    List<Bracket> iteration = new ArrayList<>();
    int drawn = 0;
    for (int s = sMax; s >= 0; s--) {
      int n = (int) Math.ceil((double) (sMax + 1) / (s + 1) * pow(eta, s));
      iteration.add(bracket(n, s, maxEpochs, eta));
      drawn += n;
    }
    List<Bracket> brackets = new ArrayList<>();
    for (int i = 0; i < Math.max(1, (configurations + drawn - 1) / drawn); i++) {
      brackets.addAll(iteration);
    }
    return new Halving(brackets, eta);
  }

  private static Bracket bracket(int n, int s, int maxEpochs, int eta) {
    int[] settings = new int[s + 1];
    int[] epochs = new int[s + 1];
    for (int i = 0; i <= s; i++) {
      settings[i] = Math.max(1, n / pow(eta, i));
      epochs[i] = Math.max(1, (int) Math.round(maxEpochs / Math.pow(eta, s - i)));
    }
    return new Bracket(settings, epochs);
  }

  /** The largest s with maxEpochs / eta^s >= minEpochs. */
  private static int rungsAbove(int minEpochs, int maxEpochs, int eta) {
    int s = 0;
    while ((double) maxEpochs / pow(eta, s + 1) >= minEpochs - 1e-9) {
      s++;
    }
    return s;
  }

  private static void check(int minEpochs, int maxEpochs, int eta) {
    if (eta < 2) {
      throw new IllegalArgumentException("eta must be at least 2, not " + eta);
    }
    if (minEpochs < 1 || maxEpochs < minEpochs) {
      throw new IllegalArgumentException("need 1 <= minEpochs <= epochs, not " + minEpochs + " and " + maxEpochs);
    }
  }

  private static int pow(int base, int exp) {
    int v = 1;
    for (int i = 0; i < exp; i++) {
      v = Math.multiplyExact(v, base);
    }
    return v;
  }

  /** Number of points (settings) in the whole schedule. */
  public int points() {
    int sum = 0;
    for (Bracket b : brackets) {
      for (int n : b.settings()) {
        sum += n;
      }
    }
    return sum;
  }

  /** The slot of the {@code point}-th point proposed. */
  public Slot slot(int point) {
    int first = 0;
    for (int b = 0; b < brackets.size(); b++) {
      Bracket bracket = brackets.get(b);
      for (int r = 0; r < bracket.rungs(); r++) {
        if (point < first + bracket.settings()[r]) {
          return new Slot(b, r, point - first);
        }
        first += bracket.settings()[r];
      }
    }
    throw new IllegalArgumentException("point " + point + " is past the schedule's " + points() + " points");
  }

  /** The first point of a bracket's rung. */
  public int firstPoint(int bracket, int rung) {
    int first = 0;
    for (int b = 0; b <= bracket; b++) {
      for (int r = 0; r < brackets.get(b).rungs(); r++) {
        if (b == bracket && r == rung) {
          return first;
        }
        first += brackets.get(b).settings()[r];
      }
    }
    throw new IllegalArgumentException("no rung " + rung + " in bracket " + bracket);
  }

  /** How many first-rung configurations the brackets before {@code bracket} drew. */
  public int configurationsBefore(int bracket) {
    int sum = 0;
    for (int b = 0; b < bracket; b++) {
      sum += brackets.get(b).settings()[0];
    }
    return sum;
  }

  /** Epochs of the whole schedule when promoted settings are retrained from scratch. */
  public long epochsRetrained() {
    return brackets.stream().mapToLong(Bracket::epochsRetrained).sum();
  }

  /** Epochs of the whole schedule when promoted settings continue from their parent's checkpoint. */
  public long epochsContinued() {
    return brackets.stream().mapToLong(Bracket::epochsContinued).sum();
  }
}
