package io.hps.library;

import io.hps.space.Params;
import io.hps.study.Claim;

/**
 * A setting handed out by {@link Study#ask()}: train it your own way, then give its result to one of the
 * {@code Study.tell} methods. Until then the study keeps its lease alive (a heartbeat every few seconds),
 * so another worker never gets it.
 *
 * @param id the setting's id ({@code s000017})
 * @param params its hyperparameters
 * @param attempt 1, or more when an earlier attempt was lost
 */
public record Asked(String id, Params params, int attempt, Claim claim) {
  /** The number of epochs to train: the setting's budget, else its {@code epochs}; 1 when it has neither. */
  public int epochs() {
    int e = claim.setting().epochs();
    return e > 0 ? e : 1;
  }
}
