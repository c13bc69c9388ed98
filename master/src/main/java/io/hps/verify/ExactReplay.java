package io.hps.verify;

import io.hps.master.InMemoryQueue;
import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.Batch;
import io.hps.protocol.Mode;
import io.hps.protocol.StudyConfig;
import io.hps.protocol.Result;
import io.hps.simulate.SimulatedClock;
import io.hps.space.SearchSpace;
import io.hps.strategy.Strategies;
import io.hps.study.Claim;
import io.hps.study.WorkerQueue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A study run again in the simulator: the real {@link Master} over an {@link InMemoryQueue}, with the
 * study's strategy and configuration, is fed the study's own results in the order its master accepted
 * them, as each batch's provenance records (before batch k, exactly the results batch k saw); after each
 * feed the master steps once, and the batch it proposes is compared with batch k. Unlike {@link Verifier},
 * which calls the strategy alone, this runs the master's rules too: when it proposes, how many, and how
 * it numbers and plans settings.
 */
public final class ExactReplay {
  /** The batches the replay proposed, and the first difference from the study's (empty: none). */
  public record Outcome(List<Batch> batches, Optional<String> difference) {}

  private ExactReplay() {}

  /** The most resumes a replay looks for before it reports a difference. */
  private static final int MOST_RESUMES = 64;

  /**
   * The study replayed. study.json holds the configuration of the study's last run; a resume may have changed the
   * trials, the batch size and the mode, which each batch's provenance records only as the trials and the points
   * asked for. Where a replayed batch differs from the recorded one, the replay starts again with a master that
   * resumes there with that batch's trials and a batch size and mode that ask for its points, as a resumed master
   * would; the difference is reported only if that does not remove it.
   */
  public static Outcome run(StudyRecord study) throws IOException {
    Map<Integer, StudyConfig> resumes = new HashMap<>();
    while (true) {
      Attempt attempt = once(study, resumes);
      Batch differing = attempt.differing();
      if (differing == null || differing.provenance() == null || resumes.containsKey(differing.batch())
          || resumes.size() >= MOST_RESUMES) {
        return attempt.outcome();
      }
      resumes.put(differing.batch(), resumedAt(study, differing));
    }
  }

  /** A replay's outcome, and the recorded batch it first differed at (null: none, or not a batch's difference). */
  private record Attempt(Outcome outcome, Batch differing) {}

  /** The configuration a master resumed at {@code recorded} would have had to propose it. */
  private static StudyConfig resumedAt(StudyRecord study, Batch recorded) {
    io.hps.protocol.Provenance p = recorded.provenance();
    int inFlight = p.inFlightIds().size();
    return inFlight == 0 ? study.config().toBuilder().trials(p.trials()).batch(p.asked(), Mode.SYNC).build()
        : study.config().toBuilder().trials(p.trials()).batch(inFlight + p.asked(), Mode.ASYNC).build();
  }

  private static Master master(StudyRecord study, StudyConfig config, InMemoryQueue queue, SimulatedClock clock)
      throws IOException {
    SearchSpace space = SearchSpace.parse(config.space(), study.root().resolve("study.json").toString());
    Master master = new Master(queue, config, Strategies.create(config.strategy(), space, config), null, clock,
        new PrintWriter(Writer.nullWriter()), MasterOptions.defaults());
    master.open(false);
    return master;
  }

