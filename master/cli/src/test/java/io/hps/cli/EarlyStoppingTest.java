package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.study.StudyDirectory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --stop and the halving strategies in real studies: master and worker processes. */
@Tag("process")
class EarlyStoppingTest {
  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();

  List<Result> results(Path study) throws Exception {
    return new StudyDirectory(study).readResults((f, why) -> {
      throw new AssertionError(f + ": " + why);
    });
  }

  @Test
  void theMasterStopsRunningSettingsThatTheMedianRuleJudgesHopeless() throws Exception {
    Path study = root.resolve("median");
    assertThat(cli.run("run", "--space", CommandLineTest.SYNTHETIC.toString(), "--study", study.toString(), "--stop",
        "median", "--stop-min-epochs", "3", "--trials", "24", "--mode", "async", "--batch", "4", "--workers", "2",
        "--set", "epochs=8", "--set", "epochSeconds=0.25", "--poll-ms", "20")).as(cli.err.toString()).isZero();
    assertThat(new StudyDirectory(study).readConfig().orElseThrow().stopOptions().minEpochs()).isEqualTo(3);
    List<Result> results = results(study);
    assertThat(results).hasSize(24);
    List<Result> stopped = results.stream().filter(r -> r.status() == Status.STOPPED).toList();
    assertThat(stopped).as(cli.out.toString()).isNotEmpty().allSatisfy(r -> {
      assertThat(r.reason()).startsWith("median rule:").doesNotContain("after 1 epochs").doesNotContain("after 2 epochs");
      assertThat(r.epochs().size()).isBetween(3, 7);
    });
    assertThat(cli.out.toString()).contains("asked " + stopped.get(0).id() + " to stop");
    assertThat(new StudyDirectory(study).progress()).isEmptyDirectory(); // cleaned once results are in
  }

  @Test
  void successiveHalvingRetrainsTheBestOfEachRungForLongerWithNoCheckpoints() throws Exception {
    Path study = root.resolve("sh");
    assertThat(cli.run("run", "--space", CommandLineTest.SYNTHETIC.toString(), "--study", study.toString(),
        "--strategy", "successive-halving", "--no-checkpoints", "--trials", "9", "--set", "epochs=9", "--workers", "2",
        "--poll-ms", "20")).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).contains("successive-halving: 1 brackets, 13 settings, 27 epochs in all");
    List<Result> results = results(study);
    assertThat(results).hasSize(13);
    assertThat(results.stream().filter(r -> r.plannedEpochs() == 9)).singleElement().satisfies(top -> {
      assertThat(top.epochs()).as("the worker trained the budget").hasSize(9);
      assertThat(top.lineage().rung()).isEqualTo(2);
      String parent = top.lineage().parent();
      Result rung1 = results.stream().filter(r -> r.id().equals(parent)).findFirst().orElseThrow();
      assertThat(rung1.budget()).isEqualTo(3);
      assertThat(rung1.epochs()).hasSize(3);
      assertThat(top.params()).as("same configuration, bookkeeping outside params").isEqualTo(rung1.params());
    });
    assertThat(results.stream().filter(r -> r.plannedEpochs() == 1)).hasSize(9)
        .allSatisfy(r -> assertThat(r.epochs()).hasSize(1));
  }

  @Test
  void byDefaultPromotedSettingsContinueFromTheirParentsCheckpoint() throws Exception {
    Path study = root.resolve("continued");
    assertThat(cli.run("run", "--space", CommandLineTest.SYNTHETIC.toString(), "--study", study.toString(),
        "--strategy", "hyperband", "--trials", "9", "--set", "epochs=9", "--workers", "2", "--poll-ms", "20"))
        .as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).contains("continue from their parent's checkpoint");
    List<Result> results = results(study);
    List<Result> promoted = results.stream().filter(r -> r.lineage().parent() != null).toList();
    assertThat(promoted).isNotEmpty().allSatisfy(r -> {
      Result parent = results.stream().filter(p -> p.id().equals(r.lineage().parent())).findFirst().orElseThrow();
      assertThat(r.resumed()).as(r.id()).isNotNull();
      assertThat(r.resumed().from()).isEqualTo(parent.id());
      assertThat(r.epochs().get(0).epoch()).isEqualTo(parent.budget() + 1);
      assertThat(r.epochs()).hasSize(r.budget() - parent.budget());
    });
    assertThat(results).allSatisfy(r -> assertThat(r.info()).doesNotContainKey("resumeFailed"));
    assertThat(new io.hps.study.Checkpoints(new StudyDirectory(study)).settings()).as("none left").isEmpty();
    String status = new CapturedCli().runOk("status", "--study", study.toString());
    assertThat(status).contains("checkpoints  none kept");
  }
}
