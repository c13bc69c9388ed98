package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hps.json.Json;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.study.StudyDirectory;
import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenarios end to end: master, worker processes, raw tables, figures and report. */
@Tag("process")
class ScenarioCommandTest {
  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();

  /** Runs scenario {@code n} with --quick on the synthetic trainer; returns its study directory. */
  Path quick(int n, String... extra) {
    Path study = root.resolve("s" + n);
    List<String> args = new ArrayList<>(List.of("scenario", String.valueOf(n), "--quick", "--study", study.toString(),
        "--set", "model=synthetic", "--poll-ms", "20"));
    Collections.addAll(args, extra);
    assertThat(cli.run(args.toArray(String[]::new))).as(cli.out + "\n" + cli.err).isZero();
    return study;
  }

  /** Every scenario's report has these six learning curves, besides what its sheet asks for. */
  static final List<String> CURVES = List.of("train-loss-vs-epoch", "val-loss-vs-epoch", "val-error-vs-epoch",
      "train-loss-vs-time", "val-loss-vs-time", "val-error-vs-time");

  /** Checks raw tables, zip, figures (those named, and the six curves) and report; returns the results. */
  static List<Result> checkOutputs(Path study, int runs, String... asked) throws Exception {
    java.util.Set<String> all = new java.util.LinkedHashSet<>(List.of(asked));
    all.addAll(CURVES);
    String[] figures = all.toArray(String[]::new);
    List<Result> results = new StudyDirectory(study).readResults((f, why) -> {
      throw new AssertionError(f + ": " + why);
    });
    assertThat(results).hasSize(runs);
    try (ZipFile zip = new ZipFile(study.resolve("raw.zip").toFile())) {
      assertThat(zip.stream().filter(e -> e.getName().startsWith("raw/"))).hasSize(runs + 1);
      assertThat(zip.getEntry("raw/settings.txt")).isNotNull();
    }
    for (Result r : results) {
      List<String> lines = Files.readAllLines(study.resolve("raw").resolve(r.id() + ".txt"));
      assertThat(lines).contains("epoch\ttrain_loss\tval_loss\tval_error\telapsed_s\ttrain_s\tval_s");
      assertThat(lines.stream().filter(l -> !l.startsWith("#")).count()).isEqualTo(1 + r.epochs().size());
    }
    for (String figure : figures) {
      BufferedImage png = ImageIO.read(study.resolve("plots").resolve(figure + ".png").toFile());
      assertThat(png).as(figure).isNotNull();
      assertThat(png.getWidth()).isEqualTo(1000);
      assertThat(Files.size(study.resolve("plots").resolve(figure + ".svg"))).isGreaterThan(1000);
    }
    String report = Files.readString(study.resolve("report.html"));
    Matcher images = Pattern.compile("<img [^>]*src=\"data:image/png;base64,").matcher(report);
    assertThat(images.results().count()).isEqualTo(figures.length);
    assertThat(report).doesNotContain("http://", "https://");
    results.forEach(r -> assertThat(report).contains("<td>" + r.id() + "</td>"));
    assertThat(report).contains("The study was made by:</p>\n<pre>").doesNotContain("Written by");
    // What the sheet asks for comes first, under its own heading, then the other curves.
    assertThat(report.indexOf("Figures the exercise asks for")).isLessThan(report.indexOf("plots/" + asked[0] + ".png"));
    if (all.size() > asked.length) {
      assertThat(report.indexOf("The other learning curves")).isGreaterThan(report.indexOf("plots/" + asked[asked.length
          - 1] + ".png"));
    }
    // One number style: no padded zeros ("0.0900000") and no Java exponents ("1.41982e+09").
    String text = report.replaceAll("data:image/png;base64,[^\"]*", "");
    assertThat(Pattern.compile("<td>-?[0-9]+[.][0-9]*000<|[0-9]e\\+[0-9]").matcher(text).find()).as(text).isFalse();
    return results;
  }

  @Test
  void scenarioOneSweepsTheLearningRateWithRepeatsAndReusesItsResults() throws Exception {
    Path study = quick(1);
    List<Result> results = checkOutputs(study, 16, "train-loss-vs-epoch", "val-loss-vs-epoch", "val-error-vs-epoch");
    assertThat(results.stream().filter(r -> r.status() == Status.DIVERGED).map(r -> r.params().get("lr")))
        .containsExactlyInAnyOrder(1.0, 1.0, 2.0, 2.0);
    String report = Files.readString(study.resolve("report.html"));
    // The facts of this run, not the exercise's: --quick has 2 repeats and 1000 validation images.
    assertThat(report).contains("This run: 16 settings (8 points x 2 repeats), 3 epochs, model synthetic, trained on"
        + " 1000 and validated on 1000 (made-up) examples").contains("(--quick").contains("Sources of randomness")
        .contains("final validation errors").contains("--trials 1");
    JsonNode made = Json.MAPPER.readTree(study.resolve("study.json").toFile());
    assertThat(made.get("createdBy").asText()).startsWith("hps scenario 1 --quick --study ");
    assertThat(made.get("sets").toString()).isEqualTo("[\"epochs=3\",\"trainSize=1000\",\"valSize=1000\","
        + "\"model=synthetic\"]");
    Path first = new StudyDirectory(study).result("s000000");
    FileTime written = Files.getLastModifiedTime(first);
    cli.out.getBuffer().setLength(0);
    quick(1);
    assertThat(cli.out.toString()).contains("resuming", "16 results").doesNotContain("batch 0");
    assertThat(Files.getLastModifiedTime(first)).isEqualTo(written);
  }

