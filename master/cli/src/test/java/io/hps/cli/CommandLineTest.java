package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hps.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();

  static final Path SYNTHETIC = Path.of(System.getProperty("hps.root", ".."), "search-spaces", "synthetic.json");

  /** bench-scale measures at each size, says the growth between sizes, and refuses sizes it cannot measure. */
  @Test
  void benchScalePrintsACostPerSizeAndItsGrowth(@org.junit.jupiter.api.io.TempDir java.nio.file.Path claims)
      throws Exception {
    assertThat(cli.run("bench-scale", "--sizes", "40,80", "--replay", "random,asha", "--halving-max", "40",
        "--claimers", "1,8", "--dir", claims.toString())).isZero();
    String out = cli.out.toString();
    assertThat(out).containsPattern("(?m)^40 +proposal, tpe +- +[0-9.]+ us +$")
        .containsPattern("(?m)^80 +proposal, tpe +- +[0-9.]+ us +-?[0-9]+\\.[0-9]{2}$")
        .containsPattern("(?m)^80 +replay, random \\(80 settings\\) +[0-9.]+ +[0-9.]+ us +-?[0-9]+\\.[0-9]{2}$")
        .containsPattern("(?m)^40 +replay, asha \\([0-9]+ settings\\)")
        .containsPattern("(?m)^80 +replay, asha +skipped")
        .containsPattern("(?m)^4000 +claim\\+publish, 1 worker +[0-9.]+ +[0-9]+ /s +x1\\.00$")
        .containsPattern("(?m)^4000 +claim\\+publish, 8 workers +[0-9.]+ +[0-9]+ /s +x[0-9.]+$");
    try (var left = java.nio.file.Files.list(claims)) {
      assertThat(left).as("each claim study removed after its run").isEmpty();
    }
    String[][] bad = {{"--sizes", "10"}, {"--sizes", "80,40"}, {"--sizes", "3000000"}, {"--replay", "nonsense"},
        {"--replay", "grid"}, {"--halving-max", "-1"}, {"--claimers", "0"}, {"--claimers", "x"}};
    String[] said = {"--sizes: each at least 20", "from smallest to largest", "at most 500000",
        "--replay: unknown strategy 'nonsense'", "grid search has no size", "--halving-max: a size",
        "--claimers: worker counts from 1", "not 'x'"};
    for (int i = 0; i < bad.length; i++) {
      cli.err.getBuffer().setLength(0);
      String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("bench-scale"),
          java.util.Arrays.stream(bad[i])).toArray(String[]::new);
      assertThat(cli.run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(cli.err.toString()).as(String.join(" ", args)).contains(said[i]);
    }
  }

  @Test
  void helpExplainsEverySubcommand() {
    assertThat(cli.run("--help")).isZero();
    assertThat(cli.out.toString()).contains("run", "master", "worker", "status", "bench", "Exit codes");
    assertThat(cli.run("worker", "--help")).isZero();
    assertThat(cli.out.toString()).contains("--idle-exit", "SIGTERM");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(cli.run("master", "--study", root.toString(), "--strategy", "bayes")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--strategy").contains("bayes");
    assertThat(cli.run("frobnicate")).isEqualTo(2);
    assertThat(cli.run("status")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Missing required option: '--study=DIR'");
  }

  @Test
  void aUsageErrorIsOneLineAndWhereToReadMoreNotTheWholeHelp() {
    assertThat(cli.run("status", "--study", root.toString(), "--bogus")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("hps status: Unknown option: '--bogus'" + System.lineSeparator()
        + "(hps status --help lists the options)" + System.lineSeparator());
  }

  @Test
  void benchTrainRefusesWhatItCannotMeasureBeforeTrainingAnything() {
    String cores = String.valueOf(Runtime.getRuntime().availableProcessors());
    String[][] bad = {{"--epochs", "1"}, {"--nf", "-3"}, {"--nf", "8", "--bs", "0,-1"}, {"--threads", "0"},
        {"--threads", String.valueOf(Runtime.getRuntime().availableProcessors() + 1)}, {"--peak-gflops", "0"},
        {"--peak-gflops", "-5"}, {"--nf", "0", "--bs", "0", "--no-dense"}, {"--data-dir", SYNTHETIC.toString()}};
    String[] said = {"--epochs must be at least 2", "--nf and --bs take positive numbers", "not [8] and [0, -1]",
        "--threads must be between 1 and this machine's " + cores + " cores, not 0", "cores, not ",
        "--peak-gflops must be a positive number", "not -5.0", "nothing to run", "is a file, not a directory"};
    for (int i = 0; i < bad.length; i++) {
      cli.err.getBuffer().setLength(0);
      String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("bench-train"),
          java.util.Arrays.stream(bad[i])).toArray(String[]::new);
      assertThat(cli.run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(cli.err.toString()).as(String.join(" ", args)).startsWith("hps bench-train: ").contains(said[i]);
      assertThat(cli.out.toString()).as("nothing trained").doesNotContain("| CNN");
    }
  }

  @Test
  void aBadSpaceFileFailsWithItsNameAndField() throws Exception {
    Path space = Files.writeString(root.resolve("bad.json"),
        "{\"parameters\":{\"lr\":{\"type\":\"loguniform\",\"low\":0,\"high\":1}}}");
    assertThat(cli.run("master", "--study", root.resolve("s").toString(), "--space", space.toString())).isEqualTo(1);
    assertThat(cli.err.toString()).contains("bad.json: parameter 'lr': a log-scale range needs 'low' > 0");
    assertThat(cli.run("master", "--study", root.resolve("s").toString())).isEqualTo(1);
    assertThat(cli.err.toString()).contains("give --space FILE");
    for (String command : new String[] {"status", "plot", "simulate"}) {
      cli.err.getBuffer().setLength(0);
      assertThat(cli.run(command, "--study", root.resolve("nothing").toString())).isEqualTo(1);
      assertThat(cli.err.toString()).contains("no study here");
    }
  }

  @Test
  void aStoppingRuleWithoutEpochsInTheSpaceIsRefusedRatherThanNeverFiring() throws Exception {
    Path space = root.resolve("no-epochs.json");
    Files.writeString(space, "{\"parameters\": {\"model\": \"synthetic\", \"lr\": [0.1, 0.2]}}");
    Path study = root.resolve("ne");
    assertThat(cli.run("master", "--study", study.toString(), "--space", space.toString(), "--stop", "median"))
        .isEqualTo(1);
    assertThat(cli.err.toString()).contains("--stop median needs the space's 'epochs'");
    assertThat(study.resolve("study.json")).doesNotExist();
  }

  @Test
  void hostileSpacesAreRefusedAtOnceAndLeaveNoStudy() throws Exception {
    Path fifo = root.resolve("fifo.json");
    org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
    Path grid = root.resolve("grid.json");
    StringBuilder json = new StringBuilder("{\"parameters\": {\"model\": \"synthetic\"");
    for (int i = 0; i < 8; i++) {
      json.append(", \"p").append(i).append("\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1, \"steps\": 1000}");
    }
    Files.writeString(grid, json.append("}}").toString());
    long start = System.nanoTime();
    assertThat(cli.run("master", "--study", root.resolve("f").toString(), "--space", fifo.toString())).isEqualTo(1);
    assertThat(cli.err.toString()).contains("not a regular file");
    assertThat(cli.run("master", "--study", root.resolve("g").toString(), "--space", grid.toString(), "--strategy",
        "grid")).isEqualTo(1);
    assertThat(cli.err.toString()).contains("points; at most 10000000");
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(2.0);
    assertThat(root.resolve("f")).doesNotExist();
    assertThat(root.resolve("g").resolve("study.json")).doesNotExist();
  }

  @Test
  void aResumedStudyRefusesAnotherSeed() throws Exception {
    Path study = root.resolve("s");
    // Options that do not go together, or not with the study, are bad usage: exit 2.
    assertThat(cli.run("run", "--study", study.toString(), "--space", SYNTHETIC.toString(), "--trials", "0")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("trials, repeats and batch must be >= 1");
    new StudyOptionsFixture(study).create();
    assertThat(cli.run("master", "--study", study.toString(), "--seed", "7")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("created with --seed 42, not 7");
    assertThat(cli.run("master", "--study", study.toString(), "--no-checkpoints")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--[no-]checkpoints are for the halving strategies");
    assertThat(cli.run("master", "--study", study.toString(), "--space", SYNTHETIC.toString(), "--set", "nf=8"))
        .isEqualTo(1);
    assertThat(cli.err.toString()).contains("another search space: 'nf' is {\"type\":\"int\",\"low\":10,\"high\":100}"
        + " in study.json but 8 from the space file and --set");
  }

  @Test
  void aMistypedSubcommandGetsASuggestionAndWhereToReadMore() {
    assertThat(cli.run("rn")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Did you mean: hps run?").contains("(hps --help lists the commands");
    cli.err.getBuffer().setLength(0);
    assertThat(cli.run("run", "--study", root.toString(), "--trails", "3")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--trials").contains("(hps run --help lists the options)");
  }

  @Test
  void badValuesAreRefusedBeforeAStudyExists() throws Exception {
    Path study = root.resolve("bad");
    assertThat(cli.run("run", "--space", SYNTHETIC.toString(), "--study", study.toString(), "--set", "epochs"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("--set epochs: write NAME=VALUE");
    for (String bad : List.of("epochs=0", "epochs=abc")) {
      cli.err.getBuffer().setLength(0);
      assertThat(cli.run("run", "--space", SYNTHETIC.toString(), "--study", study.toString(), "--set", bad))
          .isEqualTo(1);
      assertThat(cli.err.toString()).contains("parameter 'epochs' (the number of epochs to train) must be");
    }
    // A name the trainer does not read, or a value it cannot take: every one listed, from the trainer's own
    // declaration, by run and by master alike.
    for (String command : List.of("run", "master")) {
      cli.err.getBuffer().setLength(0);
      assertThat(cli.run(command, "--space", SYNTHETIC.toString(), "--study", study.toString(), "--set",
          "learningRate=0.1", "--set", "m=1.5")).isEqualTo(1);
      assertThat(cli.err.toString()).contains("the space does not suit its trainer (nothing was written)",
          "parameter 'learningRate' is not read by the trainer 'synthetic', which reads lr, m, bs, nf",
          "parameter 'm' must be 0 to 1, not 1.5");
    }
    assertThat(study).doesNotExist();
  }

  @Test
  void aWorkerOrDashboardStartedBeforeItsStudySaysWhatItWaitsFor() throws Exception {
    Path later = root.resolve("later");
    assertThat(cli.run("worker", "--study", later.toString(), "--idle-exit", "1")).isZero();
    assertThat(cli.out.toString()).contains("waiting for " + later.resolve("study.json") + ": no study there yet"
        + " (start the master with --study " + later);
    StringWriter said = new StringWriter();
    Thread dashboard = new Thread(() -> {
      try {
        DashboardCommand.awaitStudy(later, new PrintWriter(said, true));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    dashboard.start();
    dashboard.join(300);
    assertThat(dashboard.isAlive()).as("still waiting").isTrue();
    new StudyOptionsFixture(later).create();
    dashboard.join(5000);
    assertThat(dashboard.isAlive()).isFalse();
    assertThat(said.toString()).contains("waiting for " + later.resolve("study.json") + ": no study there yet")
        .contains("study.json appeared after");
  }

  @Test
  void aSpaceFileWithAJsonSyntaxErrorSaysWhereWithoutJacksonInternals() throws Exception {
    Path space = Files.writeString(root.resolve("typo.json"), "{\"parameters\": {\n  \"model\": \"synthetic\",\n}}");
    assertThat(cli.run("master", "--space", space.toString(), "--study", root.resolve("t").toString())).isEqualTo(1);
    assertThat(cli.err.toString()).contains("typo.json: not valid JSON: line 3, column 1: Unexpected character")
        .doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    Path open = Files.writeString(root.resolve("open.json"), "{\"parameters\": {\"model\": \"synthetic\"");
    assertThat(cli.run("master", "--space", open.toString(), "--study", root.resolve("o").toString())).isEqualTo(1);
    assertThat(cli.err.toString()).contains("open.json: not valid JSON: line 1, column ")
        .contains("start marker at [line: 1, column: ").doesNotContain("REDACTED");
  }

  @Test
  @Tag("process")
  void aRunWhoseEverySettingFailedExitsOneAndStatusSaysWhy() throws Exception {
    Path space = Files.writeString(root.resolve("false.json"), "{\"schema\": 1, \"name\": \"f\", \"command\":"
        + " [\"false\"], \"parameters\": {\"model\": \"command\", \"epochs\": 2, \"lr\": [0.1, 0.2]}}");
    Path study = root.resolve("failing");
    assertThat(cli.run("run", "--space", space.toString(), "--study", study.toString(), "--strategy", "grid",
        "--poll-ms", "10")).isEqualTo(1);
    assertThat(cli.out.toString()).contains("every setting failed (2); all for one reason: IllegalStateException: the"
        + " program exited with code 1 after 0 epochs");
    cli.out.getBuffer().setLength(0);
    assertThat(cli.run("status", "--study", study.toString())).isZero();
    assertThat(cli.out.toString()).contains("failed       (reasons").contains("2 x s000000, s000001: "
        + "IllegalStateException: the program exited with code 1");
  }

  /** Writes study.json the way master would, without running one. */
  record StudyOptionsFixture(Path study) {
    void create() throws Exception {
      StudyOptions options = new StudyOptions();
      options.study = study;
      options.space = SYNTHETIC;
      options.resolve(2, new PrintWriter(new StringWriter()));
    }
  }

  @Test
  @Tag("process")
  void runFinishesAStudyWithWorkerProcessesAndStatusReportsIt() throws Exception {
    Path study = root.resolve("demo");
    assertThat(cli.run("run", "--space", SYNTHETIC.toString(), "--study", study.toString(), "--trials", "40",
        "--workers", "2", "--poll-ms", "10")).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).contains("master: finished, 40 results").containsPattern("complete +40");
    cli.out.getBuffer().setLength(0);
    assertThat(cli.run("status", "--study", study.toString(), "--json")).isZero();
    JsonNode status = Json.MAPPER.readTree(cli.out.toString());
    assertThat(status.get("complete").asInt()).isEqualTo(40);
    assertThat(status.get("pending").asInt()).isZero();
    assertThat(status.get("running").asInt()).isZero();
    assertThat(status.get("failed").asInt()).isZero();
    assertThat(status.get("quarantined").asInt()).isZero();
    assertThat(status.get("master").asText()).isEqualTo("finished");
    assertThat(status.get("best").get("valError").asDouble()).isBetween(0.0, 0.1);
    assertThat(status.get("workers")).hasSize(2);
    // figures and the reshuffled random-search simulation of the same study
    assertThat(cli.run("plot", "--study", study.toString())).isZero();
    assertThat(javax.imageio.ImageIO.read(study.resolve("plots/val-error-vs-epoch.png").toFile())).isNotNull();
    assertThat(cli.run("simulate", "--study", study.toString(), "--runs", "200")).isZero();
    List<String> csv = Files.readAllLines(study.resolve("simulate/best-so-far.csv"));
    assertThat(csv).hasSize(41);
    double last = Double.parseDouble(csv.get(40).split(",")[1]);
    assertThat(last).isEqualTo(status.get("best").get("valError").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(javax.imageio.ImageIO.read(study.resolve("simulate/simulated-random-search.png").toFile())).isNotNull();
    // running it again reuses the finished study
    cli.out.getBuffer().setLength(0);
    assertThat(cli.run("run", "--space", SYNTHETIC.toString(), "--study", study.toString(), "--trials", "40",
        "--workers", "1")).isZero();
    assertThat(cli.out.toString()).contains("resuming").contains("finished, 40 results");
  }
}
