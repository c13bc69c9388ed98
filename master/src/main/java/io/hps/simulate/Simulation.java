package io.hps.simulate;

import io.hps.master.InMemoryQueue;
import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.protocol.StopRequest;
import io.hps.protocol.StudyConfig;
import io.hps.stopping.StoppingRule;
import io.hps.strategy.SearchStrategy;
import io.hps.study.Claim;
import io.hps.study.WorkerQueue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the real {@link Master} over an {@link InMemoryQueue} with simulated workers on a simulated clock:
 * each worker claims a setting, trains it epoch by epoch with the recorded curve nearest to it (each
 * epoch taking its recorded time), reports every epoch as a real worker does (and so sees a stop request
 * when the epoch after the judged one ends, as a real worker does), and publishes its result. The master
 * steps after every event, so synchronous batches, asynchronous mode and stopping rules behave as in a
 * study; a search of many GPU hours runs in milliseconds.
 */
final class Simulation {
  /** Seconds an epoch takes when the recording has no times. */
  static final double MODELLED_EPOCH_SECONDS = 1.0;
  private static final Instant START = Instant.parse("2000-01-01T00:00:00Z");

  /** What a simulation measured. */
  record Outcome(List<Result> results, long epochs, double trainingSeconds, double wallSeconds, double best,
      List<double[]> trace, int lost, long[] epochsAt) {}

  private final class SimWorker {
    final String id;
    WorkerQueue queue;
    /** Restarts of this worker after it died: each comes back under a new id, as a new process would. */
    int restarts;
    /** The epoch of this run after which the worker dies (0: it does not). */
    int dieAfter;
    Claim claim;
    Recorded.Run run;
    int planned;
    /** Epochs of the checkpoint this run resumed from (0: from scratch). */
    int resumed;
    final List<Epoch> epochs = new ArrayList<>();
    Instant next;

    SimWorker(String id) {
      this.id = id;
      this.queue = memory.worker(id);
    }

    boolean busy() {
      return claim != null;
    }

    void start(Claim c, Instant now) {
      claim = c;
      run = recorded.answer(c.setting().params());
      int budget = c.setting().epochs();
      planned = Math.min(budget > 0 ? budget : recorded.maxEpochs(), run.epochs());
      epochs.clear();
      // A promoted setting of a study with checkpoints goes on from its parent's epochs, as a trainer that
      // restored the parent's state would; its result holds only the epochs it trained.
      resumed = c.setting().resume() == null ? 0 : Math.min(c.setting().resume().epochs(), planned - 1);
      next = now.plus(seconds(run, resumed + 1));
      dieAfter = failures > 0 && chance.nextDouble() < failures ? 1 + chance.nextInt(planned - resumed) : 0;
    }

    /**
     * Dies at {@code now}: the claim stays held and silent (no heartbeat, no result) until the master's
     * lease expires; the worker comes back at once as a new process, under a new id.
     */
    void die() {
      lost++;
      claim = null;
      restarts++;
      queue = memory.worker(id + "-r" + restarts);
    }

    /** The network's epoch reached: resumed ones and those trained here. */
    int reached() {
      return resumed + epochs.size();
    }

    /** Ends the current epoch at {@code now}: publishes, or schedules the next epoch. */
    void endEpoch(Instant now) throws IOException {
      int e = reached() + 1;
      double error = run.valErrors()[e - 1];
      epochs.add(new Epoch(e, Double.NaN, Double.NaN, error, Duration.between(claim.claimedAt(), now).toMillis()
          / 1000.0, seconds(run, e).toMillis() / 1000.0, null, null));
      spent++;
      trainingSeconds += seconds(run, e).toMillis() / 1000.0;
      if (dieAfter > 0 && epochs.size() >= dieAfter) {
        die();
      } else if (!Double.isFinite(error)) {
        publish(Status.DIVERGED, null, now);
      } else if (e >= planned) {
        publish(Status.COMPLETE, null, now);
      } else {
        Optional<StopRequest> stop = queue.report(claim, List.copyOf(epochs));
        if (stop.isPresent()) {
          publish(Status.STOPPED, stop.get().reason(), now);
        } else {
          next = now.plus(seconds(run, e + 1));
        }
      }
    }

