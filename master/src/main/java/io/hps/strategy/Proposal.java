package io.hps.strategy;

import io.hps.protocol.Lineage;
import io.hps.space.Params;
import java.util.Objects;

/**
 * A point a strategy proposes: the parameters, and for multi-fidelity strategies the budget (epochs) to
 * train it with and its place in the schedule. Both end up in the setting's own fields, not in its
 * parameters.
 *
 * @param budget epochs, or null: the {@code epochs} parameter decides
 * @param lineage rung, bracket and parent, or null
 */
public record Proposal(Params params, Integer budget, Lineage lineage) {
  public Proposal {
    Objects.requireNonNull(params, "params");
  }

  /** A point without a budget of its own. */
  public static Proposal of(Params params) {
    return new Proposal(params, null, null);
  }
}
