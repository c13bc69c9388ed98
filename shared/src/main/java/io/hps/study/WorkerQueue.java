package io.hps.study;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.StopRequest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A worker's side of a study's queue: claim a setting, keep the claim alive, report the epochs so far,
 * then publish the result (fence first) or hand the setting back. {@link FileWorkerQueue} is the study
 * directory of PROTOCOL.md; an in-memory queue serves the simulator. One per worker; not thread-safe
 * except {@link #heartbeat}, which a worker calls from its heartbeat thread.
 */
public interface WorkerQueue {
  /** What became of a result the worker tried to publish. */
  enum Publication {
    /** The result is the setting's accepted result. */
    PUBLISHED,
    /** The claim had been taken away (lease expired): the result was discarded. */
    FENCED,
    /** Another result for the setting was already published: ours was discarded. */
    DUPLICATE
  }

  /**
   * Claims the next pending setting, oldest id first; empty when none is left. Bad input met on the
   * way is quarantined, settings that already have a result are dropped.
   */
  Optional<Claim> claimNext() throws IOException;

  /** Keeps the claim's lease alive; false when the claim was taken away. */
  boolean heartbeat(Claim claim) throws IOException;

  /**
   * Reports the epochs trained so far (for the master's stopping rule) and returns the master's request
   * to stop this run, if it made one.
   */
  Optional<StopRequest> report(Claim claim, List<Epoch> epochs) throws IOException;

  /**
   * Reports the epochs trained so far without asking for a stop request: for a study without a stopping
   * rule, whose master never writes one (on a shared disk, one lookup fewer per epoch).
   */
  default void progress(Claim claim, List<Epoch> epochs) throws IOException {
    report(claim, epochs);
  }

  /**
   * Publishes the claim's result: first the fence (the claim is marked as publishing, which fails when
   * the master took it back: {@link Publication#FENCED}), then the result, which never replaces another.
   */
  Publication publish(Claim claim, Result result) throws IOException;

  /** Keeps the lease of a fenced claim whose publication is being retried. */
  void touchFence(Claim claim) throws IOException;

  /**
   * Gives an unfinished setting back to pending (on shutdown), with its progress and any stop request
   * forgotten; false if the claim was taken away.
   */
  boolean handBack(Claim claim) throws IOException;
}
