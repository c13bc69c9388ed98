package io.hps.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadSmallTest {
  @TempDir
  Path dir;

  @Test
  void readsEveryByteOfFilesOfAnySizeUpToTheLimit() throws Exception {
    Random random = new Random(1);
    for (int size : new int[] {0, 1, 700, 8191, 8192, 8193, 100_000}) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      Path file = Files.write(dir.resolve("f" + size), bytes);
      assertThat(DurableFiles.readSmallBytes(file, size)).isEqualTo(bytes);
      assertThat(DurableFiles.readSmallBytes(file, size + 10L)).isEqualTo(bytes);
      if (size > 0) {
        assertThatThrownBy(() -> DurableFiles.readSmallBytes(file, size - 1)).isInstanceOf(BadFileException.class)
            .hasMessageContaining("over the limit of " + (size - 1));
      }
    }
    Path text = Files.writeString(dir.resolve("t"), "h\u00e9", StandardCharsets.UTF_8);
    assertThat(DurableFiles.readSmall(text, 10)).isEqualTo("h\u00e9");
  }

  @Test
  void aFileLongerThanItsSizeSaidIsReadOnUpToTheLimit() throws Exception {
    // Linux's /proc files say they hold 0 bytes and hold more: a file that grew after its size was read
    Path grows = Path.of("/proc/self/status");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(grows) && Files.size(grows) == 0,
        "SKIPPED: no /proc/self/status of size 0 (not Linux) to stand for a file that grew");
    assertThat(new String(DurableFiles.readSmallBytes(grows, 1 << 20), StandardCharsets.UTF_8)).startsWith("Name:");
    assertThatThrownBy(() -> DurableFiles.readSmallBytes(grows, 10)).isInstanceOf(BadFileException.class)
        .hasMessageContaining("grew over the limit of 10 bytes");
  }

  @Test
  void aResultWithOtherThanAsciiReadsAsItAlwaysDid() throws Exception {
    // a malformed UTF-8 byte in a string is a replacement character, as when every file was decoded first
    String json = Files.readString(Path.of(System.getProperty("hps.root", ".."), "test-data", "protocol", "result-v1.json"));
    assertThat(json).contains("\"worker\"");
    byte[] bytes = json.replaceFirst("\"worker\" *: *\"[^\"]*\"", "\"worker\" : \"w\u00e9X\"")
        .getBytes(StandardCharsets.UTF_8);
    bytes[new String(bytes, StandardCharsets.ISO_8859_1).indexOf('X')] = (byte) 0xff;
    Path file = Files.write(dir.resolve("s000003.json"), bytes);
    assertThat(StudyDirectory.readResult(file).worker()).isEqualTo("w\u00e9\ufffd");
    // and an ASCII one as bytes, to the same result as from its text
    Path ascii = Files.writeString(dir.resolve("ascii.json"), json);
    assertThat(StudyDirectory.readResult(ascii)).isEqualTo(io.hps.json.Json.MAPPER.readValue(json, io.hps.protocol.Result.class));
  }
}
