package io.hps.master;

import org.junit.jupiter.api.Nested;

/** The contract suites against the in-memory queue. */
class InMemoryQueuesTest {
  @Nested
  class MasterSide extends MasterQueueContract {
    @Override
    Queues queues(int retries) {
      return new Queues.Memory(retries);
    }
  }

  @Nested
  class WorkerSide extends WorkerQueueContract {
    @Override
    Queues queues(int retries) {
      return new Queues.Memory(retries);
    }
  }
}
