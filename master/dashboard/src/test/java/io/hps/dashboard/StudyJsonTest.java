package io.hps.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The page's pieces of a large study: the first k of many in an order, without sorting them all. */
class StudyJsonTest {
  record Item(int key, String id) {}

  @Test
  void firstKeepsWhatSortingAllAndTakingTheFirstKGives() {
    Random random = new Random(11);
    Comparator<Item> order = Comparator.comparingInt(Item::key).thenComparing(Item::id);
    for (int n : new int[] {0, 1, 7, 500, 5000}) {
      List<Item> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        items.add(new Item(random.nextInt(40), "s" + i)); // many ties of the key: the id decides
      }
      for (int k : new int[] {0, 1, 3, 25, 499, 5000, 6000}) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(order);
        assertThat(StudyJson.first(items, order, k)).as("n %d, k %d", n, k)
            .containsExactlyElementsOf(sorted.subList(0, Math.min(k, n)));
        assertThat(StudyJson.first(items, order.reversed(), k)).as("reversed, n %d, k %d", n, k)
            .containsExactlyElementsOf(reversedCopy(sorted).subList(0, Math.min(k, n)));
      }
    }
  }

  private static <T> List<T> reversedCopy(List<T> list) {
    List<T> out = new ArrayList<>(list);
    java.util.Collections.reverse(out);
    return out;
  }
}
