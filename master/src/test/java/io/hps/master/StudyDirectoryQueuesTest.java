package io.hps.master;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The contract suites against the study directory. */
class StudyDirectoryQueuesTest {
  @TempDir
  Path root;

  @Nested
  class MasterSide extends MasterQueueContract {
    @Override
    Queues queues(int retries) throws Exception {
      return new Queues.Files(root, retries);
    }
  }

  @Nested
  class WorkerSide extends WorkerQueueContract {
    @Override
    Queues queues(int retries) throws Exception {
      return new Queues.Files(root, retries);
    }
  }
}
