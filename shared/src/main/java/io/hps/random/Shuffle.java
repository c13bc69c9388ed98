package io.hps.random;

import java.util.SplittableRandom;

/** The one Fisher-Yates shuffle: a permutation of 0 .. n-1 drawn from {@code random}. */
public final class Shuffle {
  private Shuffle() {}

  public static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
