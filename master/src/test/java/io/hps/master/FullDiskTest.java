package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Result;
import io.hps.study.Claim;
import io.hps.study.StudyDirectory;
import io.hps.study.WorkerQueue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25 (4): the master on a disk that is full for a while, on a small tmpfs (mounting one needs root;
 * skipped with the reason elsewhere). A setting whose file could not be written to {@code pending/} is
 * written when space returns, as the same attempt: it never trained, so no attempt of it was spent.
 */
class FullDiskTest {
  @TempDir
  Path root;
  Path mount;

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void aSettingThatCouldNotBeWrittenToPendingIsWrittenWhenSpaceReturnsAsItsFirstAttempt() throws Exception {
    Path small = root.resolve("small");
    Files.createDirectories(small);
    Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()),
        "SKIPPED: cannot mount a small tmpfs here (root and mount permission needed) to fill a disk");
    mount = small;
    Queues.Files q = new Queues.Files(small.resolve("study"), 3);
    q.master.take(false);
    Path spare = small.resolve("spare");
    Files.write(spare, new byte[4096]); // one page: room for the batch file once the rest is full
    Path filler = small.resolve("filler");
    fill(filler);
    Files.delete(spare);

    q.propose(0, 0, 2); // the batch file takes the last page; neither setting reaches pending/
    assertThat(StudyDirectory.list(q.study.pending())).as("the disk is full").isEmpty();
    int errors = 0;
    for (int i = 0; i < 20; i++) { // 20 s of a full disk, a look a second
      try {
        q.look();
      } catch (IOException e) {
        errors++; // the master's patience retries a look that failed
      }
    }
    assertThat(StudyDirectory.list(q.study.results())).as("nothing failed while the disk was full").isEmpty();
    Files.delete(filler);
    q.accepted(3);

    WorkerQueue worker = q.worker("w");
    for (int i = 0; i < 2; i++) {
      Claim claim = worker.claimNext().orElseThrow();
      assertThat(claim.setting().attempt()).as("%s never trained: its first attempt", claim.setting().id())
          .isEqualTo(1);
      assertThat(claim.setting().history()).isEmpty();
      worker.publish(claim, q.result(claim, 0.1));
    }
    assertThat(q.accepted(2)).extracting(Result::status).containsOnly(io.hps.protocol.Status.COMPLETE)
        .hasSize(2);
    assertThat(q.log.toString()).doesNotContain("file removed").contains("No space left");
    System.out.printf("full disk: %d looks of 20 failed, 2 settings written to pending/ when space returned%n",
        errors);
  }

  /** Writes zeros to {@code file} until the disk is full. */
  static void fill(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] block = new byte[4096];
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
  }

  static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
