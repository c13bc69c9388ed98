package io.hps.stopping;

import java.util.List;
import java.util.Optional;

/**
 * Decides after each epoch whether a trial should stop early. The master consults it with everything it
 * knows: the trial's curve so far, how many epochs it was to run, and the other trials' curves (ended or
 * still running). A rule never stops a trial that has run all its epochs.
 */
public interface StoppingRule {
  /** Why {@code trial} should stop now, or empty to let it go on. */
  Optional<String> stop(Curve trial, int plannedEpochs, List<Curve> others);
}
