package io.hps.verify;

import io.hps.master.InMemoryQueue;
import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.Batch;
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

  public static Outcome run(StudyRecord study) throws IOException {
    SimulatedClock clock = new SimulatedClock(study.batches().isEmpty() ? java.time.Instant.EPOCH
        : study.batches().get(0).created());
    InMemoryQueue queue = new InMemoryQueue(Duration.ofDays(365), study.config().retries(), clock);
    SearchSpace space = SearchSpace.parse(study.config().space(), study.root().resolve("study.json").toString());
    Master master = new Master(queue, study.config(), Strategies.create(study.config().strategy(), space,
        study.config()), null, clock, new PrintWriter(Writer.nullWriter()), MasterOptions.defaults());
    master.open(false);
    WorkerQueue worker = queue.worker("replay");
    Map<String, Claim> claims = new HashMap<>();
    Set<String> fed = new HashSet<>();
    List<Batch> proposed = new ArrayList<>();
    for (Batch recorded : study.batches()) {
      String where = "batch " + recorded.batch();
      if (recorded.provenance() == null) {
        return new Outcome(proposed, Optional.of(where + " has no provenance: the replay cannot know which results"
            + " its master had seen"));
      }
      clock.set(recorded.created());
      for (String id : recorded.provenance().seenIds()) {
        if (!fed.add(id)) {
          continue;
        }
        Result result = study.results().get(id);
        if (result == null) {
          return new Outcome(proposed, Optional.of(where + " saw result " + id + ", which is " + (study.unreadable()
              .containsKey(id) ? "unreadable: " + study.unreadable().get(id) : "not in results/")));
        }
        while (!claims.containsKey(id)) {
          Optional<Claim> next = worker.claimNext();
          if (next.isEmpty()) {
            return new Outcome(proposed, Optional.of(where + " saw result " + id + ", but the replay never proposed"
                + " setting " + id));
          }
          claims.put(next.get().setting().id(), next.get());
        }
        Optional<String> params = claims.get(id).setting().params().difference(result.params());
        if (params.isPresent()) {
          return new Outcome(proposed, Optional.of(where + " saw result " + id + ", whose parameters differ from its"
              + " setting's: " + params.get().replace(", not ", " in the result, not ")));
        }
        worker.publish(claims.remove(id), result);
      }
      int before = queue.batches().size();
      master.step();
      List<Batch> now = queue.batches();
      if (now.size() == before) {
        return new Outcome(proposed, Optional.of(where + ": the replayed master proposed nothing with the "
            + recorded.provenance().seenIds().size() + " results that batch saw"));
      }
      Batch replayed = now.get(now.size() - 1);
      proposed.add(replayed);
      Optional<String> difference = difference(recorded, replayed);
      if (difference.isPresent()) {
        return new Outcome(proposed, Optional.of(where + ": " + difference.get()));
      }
    }
    return new Outcome(proposed, Optional.empty());
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