  @Test
  void scenariosTwoToFourDrawTheirGridsCurves() throws Exception {
    checkOutputs(quick(2), 9, "train-loss-vs-epoch", "train-loss-vs-time");
    assertThat(Files.readString(root.resolve("s2").resolve("report.html"))).contains("ms per step")
        .contains("<td>20</td><td>50</td>"); // bs 20: 1000 / 20 = 50 steps per epoch
    checkOutputs(quick(3), 9, "train-loss-vs-epoch");
    checkOutputs(quick(4), 9, "train-loss-vs-epoch", "train-loss-vs-time", "val-error-vs-time");
    assertThat(Files.readString(root.resolve("s4").resolve("report.html"))).contains("Within 10 training seconds")
        .contains("This run trained 3 epochs, not the 50").contains("the Pareto front of final validation error and"
        + " training seconds");
    // The synthetic model's training times are microseconds, so its front may be one setting (drawn as the
    // best run alone); with two or more the figure draws the front through the curves' ends.
    if (!Files.readString(root.resolve("s4").resolve("report.html")).contains("the 1 setting that no other")) {
      assertThat(Files.readString(root.resolve("s4").resolve("plots").resolve("val-error-vs-time.svg")))
          .contains("Pareto front: final error against training time");
    }
    assertThat(Files.readString(root.resolve("s3").resolve("report.html"))).contains("Final validation errors by"
        + " momentum");
  }

  @Test
  void scenarioFiveSimulatesRandomSearchesAndPlotsEachCoordinate() throws Exception {
    Path study = quick(5);
    checkOutputs(study, 20, "val-error-vs-epoch", "simulated-random-search", "val-error-vs-nf", "val-error-vs-lr",
        "val-error-vs-m", "val-error-vs-bs");
    List<String> csv = Files.readAllLines(study.resolve("simulate").resolve("best-so-far.csv"));
    assertThat(csv).hasSize(21);
    assertThat(csv.get(0)).startsWith("evaluations,median,q25,q75,run1,").endsWith(",run20");
    String report = Files.readString(study.resolve("report.html"));
    assertThat(report).contains("Best settings").contains("lie in each searched range");
    // Which parameters matter, by PED-ANOVA: a share for each of NF, LR, M and BS
    assertThat(report).contains("Which parameters matter");
    for (String p : List.of("nf", "lr", "m", "bs")) {
      assertThat(report).containsPattern("<td>" + p + "</td><td>[01]\\.\\d\\d</td>");
    }
    try (ZipFile zip = new ZipFile(study.resolve("raw.zip").toFile())) {
      assertThat(zip.getEntry("simulate/best-so-far.csv")).isNotNull();
    }
  }

  @Test
  void scenarioSixRunsTwoWorkersAndMeasuresTheSpeedUpOverOne() throws Exception {
    Path study = quick(6, "--set", "epochSeconds=0.1");
    List<Result> results = checkOutputs(study, 8, "val-error-vs-epoch", "timeline");
    assertThat(results.stream().map(Result::worker).distinct()).hasSize(2);
    List<Result> serial = new StudyDirectory(study.resolve("one-worker")).readResults((f, why) -> { });
    assertThat(serial).hasSize(8);
    assertThat(serial.stream().map(Result::worker).distinct()).hasSize(1);
    assertThat(serial).extracting(Result::params).containsExactlyInAnyOrderElementsOf(
        results.stream().map(Result::params).toList());
    String report = Files.readString(study.resolve("report.html"));
    Matcher speedUp = Pattern.compile("a speed-up of ([0-9]+[.][0-9]+)").matcher(report);
    assertThat(speedUp.find()).isTrue();
    // 8 settings x 3 epochs x 0.1 s: 2.4 s of training on one worker, about half on two.
    assertThat(Double.parseDouble(speedUp.group(1))).isGreaterThan(1.2);
    try (ZipFile zip = new ZipFile(study.resolve("raw.zip").toFile())) {
      assertThat(zip.getEntry("one-worker/raw/settings.txt")).as("the run the speed-up rests on").isNotNull();
    }
    // Worker N of `hps run` is lane N of the timeline and writes logs/run-worker-N.log.
    assertThat(results.stream().map(Result::worker).distinct().sorted()).allMatch(w -> w.matches("w[12]-.*"));
    assertThat(Files.readString(study.resolve("logs").resolve("run-worker-1.log")))
        .contains("worker w1-");
  }

