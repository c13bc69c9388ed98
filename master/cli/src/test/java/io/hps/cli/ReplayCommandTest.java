package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hps.json.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
  static final Path SHIPPED = Path.of(System.getProperty("hps.root", ".."), "test-data", "recorded", "scenario5-cnn");

  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();

  @Test
  void fourWorkersTrainTheSameEpochsInAboutAQuarterOfTheWallClock() throws Exception {
    assertThat(cli.run("replay", SHIPPED.toString(), "--seeds", "3", "--json")).isZero();
    JsonNode one = Json.MAPPER.readTree(cli.out.toString());
    cli.out.getBuffer().setLength(0);
    assertThat(cli.run("replay", SHIPPED.toString(), "--seeds", "3", "--workers", "4", "--mode", "async", "--json"))
        .isZero();
    JsonNode four = Json.MAPPER.readTree(cli.out.toString());
    assertThat(four).hasSize(5);
    for (int i = 0; i < 5; i++) {
      JsonNode a = one.get(i);
      JsonNode b = four.get(i);
      assertThat(b.get("workers").asInt()).isEqualTo(4);
      assertThat(a.get("meanWallSeconds").asDouble()).isEqualTo(a.get("meanSeconds").asDouble(),
          org.assertj.core.data.Offset.offset(2.0));
      assertThat(b.get("meanWallSeconds").asDouble()).isLessThan(a.get("meanWallSeconds").asDouble() / 2.5);
    }
    // random search trains every setting fully, whatever the workers
    assertThat(four.get(0).get("meanEpochs").asDouble()).isEqualTo(one.get(0).get("meanEpochs").asDouble());
  }

  /** Issue 26: unreadable results are said, not silently left out; lost workers are shown when asked for. */
  @Test
  void aBrokenResultIsNamedAndWorkerFailuresAreCounted() throws Exception {
    Path copy = root.resolve("copy");
    try (var files = java.nio.file.Files.walk(SHIPPED)) {
      for (Path p : files.toList()) {
        java.nio.file.Files.copy(p, copy.resolve(SHIPPED.relativize(p).toString()));
      }
    }
    Path one;
    try (var results = java.nio.file.Files.list(copy.resolve("results"))) {
      one = results.sorted().findFirst().orElseThrow();
    }
    java.nio.file.Files.writeString(one, "{\"broken\": ");
    assertThat(cli.run("replay", copy.toString(), "--strategy", "random", "--seeds", "2", "--workers", "2",
        "--worker-failures", "0.3", "--out", root.resolve("out").toString())).isZero();
    assertThat(cli.out.toString()).contains("note: 1 result file(s)", one.getFileName().toString(),
        "49 recorded curves", "lost attempts", "chance 0.30");
    assertThat(cli.run("replay", SHIPPED.toString(), "--worker-failures", "1")).isEqualTo(2);
  }

  @Test
  void theTableAndFigureAreWritten() throws Exception {
    Path out = root.resolve("out");
    assertThat(cli.run("replay", SHIPPED.toString(), "--seeds", "2", "--workers", "2", "--out", out.toString()))
        .isZero();
    assertThat(cli.out.toString()).contains("2 worker(s)", "wall-clock s", "successive-halving");
    assertThat(out.resolve("replay-best-vs-epochs.png")).isNotEmptyFile();
  }

  @Test
  void aMethodWithoutABestResultSaysNoneAndWhy() throws Exception {
    // no recorded setting trains in under a second: no seed finds a result within the constraint
    assertThat(cli.run("replay", SHIPPED.toString(), "--strategy", "random", "--seeds", "1", "--constraint",
        "trainSeconds<=0.001", "--out", root.resolve("out").toString())).isZero();
    assertThat(cli.out.toString()).doesNotContain("NaN").containsPattern("random +500 .* none\\n")
        .contains("none: a seed ended without a best result (no result finished that keeps the constraints");
  }

  @Test
  void badInputIsAUsageErrorAndTheOldSpellingSaysWhereItWent() throws Exception {
    assertThat(cli.run("replay", SHIPPED.toString(), "--workers", "0")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--workers");
    assertThat(cli.run("replay", SHIPPED.toString(), "--mode", "both")).isEqualTo(2);
    assertThat(cli.run("replay", root.resolve("missing.csv").toString())).isEqualTo(1);
    assertThat(cli.run("simulate", "--replay", SHIPPED.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("hps replay");
  }

  @Test
  void aSurrogateProgramAnswersTheSettingsAndBudgetsAreReported() throws Exception {
    // A surrogate: the error after each of 3 epochs falls with momentum, whatever else the setting is.
    java.nio.file.Path script = java.nio.file.Files.writeString(root.resolve("surrogate.py"), String.join("\n",
        "import json, sys",
        "for line in sys.stdin:",
        "    p = json.loads(line)",
        "    e = 0.2 + 0.6 * (1 - p['m'])",
        "    print(json.dumps({'valErrors': [min(1, e + 0.2), e + 0.1, e], 'seconds': [1, 2, 3]}), flush=True)",
        ""));
    java.nio.file.Path space = java.nio.file.Files.writeString(root.resolve("space.json"),
        "{\"parameters\": {\"model\": \"s\", \"epochs\": 3, \"m\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}}}");
    assertThat(cli.run("replay", "--surrogate", "python3 " + script, "--space", space.toString(), "--strategy", "tpe",
        "--trials", "20", "--seeds", "3", "--json", "--budgets", "3,30,60")).as(cli.err.toString()).isZero();
    JsonNode row = Json.MAPPER.readTree(cli.out.toString());
    assertThat(row.get("meanEpochs").asDouble()).isEqualTo(60);
    JsonNode at = row.get("bestAfterEpochs");
    assertThat(at.get("3").asDouble()).isGreaterThanOrEqualTo(at.get("30").asDouble());
    assertThat(at.get("60").asDouble()).isEqualTo(row.get("meanBest").asDouble()).isLessThan(0.3);
    cli.err.getBuffer().setLength(0);
    assertThat(cli.run("replay", "--surrogate", "python3 " + script)).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--surrogate needs --space");
    assertThat(cli.run("replay", SHIPPED.toString(), "--surrogate", "python3 x.py", "--space", space.toString()))
        .isEqualTo(2);
    java.nio.file.Path broken = java.nio.file.Files.writeString(root.resolve("broken.py"), "import sys\nprint('no')\n");
    assertThat(cli.run("replay", "--surrogate", "python3 " + broken, "--space", space.toString(), "--seeds", "1"))
        .isEqualTo(1);
    assertThat(cli.err.toString()).contains("not JSON");
  }
}
