package io.hps.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hps.json.Json;
import io.hps.library.Objective;
import io.hps.library.Study;
import io.hps.protocol.Epoch;
import io.hps.protocol.Metrics;
import io.hps.protocol.Result;
import io.hps.space.SearchSpace;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import io.hps.trainer.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hps status's cache: the same answer as reading every file, what it does not look at again, what drops it. */
class ResultCacheTest {
  @TempDir
  Path root;

  /**
   * A study of 3-epoch results with a metric of their own, a number in info, training seconds per epoch, two
   * objectives and a constraint, and some failed settings.
   */
  private StudyDirectory study() throws Exception {
    SearchSpace space = SearchSpace.parse((ObjectNode) Json.MAPPER.readTree(
        "{\"parameters\": {\"lr\": {\"type\": \"loguniform\", \"low\": 0.001, \"high\": 1}}}"), "test");
    Objective curves = (trial, sink) -> {
      double lr = trial.params().getDouble("lr");
      if (lr > 0.5) {
        throw new IllegalStateException("lr " + lr + " is too high for this made-up net");
      }
      double d = Math.log10(lr) + 1;
      List<Epoch> epochs = new ArrayList<>();
      for (int e = 1; e <= 3; e++) {
        double error = Math.min(1, 0.05 + 0.1 * d * d + 0.1 / e);
        Epoch epoch = new Epoch(e, error, error, error, 0.1 * e, 0.03 * e, 0.01, Map.of("size", 1000 * lr + e));
        sink.accept(epoch);
        epochs.add(epoch);
      }
      return Outcome.complete(epochs, Map.of("numFreeParameters", 4321, "note", "not a number"));
    };
    Path dir = root.resolve("study");
    try (Study study = Study.builder(space).directory(dir).strategy("tpe").seed(5)
        .objectives("valError", "trainSeconds").constraints("size<=300").build()) {
      study.optimize(curves, 30, 2);
    }
    return new StudyDirectory(dir);
  }

  private static String json(StudyStatus status) throws Exception {
    return Json.MAPPER.writeValueAsString(status);
  }

  @Test
  void whatStatusKeepsOfAResultGivesEveryMetricTheFullResultGives() throws Exception {
    StudyDirectory study = study();
    List<Result> full = StudyStatus.verifiedResults(study, new ArrayList<>());
    assertThat(full).hasSize(30);
    assertThat(full).anySatisfy(r -> assertThat(r.reason()).contains("too high"));
    for (Result r : full) {
      Result slim = ResultCache.slim(r);
      assertThat(slim.epochs()).hasSizeLessThanOrEqualTo(1);
      for (String metric : List.of("valError", "valLoss", "trainLoss", "trainSeconds", "elapsedSeconds", "size",
          "numFreeParameters", "note", "absent")) {
        assertThat(Metrics.value(slim, metric)).as("%s of %s", metric, r.id()).isEqualTo(Metrics.value(r, metric));
      }
      assertThat(slim.objective()).isEqualTo(r.objective());
      assertThat(List.of(slim.id(), slim.status(), slim.worker(), slim.params()))
          .isEqualTo(List.of(r.id(), r.status(), r.worker(), r.params()));
      assertThat(slim.reason()).isEqualTo(r.reason());
    }
  }

