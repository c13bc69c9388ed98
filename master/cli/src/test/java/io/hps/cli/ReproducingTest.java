package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.protocol.Batch;
import io.hps.protocol.Setting;
import io.hps.study.StudyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 29: every proposal is computed again from its batch's provenance ({@code hps verify}), the study
 * replays exactly in the simulator ({@code hps replay --exact}), and {@code hps status --setting} says why.
 */
class ReproducingTest {
  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();
  static final String SPACE = CommandLineTest.SYNTHETIC.toString();

  @AfterEach
  void killLeftovers() {
    HpsProcess.killAll();
  }

  /** Strategy, mode, workers, trials, epochs, and a phrase "why" says for the study's last setting. */
  @ParameterizedTest
  @CsvSource({
      "random, sync, 1, 12, 2, random search: point 11",
      "random, async, 4, 12, 2, random search: point 11",
      "tpe, sync, 2, 20, 2, TPE: of",
      "tpe, async, 3, 24, 2, TPE: of",
      "successive-halving, sync, 2, 9, 9, promotes s0000",
      "successive-halving, async, 4, 9, 9, promotes s0000",
      "hyperband, async, 3, 9, 9, 'bracket 2, rung 0 (9 epochs): random configuration'",
      "asha, async, 4, 9, 9, ASHA rung",
      "asha, sync, 1, 9, 9, ASHA rung",
      "bohb, async, 2, 9, 9, rung 0",
      "bohb, sync, 4, 9, 9, rung 0"})
  void everyStrategyVerifiesReplaysExactlyAndSaysWhy(String strategy, String mode, int workers, int trials,
      int epochs, String why) throws Exception {
    Path study = root.resolve(strategy + "-" + mode);
    cli.runOk("run", "--space", SPACE, "--study", study.toString(), "--strategy", strategy, "--mode", mode,
        "--workers", String.valueOf(workers), "--trials", String.valueOf(trials), "--set", "epochs=" + epochs,
        "--seed", "7", "--poll-ms", "5");
    List<Batch> batches = batches(study);
    assertThat(batches).allSatisfy(b -> assertThat(b.provenance()).isNotNull());

    assertThat(cli.run("verify", "--study", study.toString())).as(cli.out.toString()).isZero();
    assertThat(cli.out.toString()).contains("verified: " + batches.size() + " of " + batches.size() + " batches").doesNotContain("MISMATCH")
        .doesNotContain("have no recorded digest"); // a finished study has a digest of every result

    Path replayed = root.resolve(strategy + "-" + mode + "-replayed");
    assertThat(cli.run("replay", "--exact", study.toString(), "--out", replayed.toString()))
        .as(cli.out.toString()).isZero();
    assertThat(cli.out.toString()).contains("reproduced: " + batches.size() + " batches");
    sameFiles(study, replayed);

    List<Setting> all = batches.stream().flatMap(b -> b.settings().stream()).toList();
    String last = all.get(all.size() - 1).id();
    assertThat(cli.run("status", "--study", study.toString(), "--setting", last)).isZero();
    assertThat(cli.out.toString()).contains("setting   " + last).contains(why)
        .contains("the strategy proposes this very setting");
    // --json: the setting (its point and parameters) with why; an unknown id is an error, not a usage error
    Setting lastSetting = all.get(all.size() - 1);
    assertThat(cli.run("status", "--study", study.toString(), "--setting", last, "--json")).isZero();
    String json = cli.out.toString();
    var node = io.hps.json.Json.MAPPER.readTree(json.substring(json.lastIndexOf("\n{") + 1));
    assertThat(node.get("id").asText()).isEqualTo(last);
    assertThat(node.get("point").asInt()).isEqualTo(lastSetting.point());
    assertThat(io.hps.json.Json.MAPPER.treeToValue(node.get("params"), io.hps.space.Params.class).sameAs(
        lastSetting.params())).isTrue();
    assertThat(node.get("reproduced").asBoolean()).isTrue();
    assertThat(cli.run("status", "--study", study.toString(), "--setting", "no-such-setting")).isEqualTo(1);
    assertThat(cli.err.toString()).contains("proposed a setting 'no-such-setting'");
  }

  /** Each replayed batch file against the study's, file by file: the same settings and provenance. */
  static void sameFiles(Path study, Path replayed) throws Exception {
    List<String> names = StudyDirectory.list(study.resolve("batches"));
    assertThat(StudyDirectory.list(replayed)).isEqualTo(names);
    for (String name : names) {
      Batch a = StudyDirectory.readBatch(study.resolve("batches").resolve(name));
      Batch b = Json.MAPPER.readValue(replayed.resolve(name).toFile(), Batch.class);
      assertThat(b.provenance()).as(name).isEqualTo(a.provenance());
      assertThat(b.settings()).as(name).hasSameSizeAs(a.settings());
      for (int i = 0; i < a.settings().size(); i++) {
        Setting x = a.settings().get(i);
        Setting y = b.settings().get(i);
        assertThat(List.of(y.id(), y.point(), y.repeat(), y.batch(), String.valueOf(y.budget()),
            String.valueOf(y.lineage()))).as(name).isEqualTo(List.of(x.id(), x.point(), x.repeat(), x.batch(),
            String.valueOf(x.budget()), String.valueOf(x.lineage())));
        assertThat(y.params().difference(x.params())).as(name + " " + x.id()).isEmpty();
      }
    }
  }

