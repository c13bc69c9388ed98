package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Mode;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.strategy.Strategies;
import io.hps.study.Checkpoints;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import io.hps.worker.TrainerRegistry;
import io.hps.worker.Worker;
import io.hps.worker.WorkerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Successive halving with checkpoints, master and real workers (the synthetic trainer) over a study
 * directory: promoted settings continue their parent's state, and checkpoints go as soon as no rung can
 * promote them.
 */
class CheckpointsStudyTest {
  static final String SPACE = "{\"parameters\":{\"model\":\"synthetic\",\"epochs\":9,"
      + "\"lr\":{\"type\":\"loguniform\",\"low\":0.01,\"high\":0.3},\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1}}}";

  @TempDir
  Path root;
  final StringWriter log = new StringWriter();

  StudyConfig config(boolean checkpoints) throws Exception {
    return StudyConfig.builder(SearchSpace.parse(Json.MAPPER.readTree(SPACE), "t").toJson(),
        Strategy.SUCCESSIVE_HALVING).name("t").trials(9).batch(9, Mode.SYNC).checkpoints(checkpoints).build();
  }

  Master master(StudyDirectory study, StudyConfig config) throws Exception {
    study.create();
    DurableFiles.writeJson(study.config(), config, true);
    return Master.of(study, config, Strategies.create(config.strategy(), config.searchSpace(), config),
        Clock.systemUTC(), new PrintWriter(log), new MasterOptions(2, false));
  }

  /** A worker that trains {@code count} settings and returns. */
  int train(StudyDirectory study, int count) throws Exception {
    return new Worker(study, new WorkerOptions("w", null, 2, 5, count, root, 1),
        TrainerRegistry.load(getClass().getClassLoader()), Clock.systemUTC(), new PrintWriter(log)).run();
  }

  static List<Setting> pending(StudyDirectory study) throws Exception {
    List<Setting> settings = new java.util.ArrayList<>();
    for (String name : StudyDirectory.list(study.pending())) {
      settings.add(StudyDirectory.readSetting(study.pending().resolve(name)));
    }
    return settings;
  }

  Map<String, Result> results(StudyDirectory study) throws Exception {
    return study.readResults((f, why) -> {
      throw new AssertionError(f + ": " + why);
    }).stream().collect(Collectors.toMap(Result::id, Function.identity()));
  }

  @Test
  void promotedSettingsContinueTheirParentsStateAndEveryCheckpointGoesOnceNoRungCanPromoteIt() throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("sh"));
    Master master = master(study, config(true));
    Checkpoints checkpoints = new Checkpoints(study);
    master.step();
    assertThat(train(study, 9)).isEqualTo(9);
    Map<String, Result> rung0 = results(study);
    assertThat(rung0.values()).hasSize(9).allSatisfy(r -> {
      assertThat(r.checkpoint()).as("rung 0 may be promoted: it saves").startsWith("checkpoints/" + r.id() + "/a1-w");
      assertThat(study.checkpoint(r.checkpoint()).resolve("checkpoint.json")).exists();
    });

    master.step(); // accepts rung 0, proposes rung 1 (3 settings), drops the 6 it did not promote
    List<Setting> rung1 = pending(study);
    assertThat(rung1).hasSize(3).allSatisfy(s -> {
      assertThat(s.resume().from()).isEqualTo(s.lineage().parent());
      assertThat(s.resume().path()).isEqualTo(rung0.get(s.lineage().parent()).checkpoint());
      assertThat(s.resume().epochs()).isEqualTo(1);
      assertThat(s.savesCheckpoint()).isTrue();
    });
    assertThat(checkpoints.settings()).containsExactlyInAnyOrderElementsOf(
        rung1.stream().map(s -> s.lineage().parent()).toList());

    assertThat(train(study, 3)).isEqualTo(3);
    master.step(); // accepts rung 1, proposes rung 2 (1 setting): only its parent's checkpoint stays
    List<Setting> rung2 = pending(study);
    assertThat(rung2).singleElement().satisfies(s -> {
      assertThat(s.resume().epochs()).isEqualTo(3);
      assertThat(s.savesCheckpoint()).as("the last rung is never promoted").isFalse();
    });
    assertThat(checkpoints.settings()).containsExactly(rung2.get(0).lineage().parent());

    assertThat(train(study, 1)).isEqualTo(1);
    master.step();
    assertThat(master.finished()).isTrue();
    assertThat(checkpoints.settings()).as("a finished study keeps no checkpoint").isEmpty();
    assertThat(checkpoints.bytes()).isZero();

    Map<String, Result> all = results(study);
    assertThat(all).hasSize(13);
    for (Result r : all.values()) {
      assertThat(r.status()).isEqualTo(Status.COMPLETE);
      assertThat(r.epochs().get(r.epochs().size() - 1).epoch()).as("reaches its budget").isEqualTo(r.budget());
      if (r.lineage().parent() != null) {
        Result parent = all.get(r.lineage().parent());
        assertThat(r.resumed().from()).isEqualTo(parent.id());
        assertThat(r.epochs()).as("only the epochs it trained itself").extracting(Epoch::epoch)
            .first().isEqualTo(parent.budget() + 1);
        assertThat(r.info()).doesNotContainKey("resumeFailed");
      }
    }
    assertThat(all.values().stream().mapToInt(r -> r.epochs().size()).sum()).as("9 x 1 + 3 x 2 + 1 x 6").isEqualTo(21);
  }

  @Test
  void withoutCheckpointsPromotedSettingsTrainFromScratch() throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("retrain"));
    Master master = master(study, config(false));
    for (int rung : new int[] {9, 3, 1}) {
      master.step();
      assertThat(train(study, rung)).isEqualTo(rung);
    }
    master.step();
    assertThat(master.finished()).isTrue();
    Map<String, Result> all = results(study);
    assertThat(all.values()).hasSize(13).allSatisfy(r -> {
      assertThat(r.checkpoint()).isNull();
      assertThat(r.resumed()).isNull();
      assertThat(r.epochs()).hasSize(r.budget());
    });
    assertThat(Files.exists(study.checkpoints())).isFalse();
  }

  @Test
  void aMissingCheckpointFallsBackToTrainingFromScratchWithANote() throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("lost"));
    Master master = master(study, config(true));
    master.step();
    train(study, 9);
    master.step();
    List<Setting> rung1 = pending(study);
    Setting victim = rung1.get(0);
    Checkpoints.deleteTree(study.checkpoint(victim.resume().path()));
    train(study, 3);
    Result lost = results(study).get(victim.id());
    assertThat(lost.status()).isEqualTo(Status.COMPLETE);
    assertThat(lost.resumed()).isNull();
    assertThat(lost.epochs()).extracting(Epoch::epoch).containsExactly(1, 2, 3);
    assertThat(lost.info().get("resumeFailed").toString()).contains(victim.resume().path()).contains("missing");
  }
}