  private static Attempt once(StudyRecord study, Map<Integer, StudyConfig> resumes) throws IOException {
    SimulatedClock clock = new SimulatedClock(study.batches().isEmpty() ? java.time.Instant.EPOCH
        : study.batches().get(0).created());
    InMemoryQueue queue = new InMemoryQueue(Duration.ofDays(365), study.config().retries(), clock);
    Master master = master(study, study.config(), queue, clock);
    WorkerQueue worker = queue.worker("replay");
    Map<String, Claim> claims = new HashMap<>();
    Set<String> fed = new HashSet<>();
    List<Batch> proposed = new ArrayList<>();
    for (Batch recorded : study.batches()) {
      String where = "batch " + recorded.batch();
      if (recorded.provenance() == null) {
        return new Attempt(new Outcome(proposed, Optional.of(where + " has no provenance: the replay cannot know"
            + " which results its master had seen")), null);
      }
      clock.set(recorded.created());
      if (resumes.containsKey(recorded.batch())) {
        master = master(study, resumes.get(recorded.batch()), queue, clock); // resumed here, as the study was
      }
      for (String id : recorded.provenance().seenIds()) {
        if (!fed.add(id)) {
          continue;
        }
        Result result = study.results().get(id);
        if (result == null) {
          return new Attempt(new Outcome(proposed, Optional.of(where + " saw result " + id + ", which is "
              + (study.unreadable().containsKey(id) ? "unreadable: " + study.unreadable().get(id)
              : "not in results/"))), null);
        }
        while (!claims.containsKey(id)) {
          Optional<Claim> next = worker.claimNext();
          if (next.isEmpty()) {
            return new Attempt(new Outcome(proposed, Optional.of(where + " saw result " + id + ", but the replay"
                + " never proposed setting " + id)), recorded);
          }
          claims.put(next.get().setting().id(), next.get());
        }
        Optional<String> params = claims.get(id).setting().params().difference(result.params());
        if (params.isPresent()) {
          return new Attempt(new Outcome(proposed, Optional.of(where + " saw result " + id + ", whose parameters"
              + " differ from its setting's: " + params.get().replace(", not ", " in the result, not "))), null);
        }
        worker.publish(claims.remove(id), result);
      }
      int before = queue.batches().size();
      master.step();
      List<Batch> now = queue.batches();
      if (now.size() == before) {
        return new Attempt(new Outcome(proposed, Optional.of(where + ": the replayed master proposed nothing with"
            + " the " + recorded.provenance().seenIds().size() + " results that batch saw")), recorded);
      }
      Batch replayed = now.get(now.size() - 1);
      proposed.add(replayed);
      Optional<String> difference = difference(recorded, replayed);
      if (difference.isPresent()) {
        return new Attempt(new Outcome(proposed, Optional.of(where + ": " + difference.get())), recorded);
      }
    }
    return new Attempt(new Outcome(proposed, Optional.empty()), null);
  }

  /** The first field in which two provenances differ, in words. */
  static Optional<String> difference(io.hps.protocol.Provenance a, io.hps.protocol.Provenance b) {
    for (var c : io.hps.protocol.Provenance.class.getRecordComponents()) {
      try {
        Object x = c.getAccessor().invoke(a);
        Object y = c.getAccessor().invoke(b);
        if (x instanceof Map<?, ?> m && y instanceof Map<?, ?> n && !m.equals(n)) {
          for (Object key : m.keySet()) {
            if (!java.util.Objects.equals(m.get(key), n.get(key))) {
              return Optional.of("provenance " + c.getName() + " of " + key + ": " + m.get(key) + " recorded, "
                  + n.get(key) + " replayed" + ("digests".equals(c.getName())
                  ? " (results/" + key + ".json changed after the master accepted it)" : ""));
            }
          }
        }
        if (!java.util.Objects.equals(x, y)) {
          return Optional.of("provenance " + c.getName() + ": " + x + " recorded, " + y + " replayed");
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return Optional.empty();
  }

  /** The first difference between a recorded batch and a replayed one, but for times. */
  public static Optional<String> difference(Batch recorded, Batch replayed) {
    if (recorded.batch() != replayed.batch()) {
      return Optional.of("replayed as batch " + replayed.batch());
    }
    Optional<String> provenance = difference(recorded.provenance(), replayed.provenance());
    if (provenance.isPresent()) {
      return provenance;
    }
    return Recomputation.difference(recorded.settings(), replayed.settings(), "replayed", true);
  }
}
