package io.hps.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ids.safe is the pattern Ids.SAFE (and no ".."), written out by hand for speed: both must agree. */
class IdsTest {
  @Test
  void safeAgreesWithThePatternOnEveryKindOfName() {
    String alphabet = "aZ09_.-/ \\é\u0000x";
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = random.nextInt(i % 100 == 0 ? 70 : 6); n > 0; n--) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String id = b.toString();
      boolean byPattern = Ids.SAFE.matcher(id).matches() && !id.contains("..");
      assertThat(Ids.safe(id)).as("'%s'", id).isEqualTo(byPattern);
    }
    assertThat(Ids.safe("s000017")).isTrue();
    assertThat(Ids.safe("a".repeat(64))).isTrue();
    assertThat(Ids.safe("a".repeat(65))).isFalse();
    assertThat(Ids.safe(".hidden")).isFalse();
    assertThat(Ids.safe("a..b")).isFalse();
    assertThat(Ids.safe("")).isFalse();
    assertThat(Ids.safe(null)).isFalse();
  }
}
