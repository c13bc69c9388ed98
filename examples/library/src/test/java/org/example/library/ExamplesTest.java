package org.example.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.study.StudyDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both examples run as a user runs them: their main methods, on the space files beside this project. */
class ExamplesTest {
  @TempDir
  Path root;

  String run(ThrowingMain main) throws Exception {
    PrintStream before = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(before);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    before.print(text);
    return text;
  }

  interface ThrowingMain {
    void run() throws Exception;
  }

  @Test
  void thePlainFunctionIsTunedCloseToItsMinimum() throws Exception {
    String out = run(() -> PlainFunction.main(new String[] {"space.json"}));
    double best = Double.parseDouble(out.replaceAll("(?s).*best: ([0-9.Ee-]+) at.*", "$1"));
    assertThat(best).as("the minimum is 0.02").isLessThan(0.1);
  }

  @Test
  void theDl4jNetworkIsTunedInProcessEpochByEpoch() throws Exception {
    Path dir = root.resolve("spirals");
    String out = run(() -> TuneMlp.main(new String[] {"mlp-space.json", dir.toString(), "6"}));
    assertThat(out).contains("best validation error").contains("6 results");
    List<Result> results = StudyDirectory.existing(dir).readResults((f, why) -> {
      throw new AssertionError(f + ": " + why);
    });
    assertThat(results).hasSize(6).allSatisfy(r -> {
      assertThat(r.status()).isIn(Status.COMPLETE, Status.STOPPED);
      assertThat(r.info()).containsKey("numFreeParameters");
    });
    assertThat(results).anySatisfy(r -> assertThat(r.epochs()).hasSize(30));
    assertThat(results.stream().map(r -> r.objective().orElse(1.0)).min(Double::compare).orElseThrow())
        .as("spirals are learnable: some setting beats a coin").isLessThan(0.4);
  }
}
