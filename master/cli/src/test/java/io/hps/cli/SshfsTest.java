package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.doctor.FilesystemDoctor;
import io.hps.doctor.Finding;
import io.hps.protocol.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: a study over sshfs, a shared filesystem with weaker semantics than GlusterFS
 * (examples/shared-fs/start-sshfs.sh serves /srv/hps-sftp over SSH on this machine and mounts it at /mnt/hps-s;
 * .ci/run starts it): the master and a worker on the server's own disk, a worker through sshfs. Skipped, saying so,
 * without the mount.
 */
@Tag("sharedfs")
class SshfsTest {
  static final Path SERVED = Path.of("/srv/hps-sftp");
  static final Path MOUNT = Path.of("/mnt/hps-s");
  @TempDir
  Path local;
  Path onServer;
  Path onClient;

  @BeforeEach
  void mounted() throws Exception {
    boolean sshfs = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" "))
        .anyMatch(f -> f[1].equals(MOUNT.toString()) && f[2].equals("fuse.sshfs"));
    Assumptions.assumeTrue(sshfs && Files.isDirectory(SERVED) && Files.isDirectory(MOUNT),
        "SKIPPED: no usable sshfs mount of " + SERVED + " on " + MOUNT
        + "; run examples/shared-fs/start-sshfs.sh (as root) to include the sshfs test");
    String name = "t-" + Long.toHexString(System.nanoTime());
    onServer = Files.createDirectories(SERVED.resolve(name));
    onClient = MOUNT.resolve(name);
    HpsProcess.await(name + " through sshfs", 10, () -> Files.isDirectory(onClient));
  }

  @AfterEach
  void cleanUp() throws Exception {
    HpsProcess.killAll();
    if (onServer != null) {
      SharedFilesystemTest.sh("rm -rf " + onServer);
    }
  }

  @Test
  void aWorkerThroughSshfsAndOneOnTheServerTrainEverySettingOnce() throws Exception {
    Path study = onServer.resolve("study");
    HpsProcess master = new HpsProcess(local.resolve("master.log"), "master", "--space", SharedFilesystemTest.SPACE,
        "--study", study.toString(), "--strategy", "tpe", "--trials", "24", "--batch", "4", "--lease", "20",
        "--set", "epochs=3", "--set", "epochSeconds=0.05", "--poll-ms", "20");
    HpsProcess.await("the study through sshfs", 30, () -> Files.exists(onClient.resolve("study").resolve("study.json")));
    HpsProcess client = new HpsProcess(local.resolve("client.log"), "worker", "--study",
        onClient.resolve("study").toString(), "--id", "client", "--idle-exit", "60", "--poll-ms", "20");
    HpsProcess.await("a claim through sshfs", 60, () -> client.output().contains("worker client: claimed"));
    HpsProcess server = new HpsProcess(local.resolve("server.log"), "worker", "--study", study.toString(), "--id",
        "server", "--idle-exit", "60", "--poll-ms", "20");
    assertThat(master.waitFor(180)).as(master.output()).isZero();
    assertThat(client.waitFor(60)).as(client.output()).isZero();
    assertThat(server.waitFor(60)).isZero();
    List<Result> results = SharedFilesystemTest.exactlyOnce(study, 24);
    assertThat(results.stream().map(Result::worker)).as("both sides trained").contains("client", "server");
  }

  @Test
  void sshfsPassesTheEssentialChecksAndKeepsModificationTimesToTheSecond() throws Exception {
    List<Finding> findings = FilesystemDoctor.essentials(onClient);
    assertThat(findings).noneMatch(f -> f.verdict() == Finding.Verdict.FAIL);
    assertThat(findings).filteredOn(f -> f.property().startsWith("modification times")).singleElement()
        .satisfies(f -> assertThat(f.seen()).contains("1 s"));
  }
}