  @Test
  void aCachedStatusIsTheStatusOfEveryFileAndFollowsNewAndGoneFiles() throws Exception {
    StudyDirectory study = study();
    Path file = root.resolve("cache").resolve("s.bin");
    String fresh = json(StudyStatus.of(study));
    assertThat(json(StudyStatus.of(study, ResultCache.at(file)))).as("first call: writes the cache").isEqualTo(fresh);
    assertThat(file).exists();
    assertThat(json(StudyStatus.of(study, ResultCache.at(file)))).as("second call: from the cache").isEqualTo(fresh);

    // A result for a setting no batch proposed is named on every call, never kept.
    Path forged = study.results().resolve("s999999.json");
    Result some = StudyStatus.verifiedResults(study, new ArrayList<>()).get(0);
    DurableFiles.writeJson(forged, new Result(1, "s999999", some.status(), some.reason(), 999999, 0, 0, 1,
        some.worker(), some.created(), some.claimed(), some.finished(), some.params(), some.epochs(), some.info()),
        true);
    for (int call = 0; call < 2; call++) {
      StudyStatus s = StudyStatus.of(study, ResultCache.at(file));
      assertThat(s.unverified()).isEqualTo(1);
      assertThat(json(s)).isEqualTo(json(StudyStatus.of(study)));
    }
    Files.delete(forged);

    // A result that is gone is no longer counted.
    String id = some.id();
    Files.move(study.result(id), root.resolve("aside.json"));
    StudyStatus without = StudyStatus.of(study, ResultCache.at(file));
    assertThat(without.complete() + without.failed()).isEqualTo(29);
    assertThat(json(without)).isEqualTo(json(StudyStatus.of(study)));
    Files.move(root.resolve("aside.json"), study.result(id));
    assertThat(json(StudyStatus.of(study, ResultCache.at(file)))).isEqualTo(fresh);

    // A damaged cache is no cache.
    Files.write(file, new byte[] {1, 2, 3, 4, 5});
    assertThat(json(StudyStatus.of(study, ResultCache.at(file)))).isEqualTo(fresh);
    Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) / 2));
    assertThat(json(StudyStatus.of(study, ResultCache.at(file)))).isEqualTo(fresh);
  }

  @Test
  void aFileEditedInPlaceIsSeenOnlyWithoutTheCacheWhichThenWritesItAnew() throws Exception {
    StudyDirectory study = study();
    Path file = root.resolve("cache").resolve("s.bin");
    StudyStatus before = StudyStatus.of(study, ResultCache.at(file));
    String bestId = before.tradeoffs().front().get(0).id();
    // Out of the protocol (results are never rewritten): a result on the front made worse by hand.
    Path best = study.result(bestId);
    makeWorse(best);
    assertThat(json(StudyStatus.of(study, ResultCache.at(file)))).as("the cache is trusted").isEqualTo(json(before));
    String edited = json(StudyStatus.of(study, ResultCache.at(file).rebuilt()));
    assertThat(edited).as("--no-cache reads the file").isNotEqualTo(json(before)).isEqualTo(json(StudyStatus.of(study)));
    assertThat(json(StudyStatus.of(study, ResultCache.at(file)))).as("and wrote the cache anew").isEqualTo(edited);
  }

  @Test
  void aCacheOfAnotherStudyAtTheSamePathOrChangedBehindItsBackIsNotUsed() throws Exception {
    StudyDirectory study = study();
    Path file = root.resolve("cache").resolve("s.bin");
    String truth = json(StudyStatus.of(study, ResultCache.at(file)));
    // A byte of a cached value changed: the file still parses, its sum does not match.
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(file, bytes);
    assertThat(json(StudyStatus.of(study, ResultCache.at(file)))).isEqualTo(truth);
    // The study moved aside and a copy of it put at its path (the same study.json, times kept, as cp -a does),
    // with the result on the front another: another study, whatever its study.json says.
    StudyStatus cached = StudyStatus.of(study, ResultCache.at(file));
    Path aside = root.resolve("aside");
    Files.move(study.root(), aside);
    copy(aside, study.root());
    Path front = study.result(cached.tradeoffs().front().get(0).id());
    makeWorse(front);
    String copied = json(StudyStatus.of(study, ResultCache.at(file)));
    assertThat(copied).isNotEqualTo(json(cached)).isEqualTo(json(StudyStatus.of(study)));
  }

  /** Rewrites a result file in place (never done by hps) with a validation error of 0.99 at every epoch. */
  private static void makeWorse(Path file) throws Exception {
    Result r = Json.MAPPER.readValue(Files.readString(file), Result.class);
    List<Epoch> worse = new ArrayList<>();
    for (Epoch e : r.epochs()) {
      worse.add(new Epoch(e.epoch(), 0.99, 0.99, 0.99, e.elapsedSeconds(), e.trainSeconds(), e.valSeconds(),
          e.metrics()));
    }
    Files.writeString(file, Json.MAPPER.writeValueAsString(new Result(r.schema(), r.id(), r.status(), r.reason(),
        r.point(), r.repeat(), r.batch(), r.attempt(), r.worker(), r.created(), r.claimed(), r.finished(), r.params(),
        worse, r.info(), r.budget(), r.lineage())));
  }

  private static void copy(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  @Test
  void eachStudyPathHasACacheFileOfItsOwnInTheUsersCacheFolder() {
    Path a = ResultCache.forStudy(root.resolve("a")).file().orElseThrow();
    Path b = ResultCache.forStudy(root.resolve("b")).file().orElseThrow();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.getParent()).isEqualTo(b.getParent());
    assertThat(a.getParent().getFileName().toString()).isEqualTo("status");
    assertThat(ResultCache.forStudy(root.resolve("a/../a")).file()).contains(a);
    assertThat(ResultCache.none().file()).isEmpty();
  }
}
