package io.hps.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.WorkerStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  @Test
  void aWorkerWhoseFileWentSilentIsMarkedAndOneThatExitedIsNot() {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    List<WorkerStatus> workers = List.of(
        new WorkerStatus(1, "alive", "h", 1, null, now, now.minusSeconds(5), io.hps.protocol.WorkerState.TRAINING, "s000001", 2, 3),
        new WorkerStatus(1, "killed", "h", 2, null, now, now.minusSeconds(600), io.hps.protocol.WorkerState.TRAINING, "s000002", 1, 0),
        new WorkerStatus(1, "done", "h", 3, null, now, now.minusSeconds(900), io.hps.protocol.WorkerState.EXITED, null, null, 7));
    StudyStatus s = new StudyStatus("d", "running", 10, 3, 0, 2, 1, 0, 0, 0, 0, 1, null, workers, List.of(),
        List.of("batches/b000001.json: is 9 bytes, over the limit"));
    StringWriter out = new StringWriter();
    StatusTable.print(s, new PrintWriter(out), now);
    String text = out.toString();
    assertThat(text.lines().filter(l -> l.contains("silent"))).singleElement().asString().contains("killed");
    assertThat(text).contains("unverified      1");
    assertThat(text).contains("files not counted").contains("  batches/b000001.json: is 9 bytes, over the limit");
    assertThat(text).contains("killed").contains(" training ").doesNotContain("TRAINING");
  }

  @Test
  void doneCountsTheResultsPublishedUnderTheWorkersIdAcrossRestarts() {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    // w2 died after publishing two results and was restarted under its id: its new file counts 1
    List<WorkerStatus> workers = List.of(
        new WorkerStatus(1, "w2", "h", 9, null, now, now, io.hps.protocol.WorkerState.IDLE, null, null, 1),
        new WorkerStatus(1, "w1", "h", 8, null, now, now, io.hps.protocol.WorkerState.IDLE, null, null, 1));
    List<io.hps.protocol.Result> results = java.util.stream.Stream.of("w2", "w2", "w1", "w2").map(w -> io.hps.protocol.Result.of(
        new io.hps.protocol.Setting("s000001", 0, 0, 0, now, new io.hps.space.Params(java.util.Map.of())),
        io.hps.protocol.Status.FAILED, "any", w, now, now, List.of(), java.util.Map.of())).toList();
    List<WorkerStatus> counted = StudyStatus.countingResults(workers, results);
    assertThat(counted).extracting(WorkerStatus::worker).containsExactly("w1", "w2");
    assertThat(counted).extracting(WorkerStatus::completed).containsExactly(1, 3);
  }

  /** A halving strategy's front may hold one configuration at two budgets: the table tells them apart. */
  @Test
  void aFrontOfSeveralBudgetsShowsEachResultsEpochs() {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    io.hps.space.Params params = new io.hps.space.Params(java.util.Map.of("lr", 0.1, "epochs", 10L));
    java.util.function.BiFunction<Integer, Double, io.hps.protocol.Result> result = (budget, error) ->
        new io.hps.protocol.Result(1, "s00000" + budget, io.hps.protocol.Status.COMPLETE, null, 0, 0, 0, 1, "w", now,
            now, now, params, List.of(new io.hps.protocol.Epoch(1, 1.0, 1.0, error, budget, (double) budget, null,
            null)), java.util.Map.of(), budget, null);
    io.hps.goals.Goals goals = new io.hps.goals.Goals(List.of(io.hps.protocol.Objective.parse("valError"),
        io.hps.protocol.Objective.parse("trainSeconds")), List.of());
    StudyStatus.Tradeoffs t = StudyStatus.tradeoffs(goals, List.of(result.apply(1, 0.5), result.apply(3, 0.3)));
    assertThat(t.front()).extracting(StudyStatus.FrontPoint::budget).containsExactly(3, 1);
    StudyStatus s = new StudyStatus("d", "finished", 2, 2, 0, 0, 2, 0, 0, 0, 0, 0, null, List.of(), List.of(),
        List.of(), null, List.of(), t, null);
    StringWriter out = new StringWriter();
    StatusTable.print(s, new PrintWriter(out), now);
    assertThat(out.toString()).contains("EPOCHS  PARAMETERS").containsPattern("s000003 .* 3  .*lr=0.1")
        .containsPattern("s000001 .* 1  .*lr=0.1");
  }

  /** Issue 28: a master killed on this host, or silent on another, is not shown as simply "running". */
  @Test
  void aMasterThatIsGoneIsNotShownAsRunning() throws Exception {
    String here = io.hps.study.ThisHost.name();
    Instant now = Instant.now();
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    var running = io.hps.protocol.MasterPhase.RUNNING;
    assertThat(StudyStatus.describe(new io.hps.protocol.MasterStatus(1, here, ProcessHandle.current().pid(), now, now,
        running))).isEqualTo("running");
    assertThat(StudyStatus.describe(new io.hps.protocol.MasterStatus(1, here, dead.pid(), now, now, running)))
        .startsWith("running on record, but its process (pid " + dead.pid() + " on this host) is gone");
    assertThat(StudyStatus.describe(new io.hps.protocol.MasterStatus(1, "elsewhere", 1, now, now.minusSeconds(2),
        running))).isEqualTo("running");
    assertThat(StudyStatus.describe(new io.hps.protocol.MasterStatus(1, "elsewhere", 1, now, now.minusSeconds(90),
        running))).contains("last changed 90 s ago by this machine's clock").contains("probably dead");
    assertThat(StudyStatus.describe(new io.hps.protocol.MasterStatus(1, here, dead.pid(), now, now,
        io.hps.protocol.MasterPhase.FINISHED))).isEqualTo("finished");
  }
}