  @Test
  void scenarioSixWithThePythonMasterIsReportedWithoutChangingTheStudy() throws Exception {
    String python = Python.any();
    org.junit.jupiter.api.Assumptions.assumeTrue(python != null, "SKIPPED: no python3 (3.9+) here, so the Python"
        + " master's scenario 6 is not checked");
    Path study = root.resolve("py6");
    Path log = root.resolve("py6.log");
    Process run = Python.start(python, log, "-m", "hps_worker.scenario6", "--study", study.toString(), "--quick",
        "--trials", "4", "--worker", python + " examples/toy.py");
    assertThat(run.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("scenario 6 --study " + study + " --report-only");
    java.util.Map<String, String> before = files(study);
    assertThat(cli.run("scenario", "6", "--study", study.toString(), "--report-only")).as(cli.out + "\n" + cli.err)
        .isZero();
    assertThat(files(study)).as("--report-only writes only its outputs").isEqualTo(before);
    checkOutputs(study, 4, "val-error-vs-epoch", "timeline");
    String report = Files.readString(study.resolve("report.html"));
    // As it can be run again: with the interpreter and the PYTHONPATH that made it.
    assertThat(report).containsPattern("The study was made by:</p>\n<pre>PYTHONPATH=\\S+ \\S*python3?\\S* -m"
        + " hps_worker.scenario6 --study")
        .contains("This report was written by:</p>\n<pre>hps scenario 6 --study").contains("a speed-up of")
        .contains("This run changed: epochs=3, trainSize=1000, valSize=1000, 4 settings instead of 20 (--quick)");
    // Without a one-worker run the report says how to make one, and --report-only makes nothing.
    Path inner = study.resolve("one-worker");
    assertThat(cli.run("scenario", "6", "--study", inner.toString(), "--report-only")).isZero();
    assertThat(inner.resolve("one-worker")).doesNotExist();
    assertThat(Files.readString(inner.resolve("report.html"))).contains("No one-worker run to compare with: ");
    // A study whose study.json does not record its command (made by an earlier hps) is not said to be made by
    // the report command.
    com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
        Json.MAPPER.readTree(study.resolve("study.json").toFile());
    config.remove("createdBy");
    Files.writeString(study.resolve("study.json"), config.toString());
    assertThat(cli.run("scenario", "6", "--study", study.toString(), "--report-only")).isZero();
    assertThat(Files.readString(study.resolve("report.html"))).contains("The study does not record the command that"
        + " made it").doesNotContain("The study was made by:");
    // Options that would change the study are refused with --report-only.
    assertThat(cli.run("scenario", "6", "--study", study.toString(), "--report-only", "--set", "epochs=5")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--report-only reports the study as it was run; leave out --set");
  }

  /** Each protocol file of a study (not the report's outputs) with its size and modification time. */
  static java.util.Map<String, String> files(Path study) throws Exception {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    try (var walk = Files.walk(study)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String name = study.relativize(p).toString();
        if (!name.matches("(one-worker/)?(raw/.*|plots/.*|raw\\.zip|report\\.html)")) {
          out.put(name, Files.size(p) + " " + Files.getLastModifiedTime(p));
        }
      }
    }
    return out;
  }

  @Test
  void badScenarioNumbersAreUsageErrors() {
    assertThat(cli.run("scenario", "7", "--study", root.resolve("x").toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("scenarios 1 to 6, not 7");
  }

  @Test
  @Tag("dl4j")
  void scenarioFiveTrainsTheRealCnnOnTheTinyMnistSubset() throws Exception {
    Path study = root.resolve("cnn");
    assertThat(cli.run("scenario", "5", "--quick", "--study", study.toString(), "--trials", "3", "--set", "trainSize=600",
        "--set", "valSize=200", "--set", "epochs=2", "--data-dir", Path.of(System.getProperty("hps.root", ".."), "test-data", "mnist-tiny").toString(),
        "--poll-ms", "20")).as(cli.out + "\n" + cli.err).isZero();
    List<Result> results = checkOutputs(study, 3, "val-error-vs-epoch", "simulated-random-search",
        "val-error-vs-nf", "val-error-vs-lr", "val-error-vs-m", "val-error-vs-bs");
    assertThat(results).allSatisfy(r -> assertThat(r.status()).isIn(Status.COMPLETE, Status.DIVERGED));
    assertThat(results.stream().flatMap(r -> r.objective().stream()).min(Double::compare).orElseThrow())
        .as("learning happened: best validation error below chance").isLessThan(0.6);
    JsonNode config = Json.MAPPER.readTree(study.resolve("study.json").toFile());
    assertThat(config.toString()).contains("\"model\":\"cnn\"");
  }
}