    /**
     * Whether {@code result}'s setting, trained for the whole budget, would keep the study's constraints: the
     * incumbent is scored by its full curve, so a constraint on time judges that curve too (else a setting that
     * keeps it after one epoch but breaks it trained fully would be reported as the best within it).
     */
    boolean keepsConstraintsTrainedFully(Result result) {
      int all = Math.min(recorded.maxEpochs(), run.epochs());
      if (goals.constraints().isEmpty() || planned >= all) {
        return true;
      }
      List<Epoch> full = new ArrayList<>();
      double elapsed = 0;
      for (int e = 1; e <= all; e++) {
        double s = seconds(run, e).toMillis() / 1000.0;
        elapsed += s;
        full.add(new Epoch(e, Double.NaN, Double.NaN, run.valErrors()[e - 1], elapsed, s, null, null));
      }
      return goals.feasible(new Result(result.schema(), result.id(), Status.COMPLETE, null, result.point(),
          result.repeat(), result.batch(), result.attempt(), result.worker(), result.created(), result.claimed(),
          result.finished(), result.params(), full, Map.of()));
    }

    void publish(Status status, String reason, Instant now) throws IOException {
      // The real worker's assembly: a simulated result is built as a real one is.
      Result result = new io.hps.worker.ResultAssembly(claim.setting(), "sim", claim.claimedAt(), resumed > 0, null)
          .of(new io.hps.trainer.Outcome(status, reason, epochs, Map.of()), null, epochs, now);
      if (status == Status.COMPLETE && claim.setting().savesCheckpoint()) {
        result = result.withCheckpoint(io.hps.study.Checkpoints.pathOf(claim.setting(), "sim"));
      }
      queue.publish(claim, result);
      spentAt.put(result.id() + "#" + result.attempt(), spent);
      // Constraints: the best and the incumbent are feasible results only, as hps status counts them.
      boolean feasible = goals.feasible(result);
      if (status == Status.COMPLETE && planned == recorded.maxEpochs() && feasible) {
        double error = epochs.get(epochs.size() - 1).valError();
        best = Double.isNaN(best) ? error : Math.min(best, error);
      }
      double observed = epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).valError();
      if (status == Status.COMPLETE && Double.isFinite(observed) && feasible
          && (planned > incumbentEpochs || planned == incumbentEpochs && observed < incumbentObserved)
          && keepsConstraintsTrainedFully(result)) {
        // The incumbent: the best result of the largest budget seen so far, scored by its full curve's
        // final error (what it would reach trained for the whole budget), as benchmarks of multi-fidelity
        // methods report it; for a method that trains every setting fully, the best final error so far.
        incumbentEpochs = planned;
        incumbentObserved = observed;
        double[] full = run.valErrors();
        trace.add(new double[] {spent, full[Math.min(full.length, recorded.maxEpochs()) - 1],
            Duration.between(START, now).toMillis() / 1000.0});
      }
      claim = null;
    }
  }

  private final Curves recorded;
  private final io.hps.goals.Goals goals;
  private final double failures;
  private final java.util.SplittableRandom chance;
  private final Duration lease;
  private int lost;
  private final SimulatedClock clock = new SimulatedClock(START);
  private final InMemoryQueue memory;
  private final Master master;
  private final List<SimWorker> workers = new ArrayList<>();
  private final List<double[]> trace = new ArrayList<>();
  /** Epochs spent when each result (id#attempt) was published. */
  private final Map<String, Long> spentAt = new java.util.HashMap<>();
  private long spent;
  private double trainingSeconds;
  private double best = Double.NaN;
  private int incumbentEpochs = -1;
  private double incumbentObserved = Double.POSITIVE_INFINITY;

  /**
   * A simulation of the study {@code config} describes; in a study with checkpoints, promoted settings
   * continue from their parent's epochs.
   */
  Simulation(Curves recorded, StudyConfig config, SearchStrategy strategy, StoppingRule rule, int workerCount) {
    this(recorded, config, strategy, rule, workerCount, 0);
  }

  /**
   * The same where each setting's worker dies before the setting is done with chance {@code failures}: the
   * study's lease and retry budget ({@code study.json}'s, the same rules as a study directory) then decide.
   */
  Simulation(Curves recorded, StudyConfig config, SearchStrategy strategy, StoppingRule rule, int workerCount,
      double failures) {
    if (workerCount < 1) {
      throw new IllegalArgumentException("a simulation needs at least one worker, not " + workerCount);
    }
    this.recorded = recorded;
    this.goals = io.hps.goals.Goals.of(config);
    this.failures = failures;
    this.chance = new java.util.SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    // Without failures no worker falls silent: no lease expires and no attempt is retried, exactly.
    this.lease = failures > 0 ? Duration.ofMillis((long) (config.leaseSeconds() * 1000)) : Duration.ofDays(3650);
    this.memory = new InMemoryQueue(lease, failures > 0 ? config.retries() : 0, clock);
    this.master = new Master(memory, config, strategy, rule, clock, new PrintWriter(Writer.nullWriter()),
        MasterOptions.defaults());
    for (int i = 1; i <= workerCount; i++) {
      workers.add(new SimWorker("sim" + i));
    }
  }

  /** Runs the study to its end. */
  Outcome run() throws IOException {
    memory.take(false);
    master.step();
    while (!master.finished()) {
      Instant now = clock.instant();
      for (SimWorker w : workers) {
        if (!w.busy()) {
          Optional<Claim> claim = w.queue.claimNext();
          if (claim.isPresent()) {
            w.start(claim.get(), now);
          }
        }
      }
      SimWorker first = null;
      for (SimWorker w : workers) {
        if (w.busy() && (first == null || w.next.isBefore(first.next))) {
          first = w;
        }
      }
      if (first == null) {
        master.step();
        if (memory.claimed() > 0 && memory.pending().isEmpty() && workers.stream().noneMatch(SimWorker::busy)) {
          clock.advance(lease.plusSeconds(1)); // only dead workers' claims are left: their leases expire
          continue;
        }
        if (workers.stream().noneMatch(SimWorker::busy) && memory.pending().isEmpty() && !master.finished()) {
          master.step(); // what the last look decided (a failed result past the budget) is accepted by the next
        }
        if (workers.stream().noneMatch(SimWorker::busy) && memory.pending().isEmpty() && !master.finished()) {
          throw new IllegalStateException("the simulated study is stuck: nothing pending, nothing running, and the"
              + " master proposes nothing more although it is not finished");
        }
        continue;
      }
      clock.set(first.next);
      first.endEpoch(first.next);
      for (SimWorker w : workers) {
        if (w.busy()) {
          w.queue.heartbeat(w.claim);
        }
      }
      master.step();
    }
    memory.close(io.hps.protocol.MasterPhase.FINISHED);
    List<Result> results = master.results();
    // a result the master made itself (a failed setting past its retries) counts at the epochs spent by then
    long[] epochsAt = new long[results.size()];
    for (int i = 0; i < epochsAt.length; i++) {
      Result r = results.get(i);
      epochsAt[i] = spentAt.getOrDefault(r.id() + "#" + r.attempt(), i == 0 ? 0 : epochsAt[i - 1]);
    }
    return new Outcome(results, spent, trainingSeconds, Duration.between(START, clock.instant()).toMillis()
        / 1000.0, best, List.copyOf(trace), lost, epochsAt);
  }

  /** The recorded time of epoch {@code e} (1-based), or a modelled second where there is none. */
  static Duration seconds(Recorded.Run run, int e) {
    double[] elapsed = run.seconds();
    double s = e - 1 < elapsed.length ? elapsed[e - 1] - (e > 1 ? elapsed[e - 2] : 0) : Double.NaN;
    if (!Double.isFinite(s) || s <= 0) {
      s = MODELLED_EPOCH_SECONDS;
    }
    return Duration.ofNanos((long) (s * 1e9));
  }
}