  @Test
  void asynchronousProposalsSawResultsOutOfOrderWithSettingsInFlight() throws Exception {
    // The case that makes async studies hard to reproduce: results arrive out of order while others train.
    Path study = root.resolve("async");
    cli.runOk("run", "--space", SPACE, "--study", study.toString(), "--strategy", "tpe", "--mode", "async",
        "--workers", "4", "--trials", "40", "--set", "epochs=3", "--set", "epochSeconds=0.01", "--seed", "11",
        "--poll-ms", "5");
    List<Batch> batches = batches(study);
    assertThat(batches).anySatisfy(b -> assertThat(b.provenance().inFlight()).isNotEmpty());
    assertThat(cli.run("verify", "--study", study.toString())).as(cli.out.toString()).isZero();
    assertThat(cli.run("replay", "--exact", study.toString())).as(cli.out.toString()).isZero();
  }

  @Test
  void aMasterKilledMidStudyStillVerifies() throws Exception {
    Path dir = root.resolve("killed");
    Path space = Files.writeString(root.resolve("space.json"), ProcessesTest.SPACE);
    String[] args = {"master", "--study", dir.toString(), "--space", space.toString(), "--strategy", "tpe", "--mode",
        "async", "--batch", "3", "--trials", "30", "--set", "epochs=3", "--set", "epochSeconds=0.02", "--poll-ms",
        "5"};
    HpsProcess master = new HpsProcess(root.resolve("master.log"), args);
    StudyDirectory study = new StudyDirectory(dir);
    HpsProcess.await("study.json", 30, () -> Files.exists(study.config()));
    List<HpsProcess> workers = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      workers.add(new HpsProcess(root.resolve(id + ".log"), "worker", "--study", dir.toString(), "--id", id,
          "--poll-ms", "5"));
    }
    HpsProcess.await("some results", 60, () -> StudyDirectory.list(study.results()).size() >= 12);
    master.process.destroyForcibly().waitFor();
    assertThat(StudyDirectory.list(study.results()).size()).isLessThan(30);
    // Killed: what it proposed verifies; the results accepted after its last batch have no digest yet (a note).
    assertThat(cli.run("verify", "--study", dir.toString())).as(cli.out.toString()).isZero();
    master = new HpsProcess(root.resolve("master2.log"), args);
    assertThat(master.waitFor(120)).as(master.output()).isZero();
    for (HpsProcess w : workers) {
      assertThat(w.waitFor(30)).isZero();
    }
    assertThat(StudyDirectory.list(study.results())).hasSize(30);
    int before = cli.out.toString().length();
    assertThat(cli.run("verify", "--study", dir.toString())).as(cli.out.toString()).isZero();
    assertThat(cli.out.toString().substring(before)).doesNotContain("have no recorded digest");
    Path replayed = root.resolve("killed-replayed");
    assertThat(cli.run("replay", "--exact", dir.toString(), "--out", replayed.toString())).as(cli.out.toString())
        .isZero();
    sameFiles(dir, replayed);
  }

  @Test
  void handEditedResultsAndSettingsAreCaught() throws Exception {
    Path study = root.resolve("tpe");
    cli.runOk("run", "--space", SPACE, "--study", study.toString(), "--strategy", "tpe", "--workers", "2",
        "--trials", "16", "--set", "epochs=2", "--seed", "5", "--poll-ms", "5");
    assertThat(cli.run("verify", "--study", study.toString())).isZero();

    // A result made better by hand: its digest catches it, and every later batch computes differently.
    Path result = study.resolve("results/s000003.json");
    String original = Files.readString(result);
    Map<String, Object> edited = Json.MAPPER.readValue(original, Map.class);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> epochs = (List<Map<String, Object>>) edited.get("epochs");
    epochs.get(epochs.size() - 1).put("valError", 0.0001);
    Files.writeString(result, Json.MAPPER.writeValueAsString(edited));
    int before = cli.out.toString().length();
    assertThat(cli.run("verify", "--study", study.toString())).isEqualTo(1);
    assertThat(cli.out.toString().substring(before))
        .contains("MISMATCH  results/s000003.json: changed after the master accepted it").contains("NOT verified");
    assertThat(cli.run("replay", "--exact", study.toString())).isEqualTo(1);
    assertThat(cli.out.toString()).contains("NOT reproduced").contains("results/s000003.json changed after");
    Files.writeString(result, original);

    // A study without its batch files: nothing records what was proposed, so nothing is reproduced.
    Path bare = root.resolve("bare");
    Files.createDirectories(bare.resolve("results"));
    Files.copy(study.resolve("study.json"), bare.resolve("study.json"));
    Files.copy(study.resolve("results/s000003.json"), bare.resolve("results/s000003.json"));
    before = cli.out.toString().length();
    assertThat(cli.run("replay", "--exact", bare.toString())).isEqualTo(1);
    assertThat(cli.out.toString().substring(before)).contains("NOT reproduced").contains("has no batch files");

    // A setting changed by hand in its batch (the master's record): computing it again disagrees.
    Batch last = batches(study).get(batches(study).size() - 1);
    Setting s = last.settings().get(0);
    Path file = study.resolve("batches").resolve(Batch.fileName(last.batch()));
    String text = Files.readString(file);
    Files.writeString(file, text.replaceFirst("\"bs\" : " + s.params().getInt("bs"),
        "\"bs\" : " + (s.params().getInt("bs") + 1)));
    before = cli.out.toString().length();
    assertThat(cli.run("verify", "--study", study.toString())).isEqualTo(1);
    assertThat(cli.out.toString().substring(before)).contains("MISMATCH  batches/" + Batch.fileName(last.batch())
        + ": setting " + s.id() + ": parameter 'bs' is " + (s.params().getInt("bs") + 1) + " as recorded, not "
        + s.params().getInt("bs") + " as recomputed");
    before = cli.out.toString().length();
    assertThat(cli.run("status", "--study", study.toString(), "--setting", s.id())).isEqualTo(1);
    assertThat(cli.out.toString().substring(before)).contains("the batch differs");
    Files.writeString(file, text);
    assertThat(cli.run("verify", "--study", study.toString())).isZero();

    // A study from before provenance cannot be checked, and verify says so rather than passing it.
    Files.writeString(file, text.replaceAll("(?s),\\s*\"provenance\" : \\{.*?\\}\\s*(?=\\}\\s*$)", ""));
    assertThat(StudyDirectory.readBatch(file).provenance()).isNull();
    before = cli.out.toString().length();
    assertThat(cli.run("verify", "--study", study.toString())).isEqualTo(1);
    assertThat(cli.out.toString().substring(before)).contains("no provenance");
  }

  @Test
  void aStudyResumedWithOtherOptionsStillVerifiesAndItsEndIsChecked() throws Exception {
    Path study = root.resolve("resumed");
    cli.runOk("run", "--space", SPACE, "--study", study.toString(), "--strategy", "tpe", "--workers", "2",
        "--trials", "12", "--batch", "2", "--set", "epochs=2", "--seed", "9", "--poll-ms", "5");
    // More trials, another batch size, mode and lease: what a resume may change (PROTOCOL.md, study.json).
    cli.runOk("run", "--study", study.toString(), "--workers", "2", "--trials", "18", "--batch", "3", "--mode",
        "async", "--lease", "60", "--poll-ms", "5");
    assertThat(batches(study).stream().mapToInt(b -> b.provenance().trials()).distinct()).containsExactly(12, 18);
    int before = cli.out.toString().length();
    assertThat(cli.run("verify", "--study", study.toString())).as(cli.out.toString()).isZero();
    assertThat(cli.out.toString().substring(before)).contains("verified: " + batches(study).size() + " of "
        + batches(study).size() + " batches");
    // replayed exactly too: each batch with the trials and the points asked that its provenance records
    before = cli.out.toString().length();
    assertThat(cli.run("replay", "--exact", study.toString())).as(cli.out.toString()).isZero();
    assertThat(cli.out.toString().substring(before)).contains("reproduced: " + batches(study).size() + " batches");

    // A result that no batch saw (the last ones: their digests are in digests.json) deleted or edited.
    Path last = study.resolve("results/s000017.json");
    String text = Files.readString(last);
    Files.delete(last);
    before = cli.out.toString().length();
    assertThat(cli.run("verify", "--study", study.toString())).isEqualTo(1);
    assertThat(cli.out.toString().substring(before)).contains("results/s000017.json: is gone, but the master"
        + " accepted it");
    Files.writeString(last, text.replaceFirst("\"trainLoss\" : [0-9.]+", "\"trainLoss\" : 0.5"));
    Path digests = study.resolve("digests.json");
    Files.writeString(digests, Files.readString(digests).replaceAll(",?\\s*\"s000017\" : \"[0-9a-f]+\"", ""));
    before = cli.out.toString().length();
    assertThat(cli.run("verify", "--study", study.toString())).isEqualTo(1);
    assertThat(cli.out.toString().substring(before)).contains("results/s000017.json: has no recorded digest, though"
        + " the master finished the study");

    // replay --exact takes no other options, and writes only into a new or empty folder outside the study.
    assertThat(cli.run("replay", "--exact", study.toString(), "--mode", "async")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("not --mode");
    assertThat(cli.run("replay", "--exact", study.toString(), "--out", study.resolve("batches").toString()))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("is inside the study");
    assertThat(cli.run("replay", "--exact", root.resolve("nowhere").toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("is not a study directory");
  }

  static List<Batch> batches(Path study) throws Exception {
    List<Batch> batches = new ArrayList<>();
    for (String name : StudyDirectory.list(study.resolve("batches"))) {
      batches.add(StudyDirectory.readBatch(study.resolve("batches").resolve(name)));
    }
    return batches;
  }
}
