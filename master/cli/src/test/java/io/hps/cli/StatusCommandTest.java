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
}
