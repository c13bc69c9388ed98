package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hps.json.Json;
import io.hps.protocol.Result;
import io.hps.study.StudyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 27: several objectives and constraints, from the command line to hps status. */
class ObjectivesCommandTest {
  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();
  static final String SPACE = CommandLineTest.SYNTHETIC.toString();

  @Test
  void aStudyWithTwoObjectivesAndAConstraintShowsItsFrontAndWhatMatters() throws Exception {
    Path study = root.resolve("mo");
    assertThat(cli.run("run", "--space", SPACE, "--study", study.toString(), "--strategy", "tpe", "--objective",
        "valError", "--objective", "trainLoss", "--constraint", "valError<=0.3", "--trials", "24", "--workers", "2",
        "--seed", "3")).as(cli.err.toString()).isZero();
    JsonNode config = Json.MAPPER.readTree(study.resolve("study.json").toFile());
    assertThat(config.get("objectives")).hasSize(2);
    assertThat(config.get("constraints").get(0).get("op").asText()).isEqualTo("<=");

    assertThat(cli.run("status", "--study", study.toString())).isZero();
    assertThat(cli.out.toString()).contains("objectives   valError, trainLoss; constraints valError<=0.3")
        .contains("Pareto front of the feasible results").contains("importance").contains("PED-ANOVA");
    int before = cli.out.toString().length();
    assertThat(cli.run("status", "--study", study.toString(), "--json")).isZero();
    JsonNode status = Json.MAPPER.readTree(cli.out.toString().substring(before));
    JsonNode front = status.get("tradeoffs").get("front");
    assertThat(front.size()).isPositive();
    assertThat(status.get("importance").get("valError").size()).isEqualTo(4); // nf, lr, m, bs

    // The front, checked from the result files alone: feasible, and no feasible result dominates a member.
    List<double[]> feasible = new ArrayList<>();
    int infeasible = 0;
    for (Result r : new StudyDirectory(study).readResults((name, why) -> { })) {
      double error = r.epochs().get(r.epochs().size() - 1).valError();
      double loss = r.epochs().get(r.epochs().size() - 1).trainLoss();
      if (error <= 0.3) {
        feasible.add(new double[] {error, loss});
      } else {
        infeasible++;
      }
    }
    assertThat(status.get("tradeoffs").get("infeasible").asInt()).isEqualTo(infeasible);
    for (JsonNode p : front) {
      double error = p.get("values").get(0).asDouble();
      double loss = p.get("values").get(1).asDouble();
      assertThat(error).isLessThanOrEqualTo(0.3);
      assertThat(feasible).noneMatch(q -> q[0] <= error && q[1] <= loss && (q[0] < error || q[1] < loss));
    }
    assertThat(feasible.stream().filter(q -> feasible.stream().noneMatch(o -> o[0] <= q[0] && o[1] <= q[1]
        && (o[0] < q[0] || o[1] < q[1])))).hasSize(front.size());

    // hps plot draws the trade-off: the counts of the files, the front status found
    assertThat(cli.run("plot", "--study", study.toString())).as(cli.err.toString()).isZero();
    String svg = Files.readString(study.resolve("plots/tradeoff.svg"));
    assertThat(svg).contains("valError against trainLoss")
        .contains(feasible.size() + " result" + (feasible.size() == 1 ? "" : "s") + " within the constraints")
        .contains("Pareto front (" + front.size() + " setting" + (front.size() == 1 ? ")" : "s)"));
    assertThat(infeasible == 0 || svg.contains(infeasible + " result" + (infeasible == 1 ? "" : "s")
        + " breaking a constraint")).isTrue();
    assertThat(javax.imageio.ImageIO.read(study.resolve("plots/tradeoff.png").toFile())).isNotNull();
    assertThat(cli.run("plot", "--study", study.toString(), "--objective", "valError", "--out",
        root.resolve("one").toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("draws two objectives").contains("(1 given)");
    assertThat(cli.run("plot", "--study", study.toString(), "--objective", "valError", "--objective", "trainLoss",
        "--objective", "valLoss", "--out", root.resolve("three").toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("(3 given)");
    assertThat(cli.run("plot", "--study", study.toString(), "--objective", "valError", "--objective", "latencyMs",
        "--out", root.resolve("none").toString())).isZero();
    assertThat(cli.out.toString())
        .contains("no trade-off figure: no result has finite values of both valError and latencyMs");

    // Resumed with other objectives or constraints: refused; with none: it keeps its own.
    assertThat(cli.run("run", "--study", study.toString(), "--objective", "valLoss", "--trials", "25")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("was created with --objective valError --objective trainLoss, not valLoss");
    assertThat(cli.run("run", "--study", study.toString(), "--constraint", "valError<=0.2", "--trials", "25"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("was created with --constraint valError<=0.3, not valError<=0.2");
    assertThat(cli.run("run", "--study", study.toString(), "--trials", "25")).as(cli.err.toString()).isZero();
    assertThat(Json.MAPPER.readTree(study.resolve("study.json").toFile()).get("objectives")).hasSize(2);
  }

  @Test
  void theCnnIsBoundedByItsSizeAndTradedAgainstItsTrainingTime() throws Exception {
    Path study = root.resolve("cnn");
    Path repo = OwnModelTest.ROOT;
    // 4 settings of the exercise CNN, 1 epoch on 500 images: nf 10-100 makes 8k to 110k weights
    assertThat(cli.run("run", "--space", repo.resolve("search-spaces/mnist-cnn.json").toString(), "--study",
        study.toString(), "--trials", "4", "--workers", "1", "--data-dir", repo.resolve("test-data/mnist-tiny").toString(),
        "--set", "trainSize=500", "--set", "valSize=200", "--set", "epochs=1", "--objective", "valError",
        "--objective", "trainSeconds", "--constraint", "numFreeParameters<=60000")).as(cli.err.toString()).isZero();
    var status = io.hps.status.StudyStatus.of(new StudyDirectory(study));
    List<Result> results = new StudyDirectory(study).readResults((name, why) -> { });
    long big = results.stream().filter(r -> ((Number) r.info().get("numFreeParameters")).longValue() > 60000).count();
    assertThat(status.tradeoffs().unreported()).isEmpty();
    assertThat(status.tradeoffs().infeasible()).isEqualTo((int) big);
    assertThat(status.tradeoffs().front()).hasSizeBetween(big == 4 ? 0 : 1, 4).allSatisfy(p -> assertThat(
        results.stream().filter(r -> r.id().equals(p.id())).findFirst().orElseThrow().info().get("numFreeParameters"))
        .asString().satisfies(n -> assertThat(Long.parseLong(n)).isLessThanOrEqualTo(60000)));
  }

  @Test
  void theDefaultObjectiveNamedLeavesStudyJsonAsItWas() throws Exception {
    Path named = root.resolve("named");
    assertThat(cli.run("run", "--space", SPACE, "--study", named.toString(), "--objective", "valError", "--trials",
        "2", "--workers", "1")).as(cli.err.toString()).isZero();
    assertThat(Files.readString(named.resolve("study.json"))).doesNotContain("objectives").doesNotContain("constraints");
    assertThat(cli.run("status", "--study", named.toString())).isZero();
    assertThat(cli.out.toString()).contains("best         s00000").doesNotContain("front");
  }

  @Test
  void badObjectivesAndConstraintsAreUsageErrors() {
    String study = root.resolve("bad").toString();
    String[][] bad = {{"--objective", "valError:up"}, {"--objective", "valError", "--objective", "valError"},
        {"--constraint", "valError<0.2"}, {"--constraint", "valError<=lots"}, {"--objective", "9lives"},
        {"--stop", "median", "--objective", "trainSeconds"},
        {"--constraint", "valError<=0.3d"}, {"--constraint", "valError<=1e400"},
        {"--constraint", "valError<=0.2", "--constraint", "valError<=0.2"}};
    String[] said = {"after ':' comes min or max", "name a metric twice",
        "write METRIC<=VALUE or METRIC>=VALUE", "'lots' is not a number", "bad metric name '9lives'",
        "the first objective must be valError", "'0.3d' is not a number", "'1e400' is too large for a bound",
        "a constraint is given twice"};
    for (int i = 0; i < bad.length; i++) {
      cli.err.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(List.of("run", "--space", SPACE, "--study", study, "--trials", "3"));
      args.addAll(List.of(bad[i]));
      assertThat(cli.run(args.toArray(String[]::new))).as(String.join(" ", args)).isEqualTo(2);
      assertThat(cli.err.toString()).as(String.join(" ", args)).contains(said[i]);
      assertThat(Path.of(study).resolve("study.json")).as("nothing written").doesNotExist();
    }
  }

  @Test
  void replayWeighsTwoObjectivesAndRefusesMetricsCurvesDoNotHold() throws Exception {
    String recorded = OwnModelTest.ROOT.resolve("test-data/recorded/scenario5-cnn").toString();
    assertThat(cli.run("replay", recorded, "--strategy", "tpe", "--seeds", "1", "--objective", "valLoss")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("can name valError, trainSeconds, elapsedSeconds, not valLoss");
    assertThat(cli.run("replay", recorded, "--strategy", "nsga2", "--seeds", "2", "--trials", "30", "--objective",
        "valError", "--objective", "trainSeconds", "--json")).as(cli.err.toString()).isZero();
    JsonNode row = Json.MAPPER.readTree(cli.out.toString());
    assertThat(row.get("objectiveValues")).hasSize(2);
    assertThat(row.get("objectiveValues").get(0)).hasSize(30);
    assertThat(row.get("meanHypervolume").asDouble()).isBetween(0.0, 1.21);
    // the hypervolume against epochs: in --json at --budgets, and as a figure
    cli.out.getBuffer().setLength(0);
    assertThat(cli.run("replay", recorded, "--strategy", "asha", "--seeds", "2", "--trials", "30", "--objective",
        "valError", "--objective", "trainSeconds", "--json", "--budgets", "20,100,100000")).isZero();
    row = Json.MAPPER.readTree(cli.out.toString());
    JsonNode after = row.get("hypervolumeAfterEpochs");
    assertThat(after.get("20").asDouble()).isPositive().isLessThanOrEqualTo(after.get("100").asDouble());
    assertThat(after.get("100000").asDouble()).isEqualTo(row.get("meanHypervolume").asDouble());
    // a constraint no result keeps: no front, no best (the strategy still ran)
    cli.out.getBuffer().setLength(0);
    assertThat(cli.run("replay", recorded, "--strategy", "asha", "--seeds", "2", "--trials", "30", "--objective",
        "valError", "--objective", "trainSeconds", "--constraint", "valError<=0.001", "--json", "--budgets", "100"))
        .isZero();
    row = Json.MAPPER.readTree(cli.out.toString());
    assertThat(row.get("meanHypervolume").asDouble()).isZero();
    assertThat(row.get("hypervolumeAfterEpochs").get("100").asDouble()).isZero();
    assertThat(row.get("meanBest").asText()).isEqualTo("NaN");
    assertThat(cli.run("replay", recorded, "--budgets", "0", "--json")).isEqualTo(2);
    assertThat(cli.run("replay", recorded, "--budgets", "10")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--budgets goes with --json");
    cli.out.getBuffer().setLength(0);
    Path figures = root.resolve("figures");
    assertThat(cli.run("replay", recorded, "--strategy", "asha", "--seeds", "2", "--trials", "30", "--objective",
        "valError", "--objective", "trainSeconds", "--out", figures.toString())).isZero();
    assertThat(cli.out.toString()).contains("replay-hypervolume-vs-epochs.png");
    assertThat(javax.imageio.ImageIO.read(figures.resolve("replay-hypervolume-vs-epochs.png").toFile()).getWidth())
        .isGreaterThan(400);
    assertThat(Files.readString(figures.resolve("replay-hypervolume-vs-epochs.svg"))).contains("hypervolume")
        .contains("asha (");
  }

  @Test
  void aMetricNoTrainerReportsStopsTheStudyWithItsName() {
    Path study = root.resolve("typo");
    assertThat(cli.run("run", "--space", SPACE, "--study", study.toString(), "--strategy", "tpe", "--objective",
        "valErr", "--trials", "20", "--workers", "1")).isEqualTo(1);
    assertThat(cli.err.toString() + cli.out).contains("results so far reports valErr").contains("check the names");
    assertThat(cli.run("status", "--study", study.toString())).isZero();
    assertThat(cli.out.toString()).contains("master       stopped").contains("no result reports valErr");
    // A constraint on a metric no trainer reports: the same, naming it
    Path bounded = root.resolve("bound");
    cli.err.getBuffer().setLength(0);
    assertThat(cli.run("run", "--space", SPACE, "--study", bounded.toString(), "--strategy", "tpe", "--constraint",
        "memoryMb<=100", "--trials", "20", "--workers", "1")).isEqualTo(1);
    assertThat(cli.err.toString() + cli.out).contains("results so far reports memoryMb");
  }
}
