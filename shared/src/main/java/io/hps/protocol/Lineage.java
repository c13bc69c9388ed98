package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a setting stands in a multi-fidelity schedule (successive halving, Hyperband): its {@code rung}
 * (0 for the first, cheapest one), the Hyperband {@code bracket} (absent for successive halving), and the
 * {@code parent} setting whose configuration it continues with a larger budget (absent on rung 0).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lineage(int rung, Integer bracket, String parent) {
  public Lineage {
    if (rung < 0 || (bracket != null && bracket < 0)) {
      throw new IllegalArgumentException("rung and bracket must be >= 0");
    }
    if (parent != null) {
      Ids.check("parent setting id", parent);
    }
  }
}
