package io.hps.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataTest {
  @Test
  void readsFeaturesStandardisedAndClassesInSortedOrder(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("d.csv"), "a,target,b\n1,yes,10\n3,no,10\n5,yes,10\n");
    Dataset d = CsvData.load(file);
    assertThat(d.rows()).isEqualTo(3);
    assertThat(d.columns()).isEqualTo(2);
    assertThat(d.classes()).isEqualTo(2);
    assertThat(d.labels()).containsExactly(1, 0, 1);
    assertThat(d.features()[0]).isCloseTo(-1.2247f, org.assertj.core.data.Offset.offset(1e-3f));
    assertThat(d.features()[1]).isZero(); // constant column
  }

  @Test
  void badCellsAreNamed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("d.csv"), "a,b\n1,0\nx,1\n");
    assertThatThrownBy(() -> CsvData.load(file)).hasMessageContaining("line 3, column 'a': not a number");
    Path ragged = Files.writeString(dir.resolve("r.csv"), "a,b\n1,0,3\n");
    assertThatThrownBy(() -> CsvData.load(ragged)).hasMessageContaining("line 2 has 3 cells");
  }
}
