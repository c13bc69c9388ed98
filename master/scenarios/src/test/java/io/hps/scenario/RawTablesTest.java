package io.hps.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawTablesTest {
  static Result result(int i, String worker, int claimed, int finished, Status status, Epoch... epochs) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("lr", 0.1 * (i + 1));
    params.put("seed", 42L);
    Setting s = new Setting(String.format("s%06d", i), i, 0, 0, Instant.EPOCH, new Params(params));
    return Result.of(s, status, null, worker, Instant.ofEpochSecond(claimed), Instant.ofEpochSecond(finished),
        List.of(epochs), Map.of());
  }

  @Test
  void oneTablePerRunWithTheSettingInCommentsAndNonFiniteValuesSpelledOut(@TempDir Path dir) throws Exception {
    List<Result> results = List.of(result(0, "w1", 0, 10, Status.COMPLETE, new Epoch(1, 2.0, 1.5, 0.25, 4.5),
        new Epoch(2, 1.0, 1.25, 0.125, 9.0)), result(1, "w1", 10, 12, Status.DIVERGED,
        new Epoch(1, Double.NaN, Double.POSITIVE_INFINITY, 0.9, 2.0)));
    Path zip = RawTables.write(results, dir);
    assertThat(Files.readAllLines(dir.resolve("raw/s000000.txt"))).containsExactly(
        "# setting s000000: lr=0.1 seed=42", "# status complete, worker w1", RawTables.HEADER,
        "1\t2\t1.5\t0.25\t4.500\t-\t-", "2\t1\t1.25\t0.125\t9.000\t-\t-");
    assertThat(Files.readAllLines(dir.resolve("raw/s000001.txt"))).contains("1\tNaN\tinf\t0.9\t2.000\t-\t-");
    assertThat(Files.readAllLines(dir.resolve("raw/settings.txt"))).contains(
        "s000000\tcomplete\t2\t0.125\tlr=0.1 seed=42", "s000001\tdiverged\t1\t0.9\tlr=0.2 seed=42");
    try (ZipFile z = new ZipFile(zip.toFile())) {
      assertThat(z.stream().map(e -> e.getName())).containsExactly("raw/settings.txt", "raw/s000000.txt",
          "raw/s000001.txt");
    }
    RawTables.write(results.subList(0, 1), dir); // a rewrite leaves no stale table behind
    assertThat(dir.resolve("raw/s000001.txt")).doesNotExist();
  }

  @Test
  void parallelismMeasuresSpanBusyTimeAndSpeedUp() {
    Epoch e = new Epoch(1, 1, 1, 0.5, 1);
    Parallelism two = Parallelism.of(List.of(result(0, "a", 100, 110, Status.COMPLETE, e),
        result(1, "b", 100, 106, Status.COMPLETE, e), result(2, "b", 106, 112, Status.COMPLETE, e)));
    assertThat(two.workers()).isEqualTo(2);
    assertThat(two.spanSeconds()).isEqualTo(12.0);
    assertThat(two.busySeconds()).isEqualTo(22.0);
    assertThat(two.busyFraction()).isCloseTo(22.0 / 24, org.assertj.core.data.Offset.offset(1e-12));
    Parallelism one = Parallelism.of(List.of(result(0, "a", 0, 10, Status.COMPLETE, e),
        result(1, "a", 10, 16, Status.COMPLETE, e), result(2, "a", 16, 22, Status.COMPLETE, e)));
    assertThat(two.speedUpOver(one)).isCloseTo(22.0 / 12, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void htmlEscapesWhatItShows() {
    assertThat(Html.escape("<b> & \"x\"")).isEqualTo("&lt;b&gt; &amp; &quot;x&quot;");
  }
}
