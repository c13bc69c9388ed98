package io.hps.verify;

import io.hps.protocol.Batch;
import io.hps.protocol.Provenance;
import io.hps.protocol.Setting;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a setting was proposed, in words, computed again from its batch's recorded provenance: what the
 * strategy did (a random start-up point, TPE's split and density ratio, the rung and rank of a promotion, a
 * grid index), the inputs it had, and whether computing it again gives this very setting.
 *
 * @param id the setting
 * @param batch its batch
 * @param why what the strategy did; null when it cannot be computed again (see {@code check})
 * @param inputs the recorded inputs in words; null without provenance
 * @param check "computed again from these inputs, it is this setting", or what differs or is missing
 * @param reproduced whether computing it again gave this setting
 */
public record Explanation(String id, int batch, String why, String inputs, String check, boolean reproduced) {

  /** Setting {@code id} of {@code batch}; {@code study} needs only the settings and results it saw. */
  public static Explanation of(StudyRecord study, Batch batch, String id) {
    int index = -1;
    for (int i = 0; i < batch.settings().size(); i++) {
      if (batch.settings().get(i).id().equals(id)) {
        index = i;
      }
    }
    if (index < 0) {
      throw new IllegalArgumentException("batch " + batch.batch() + " holds no setting " + id);
    }
    Setting setting = batch.settings().get(index);
    Provenance p = batch.provenance();
    String inputs = p == null ? null : String.format(java.util.Locale.ROOT, "%s (seed %d, hps %s) asked for %d"
        + " point%s at position %d of the seed's stream, having seen %d result%s (%s) with %d setting%s in flight"
        + "%s", p.strategy(), p.seed(), p.hps(), p.asked(), p.asked() == 1 ? "" : "s", p.first(),
        p.seenIds().size(), p.seenIds().size() == 1 ? "" : "s", p.seen().isEmpty() ? "none" : p.seen(),
        p.inFlightIds().size(), p.inFlightIds().size() == 1 ? "" : "s",
        p.inFlight().isEmpty() ? "" : " (" + p.inFlight() + ")");
    Recomputation again = Recomputation.of(study, batch);
    if (!again.problems().isEmpty()) {
      return new Explanation(id, batch.batch(), null, inputs, String.join("; ", again.problems()), false);
    }
    int point = setting.point() - p.first();
    String why = point >= 0 && point < again.proposals().size() ? again.proposals().get(point).why() : null;
    List<String> differences = new ArrayList<>();
    again.difference().ifPresent(differences::add);
    boolean same = differences.isEmpty();
    if (!same && why != null) {
      why = "(of the setting computed again, which is not this one) " + why;
    }
    return new Explanation(id, batch.batch(), why, inputs, same ? "computed again from these inputs, the strategy"
        + " proposes this very setting" : "computed again from these inputs, the batch differs: "
        + differences.get(0), same);
  }
}
