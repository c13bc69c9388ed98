package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Progress;
import io.hps.protocol.Result;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The master's side of a study's queue: it records proposed batches, and on each {@link #look} does
 * the protocol's bookkeeping (accepts each setting's one result after checking it against what was
 * proposed, expires silent leases, requeues within the retry budget and fails past it, recovers lost
 * settings, quarantines bad input), so that the {@link Master} only decides. {@link FileMasterQueue} is
 * the study directory of PROTOCOL.md; {@link InMemoryQueue} serves the simulator.
 */
public interface MasterQueue {
  /**
   * What one look found.
   *
   * @param accepted results accepted in this look, each setting's only one
   * @param running runs that reported epochs and have no stop request yet (may be empty on looks that
   *     do not read progress)
   */
  record Look(List<Result> accepted, List<Progress> running) {
    public Look {
      accepted = List.copyOf(accepted);
      running = List.copyOf(running);
    }
  }

  /**
   * Takes the study for this master: refuses when another live master holds it, unless {@code force},
   * which fences the other one (its next write fails with {@link Replaced}).
   */
  void take(boolean force) throws IOException;

  /** Every batch proposed so far, in order: what a restarted master rebuilds its knowledge from. */
  List<Batch> batches() throws IOException;

  /**
   * What was proposed and accepted, as this queue's {@link StudyRules} keep it (after {@link #batches}): the
   * master decides from this one ledger, which each {@link #propose} and {@link #look} brings up to date.
   */
  Ledger ledger() throws IOException;

  /**
   * Records a batch and makes its settings claimable; refused with {@link Replaced} if fenced. Returns
   * normally once the batch is recorded (a setting not made claimable then is recovered by a later look);
   * throws only when it is not, so that the master proposes the same batch again.
   */
  void propose(Batch batch) throws IOException;

  /**
   * One look at the queue and the bookkeeping it calls for. Every accepted result is returned by exactly
   * one look that returns normally: one accepted by a look that then failed comes with the next.
   */
  Look look(Instant now) throws IOException;

  /** Asks the worker of {@code run} to stop after its current epoch. */
  void requestStop(Progress run, String reason, Instant now) throws IOException;

  /**
   * Deletes the checkpoints of the {@code finished} settings (those with an accepted result) but the
   * ones in {@code keep} (paths); checkpoints of unfinished settings are left alone. By default there
   * are none to delete (a queue that holds no files).
   */
  default void retainCheckpoints(Collection<String> finished, Set<String> keep) throws IOException {}

  /**
   * Whether this queue holds checkpoint files that {@link #retainCheckpoints} deletes; by default not (a queue in
   * memory: the master then does not work out which to keep, a look over every result).
   */
  default boolean holdsCheckpoints() {
    return false;
  }

  /**
   * Records the digests of accepted results that no batch's provenance holds (the last ones), for
   * {@code hps verify}; by default nowhere (a queue that holds no files).
   */
  default void recordDigests(java.util.Map<String, String> digests) throws IOException {}

  /** Says the master is alive (and checks it still owns the study). */
  void beat() throws IOException;

  /** Marks the study {@code finished} or {@code stopped}, if this master still owns it. */
  void close(io.hps.protocol.MasterPhase phase) throws IOException;

  /**
   * Says that worker {@code worker}'s process has ended ({@code why}: how), as {@code hps run} sees of the
   * workers it started: the claims it holds now go back at the next look without waiting for their leases,
   * with the same bookkeeping as an expired lease. Safe to call from another thread. By default nothing:
   * the leases expire.
   */
  default void workerEnded(String worker, String why) {}

  /** This master no longer owns the study: another one took it over. */
  final class Replaced extends io.hps.study.Patience.Fatal {
    public Replaced(String message) {
      super(message);
    }
  }
}
