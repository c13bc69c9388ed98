package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.slurm.Slurm;
import io.hps.slurm.SlurmJobs;
import io.hps.study.StudyDirectory;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers started through a real SLURM (examples/slurm/start-local-cluster.sh starts a one-node one;
 * CI runs it). Without a cluster the tests are skipped with a message saying so.
 */
@Tag("slurm")
class SlurmTest {
  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();

  private static Boolean up;

  /**
   * Checked before each test (not once in {@code @BeforeAll}, which surefire reports as "Tests run: 0,
   * Skipped: 0"): so each SLURM test is reported as skipped, with the reason.
   */
  @BeforeEach
  void needsACluster() throws Exception {
    if (up == null) {
      try {
        Process sinfo = new ProcessBuilder("sinfo", "-h", "-o", "%t").redirectErrorStream(true).start();
        String states = new String(sinfo.getInputStream().readAllBytes());
        up = sinfo.waitFor(20, TimeUnit.SECONDS) && sinfo.exitValue() == 0
            && states.lines().anyMatch(s -> s.startsWith("idle") || s.startsWith("mix") || s.startsWith("alloc"));
      } catch (java.io.IOException noSinfo) {
        up = false;
      }
    }
    Assumptions.assumeTrue(up, "SKIPPED: no SLURM cluster on this machine; run examples/slurm/start-local-cluster.sh"
        + " (as root) to include the SLURM tests");
  }

  @AfterEach
  void cleanUp() throws Exception {
    HpsProcess.killAll();
    List<String> jobs = SlurmJobs.read(root.resolve("study")).ids();
    if (!jobs.isEmpty()) {
      Slurm.cancel(jobs);
    }
  }

  @Test
  void workersSubmittedAsAJobArrayCompleteEverySettingOnceThoughATaskIsCancelled() throws Exception {
    Path study = root.resolve("study");
    assertThat(cli.run("slurm", "submit", "--study", study.toString(), "--workers", "3", "--cpus-per-worker", "1",
        "--time", "00:10:00", "--idle-exit", "120")).as(cli.err.toString()).isZero();
    String job = SlurmJobs.read(study).ids().get(0);
    assertThat(cli.out.toString()).contains("submitted job array " + job + ": 3 workers");
    assertThat(Files.readString(study.resolve("slurm/workers.sbatch"))).contains("#SBATCH --array=0-2");
    HpsProcess master = new HpsProcess(root.resolve("master.log"), "master", "--space",
        CommandLineTest.SYNTHETIC.toString(), "--study", study.toString(), "--trials", "12", "--batch", "3",
        "--lease", "4", "--set", "epochs=4", "--set", "epochSeconds=0.75", "--poll-ms", "20");
    String victim = "slurm-" + job + "_1-r0";
    Path victimClaims = study.resolve("claimed").resolve(victim);
    HpsProcess.await("array task 1 to claim a setting", 120,
        () -> Files.isDirectory(victimClaims) && !StudyDirectory.list(victimClaims).isEmpty());
    Slurm.cancel(List.of(job + "_1"));
    assertThat(master.waitFor(180)).as(master.output()).isZero();

    List<Result> results = new StudyDirectory(study).readResults((f, why) -> {
      throw new AssertionError(f + ": " + why);
    });
    assertThat(results).hasSize(12).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.COMPLETE));
    assertThat(results.stream().map(Result::id).distinct()).hasSize(12);
    assertThat(results.stream().map(Result::worker).distinct()).contains("slurm-" + job + "_0-r0",
        "slurm-" + job + "_2-r0");
    String victimLog = Files.readString(study.resolve("logs").resolve("slurm-" + job + "_1.log"));
    Matcher handedBack = Pattern.compile("handed (s\\d+) back to pending").matcher(victimLog);
    if (handedBack.find()) { // SIGTERM reached the JVM: the setting went straight back to pending
      String id = handedBack.group(1);
      assertThat(results).filteredOn(r -> r.id().equals(id)).singleElement()
          .satisfies(r -> assertThat(r.worker()).isNotEqualTo(victim));
    } else { // killed outright: the master requeued the setting when its lease expired
      assertThat(master.output()).contains("lease expired: worker " + victim);
    }
    HpsProcess.await("the workers to leave the queue", 60, () -> Slurm.queue(List.of(job)).isEmpty());
    cli.out.getBuffer().setLength(0);
    assertThat(cli.run("status", "--study", study.toString())).isZero();
    assertThat(cli.out.toString()).contains("SLURM job " + job + ": 3 workers", "none in the queue");
  }
}
