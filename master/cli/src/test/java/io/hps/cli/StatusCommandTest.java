package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hps status on a damaged study: it shows what it can and names what it could not read. */
class StatusCommandTest {
  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();

  @Test
  void damagedFilesAreListedAndStatusStillAnswers() throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("s")).create();
    DurableFiles.writeJson(study.config(), StudyConfig.builder(
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"parameters\": {\"lr\": [0.1, 0.2]}}"),
        Strategy.GRID).trials(2).build(), true);
    Files.writeString(study.master(), "junk");
    Files.createDirectories(study.root().resolve("slurm"));
    Files.writeString(study.root().resolve("slurm").resolve("jobs.json"), "[");
    Files.writeString(study.batches().resolve("b000000.json"), "{\"schema\": 1, \"batch\": ");
    Files.writeString(study.workers().resolve("w1.json"), "{}");
    assertThat(cli.run("status", "--study", study.root().toString())).as(cli.err.toString()).isZero();
    String out = cli.out.toString();
    assertThat(out).contains("master.json is unreadable").contains("files not counted")
        .contains("master.json: ").contains("batches/b000000.json: ").contains("workers/w1.json: ")
        .contains("slurm/jobs.json is unreadable");
    assertThat(cli.run("status", "--study", study.root().toString(), "--json")).isZero();
    assertThat(Json.MAPPER.readTree(cli.out.toString().substring(out.length())).get("unreadable")).hasSize(3);
  }

  @Test
  void statusKeepsACacheOutsideTheStudyAndNoCacheReadsEveryFile() throws Exception {
    Path dir = root.resolve("lib");
    io.hps.space.SearchSpace space = io.hps.space.SearchSpace.parse((com.fasterxml.jackson.databind.node.ObjectNode)
        Json.MAPPER.readTree("{\"parameters\": {\"lr\": {\"type\": \"loguniform\", \"low\": 0.001, \"high\": 1}}}"),
        "test");
    try (io.hps.library.Study s = io.hps.library.Study.builder(space).directory(dir).seed(2).build()) {
      s.optimize(io.hps.library.Objective.of(p -> Math.abs(Math.log10(p.getDouble("lr")) + 1) / 3), 12, 1);
    }
    Path cache = io.hps.status.ResultCache.forStudy(dir).file().orElseThrow();
    Files.deleteIfExists(cache);
    assertThat(cli.run("status", "--study", dir.toString(), "--json")).as(cli.err.toString()).isZero();
    String first = cli.out.toString();
    assertThat(cache).as("written on the first call").exists();
    try (var files = Files.walk(dir)) {
      assertThat(files.map(Path::getFileName).map(Path::toString)).as("nothing written into the study")
          .noneMatch(n -> n.endsWith(".bin"));
    }
    assertThat(cli.run("status", "--study", dir.toString(), "--json", "--no-cache")).isZero();
    String uncached = cli.out.toString().substring(first.length());
    assertThat(Json.MAPPER.readTree(uncached).get("complete").asInt()).isEqualTo(12);
    assertThat(Json.MAPPER.readTree(uncached).get("best")).isEqualTo(Json.MAPPER.readTree(first).get("best"));
  }
}
