package io.hps.verify;

import io.hps.master.Master;
import io.hps.protocol.Batch;
import io.hps.protocol.Provenance;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.strategy.Proposal;
import io.hps.strategy.SearchStrategy;
import io.hps.strategy.Strategies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One batch's proposals computed again from its provenance: the strategy the study names, built afresh,
 * given the recorded seed stream position, the results it saw (as they are now in {@code results/}) and the
 * settings then in flight (as their batches recorded them). {@link #problems} says what of the inputs
 * could not be found or does not agree with the study; {@link #settings} is empty then.
 */
record Recomputation(Batch batch, List<Proposal> proposals, List<Setting> settings, List<String> problems) {

  static Recomputation of(StudyRecord study, Batch batch) {
    Provenance p = batch.provenance();
    List<String> problems = new ArrayList<>();
    if (p == null) {
      problems.add("no provenance (proposed by an hps older than provenance, or by another master): it cannot be"
          + " computed again");
      return new Recomputation(batch, List.of(), List.of(), problems);
    }
    // The study as it was then: a resume may have raised the trials since (and changed what no proposal reads).
    StudyConfig config = study.config().trials() == p.trials() ? study.config()
        : study.config().toBuilder().trials(p.trials()).build();
    String now = Master.studyDigest(config);
    if (!now.equals(p.study())) {
      problems.add("study.json is not the configuration it was proposed with (digest " + p.study() + ", now " + now
          + ")");
    }
    if (!p.strategy().equals(config.strategy().json()) || p.seed() != config.seed()) {
      problems.add("its provenance names strategy " + p.strategy() + " and seed " + p.seed() + ", study.json "
          + config.strategy().json() + " and " + config.seed());
    }
    int first = batch.settings().stream().mapToInt(Setting::point).min().orElse(0);
    if (first != p.first()) {
      problems.add("its first setting is point " + first + " but its provenance says " + p.first()
          + " points came before");
    }
    List<Result> seen = new ArrayList<>();
    Map<String, Result> seenById = new HashMap<>();
    Set<String> accounted = new HashSet<>();
    for (String id : p.seenIds()) {
      if (!accounted.add(id)) {
        problems.add("its provenance lists setting " + id + " twice");
      }
      Result r = study.results().get(id);
      if (r == null) {
        problems.add("result " + id + ", which its proposals saw, is " + (study.unreadable().containsKey(id)
            ? "unreadable: " + study.unreadable().get(id) : "not in results/"));
        continue;
      }
      int attempt = p.attempts().getOrDefault(id, 1);
      if (r.attempt() != attempt) {
        problems.add("result " + id + " is attempt " + r.attempt() + "'s, but its proposals saw attempt " + attempt
            + "'s");
      }
      seen.add(r);
      seenById.put(id, r);
    }
    if (batch.resultsSeen() != p.seenIds().size()) {
      problems.add("it says " + batch.resultsSeen() + " results were seen, its provenance lists "
          + p.seenIds().size());
    }
    List<Setting> inFlight = new ArrayList<>();
    for (String id : p.inFlightIds()) {
      if (!accounted.add(id)) {
        problems.add("its provenance lists setting " + id + " twice (seen and in flight, or twice in flight)");
      }
      Setting s = study.settings().get(id);
      if (s == null || s.batch() >= batch.batch()) {
        problems.add("setting " + id + ", in flight when it was proposed, is in no earlier batch");
      } else {
        inFlight.add(s);
      }
    }
    List<String> unaccounted = study.settings().values().stream()
        .filter(s -> s.batch() < batch.batch() && !accounted.contains(s.id())).map(Setting::id).toList();
    if (!unaccounted.isEmpty()) {
      problems.add("its provenance lists neither as seen nor as in flight " + unaccounted.size()
          + " setting(s) of earlier batches, the first " + unaccounted.get(0));
    }
    if (!problems.isEmpty()) {
      return new Recomputation(batch, List.of(), List.of(), problems);
    }
    seen.sort(Comparator.comparingInt(Result::point).thenComparingInt(Result::repeat));
    inFlight.sort(Comparator.comparingInt(Setting::point).thenComparingInt(Setting::repeat));
    SearchSpace space = SearchSpace.parse(config.space(), study.root().resolve("study.json").toString());
    SearchStrategy strategy = Strategies.create(config.strategy(), space, config);
    List<Proposal> proposals = strategy.propose(p.first(), seen, inFlight, p.asked());
    List<Setting> settings = Master.settings(proposals, p.first(), batch.batch(), batch.created(), config, strategy,
        seenById::get);
    return new Recomputation(batch, proposals, settings, List.of());
  }

  /**
   * The first difference between what was computed and what the batch recorded, in words; empty when they
   * agree (ids, points, repeats, parameters, budgets, lineages, checkpoints and resumes; not the times).
   */
  java.util.Optional<String> difference() {
    return difference(batch.settings(), settings, "recomputed", true);
  }

  /**
   * The first difference between {@code recorded} settings and the same computed {@code how} ("recomputed",
   * "replayed"), in words: ids, points, repeats, batches, parameters, budgets, lineages, and with
   * {@code checkpoints} also the checkpoint and resume fields; never the times. The one place this comparison
   * is written ({@code hps verify}, {@code hps replay --exact}, {@code hps status --setting}).
   */
  static java.util.Optional<String> difference(List<Setting> recorded, List<Setting> computed, String how,
      boolean checkpoints) {
    for (int i = 0; i < Math.min(recorded.size(), computed.size()); i++) {
      Setting was = recorded.get(i);
      Setting now = computed.get(i);
      String at = "setting " + was.id();
      if (!was.id().equals(now.id()) || was.point() != now.point() || was.repeat() != now.repeat()
          || was.batch() != now.batch()) {
        return java.util.Optional.of(at + ": " + how + " as " + now.id() + " (point " + now.point() + ", repeat "
            + now.repeat() + ", batch " + now.batch() + "), recorded as point " + was.point() + ", repeat "
            + was.repeat() + ", batch " + was.batch());
      }
      var params = now.params().difference(was.params()); // "is <recorded>, not <computed>"; missing, extra: recorded
      if (params.isPresent()) {
        return java.util.Optional.of(at + ": " + params.get().replace(", not ", " as recorded, not ")
            .replace("missing", "missing from the recorded setting").replace("extra", "extra in the recorded setting")
            + (params.get().contains(", not ") ? " as " + how : ""));
      }
      List<Object[]> fields = new java.util.ArrayList<>(List.of(new Object[] {"budget", was.budget(), now.budget()},
          new Object[] {"lineage", was.lineage(), now.lineage()}));
      if (checkpoints) {
        fields.add(new Object[] {"checkpoint", was.checkpoint(), now.checkpoint()});
        fields.add(new Object[] {"resume", was.resume(), now.resume()});
      }
      for (Object[] f : fields) {
        if (!Objects.equals(f[1], f[2])) {
          return java.util.Optional.of(at + ": " + f[0] + " " + f[1] + " recorded, " + f[2] + " " + how);
        }
      }
    }
    if (recorded.size() != computed.size()) {
      return java.util.Optional.of(recorded.size() + " settings recorded, " + computed.size() + " " + how);
    }
    return java.util.Optional.empty();
  }
}
