package io.hps.strategy;

import io.hps.protocol.Lineage;
import io.hps.space.Params;
import java.util.Objects;

/**
 * A point a strategy proposes: the parameters, and for multi-fidelity strategies the budget (epochs) to
 * train it with and its place in the schedule. Both end up in the setting's own fields, not in its
 * parameters. {@code why} says in words what the strategy did to get it; it is not recorded (it follows
 * from the recorded inputs: {@code hps status --setting} computes it again).
 *
 * @param budget epochs, or null: the {@code epochs} parameter decides
 * @param lineage rung, bracket and parent, or null
 * @param why what the strategy did, in words, or null
 */
public record Proposal(Params params, Integer budget, Lineage lineage, String why) {
  public Proposal {
    Objects.requireNonNull(params, "params");
  }

  public Proposal(Params params, Integer budget, Lineage lineage) {
    this(params, budget, lineage, null);
  }

  /** A point without a budget of its own. */
  public static Proposal of(Params params) {
    return new Proposal(params, null, null, null);
  }

  /** A point without a budget of its own, and why. */
  public static Proposal of(Params params, String why) {
    return new Proposal(params, null, null, why);
  }

  /** Equal when they propose the same: {@code why} is commentary. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Proposal p && params.equals(p.params) && Objects.equals(budget, p.budget)
        && Objects.equals(lineage, p.lineage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(params, budget, lineage);
  }

  /** The same point, with why. */
  public Proposal because(String reason) {
    return new Proposal(params, budget, lineage, reason);
  }
}
