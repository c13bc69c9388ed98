package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Epoch;
import io.hps.protocol.MasterPhase;
import io.hps.protocol.Progress;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StopRequest;
import io.hps.study.Claim;
import io.hps.study.WorkerQueue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A study's queue in memory, both sides: the master's ({@link MasterQueue}) and one {@link WorkerQueue}
 * per worker ({@link #worker}). The same {@link StudyRules} as the study directory decide (one result per
 * setting, leases timed on {@code clock}, the retry budget, recovery of a setting found nowhere in two
 * looks, quarantine of results that do not match their setting); this class only stores, without files
 * (oldest setting first, fence before publish): the simulator runs the real master and simulated workers
 * over it. Thread-safe.
 */
public final class InMemoryQueue implements MasterQueue {
  private static final class Held {
    final String worker;
    final Setting setting;
    Instant lastBeat;

    Held(String worker, Setting setting, Instant at) {
      this.worker = worker;
      this.setting = setting;
      this.lastBeat = at;
    }

    boolean is(Claim claim) {
      return worker.equals(claim.worker()) && setting.attempt() == claim.setting().attempt();
    }
  }

  private final Clock clock;
  private final StudyRules rules;
  private final Ledger ledger;
  private final Storage storage = new Storage();
  private final List<Batch> batches = new ArrayList<>();
  private final TreeMap<String, Setting> pending = new TreeMap<>();
  private final Map<String, Held> claims = new LinkedHashMap<>();
  private final Map<String, Result> results = new LinkedHashMap<>();
  /** Results stored since the last look: all a look has to accept (the rest are accepted already). */
  private final java.util.Set<String> fresh = new java.util.LinkedHashSet<>();
  private final Map<String, Progress> progress = new LinkedHashMap<>();
  private final Map<String, StopRequest> stops = new HashMap<>();
  private final List<String> quarantined = new ArrayList<>();
  private MasterPhase phase;

  public InMemoryQueue(Duration lease, int retries, Clock clock) {
    this.rules = new StudyRules(lease, retries, new java.io.PrintWriter(java.io.Writer.nullWriter()));
    this.ledger = rules.ledger();
    this.clock = clock;
  }

  /** The worker side of this queue for the worker {@code id}. */
  public WorkerQueue worker(String id) {
    return new Worker(id);
  }

  /** Why each quarantined input was refused, in order. */
  public synchronized List<String> quarantined() {
    return List.copyOf(quarantined);
  }

  /** The phase the master closed the study with ({@code finished}, {@code stopped}), if it did. */
  public synchronized Optional<MasterPhase> phase() {
    return Optional.ofNullable(phase);
  }

  /** The number of settings claimed by a worker and not yet published or handed back. */
  public synchronized int claimed() {
    return claims.size();
  }

  /** Ids of the settings waiting to be claimed, oldest first. */
  public synchronized List<String> pending() {
    return List.copyOf(pending.keySet());
  }

  @Override
  public synchronized void take(boolean force) {
    phase = null;
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  @Override
  public synchronized List<Batch> batches() {
    return List.copyOf(batches);
  }

  @Override
  public synchronized void propose(Batch batch) throws IOException {
    batches.add(batch);
    rules.proposed(batch, storage);
  }

  @Override
  public synchronized Look look(Instant now) throws IOException {
    List<Result> accepted = new ArrayList<>();
    List<String> arrived = List.copyOf(fresh);
    fresh.clear();
    rules.accept(arrived, storage, accepted);
    long tick = clock.millis() * 1_000_000L; // the simulated clock only moves forward
    List<StudyRules.HeldClaim> held = new ArrayList<>();
    claims.forEach((id, h) -> held.add(new StudyRules.HeldClaim(id, id, h.worker, h.lastBeat, false, null)));
    rules.expire(held, now, tick, storage);
    rules.recoverLost(now, storage);
    List<Progress> running = new ArrayList<>();
    for (Progress p : progress.values()) {
      StopRequest stop = stops.get(p.id());
      if (!p.epochs().isEmpty() && (stop == null || !stop.appliesTo(p.worker(), p.attempt()))) {
        running.add(p);
      }
    }
    return new Look(accepted, running);
  }

  /** The maps above as {@link StudyRules} store into them. */
  private final class Storage implements StudyRules.Storage {
    @Override
    public Optional<Result> result(String id) {
      return Optional.ofNullable(results.get(id));
    }

    @Override
    public boolean proposed(String id) {
      return ledger.setting(id) != null;
    }

    @Override
    public void quarantineResult(String id, String why) {
      results.remove(id);
      quarantined.add(id + ": " + why);
    }

    @Override
    public void forgetProgress(String id) {
      forget(id);
    }

    @Override
    public void dropClaim(StudyRules.HeldClaim claim) {
      claims.remove(claim.id());
    }

    @Override
    public Optional<Setting> takeBack(StudyRules.HeldClaim claim) {
      Held held = claims.remove(claim.id());
      return held == null ? Optional.empty() : Optional.of(held.setting);
    }

    @Override
    public void settled(StudyRules.HeldClaim claim) {
      // nothing kept between taking back and retrying
    }

    @Override
    public void makeClaimable(Setting setting, boolean retried) {
      pending.put(setting.id(), setting);
    }

    @Override
    public void publishFailed(Result failed) {
      if (results.putIfAbsent(failed.id(), failed) == null) {
        fresh.add(failed.id());
      }
    }

    @Override
    public boolean holds(String id) {
      return pending.containsKey(id) || claims.containsKey(id) || results.containsKey(id);
    }
  }

  @Override
  public synchronized void requestStop(Progress run, String reason, Instant now) {
    stops.put(run.id(), new StopRequest(1, run.id(), reason, run.lastEpoch(), now, run.worker(), run.attempt()));
  }

  @Override
  public void beat() {
    // nothing to say: no other master can see this queue
  }

  @Override
  public synchronized void close(MasterPhase closing) {
    phase = closing;
  }

  private void forget(String id) {
    progress.remove(id);
    stops.remove(id);
  }

  /** One worker's side. */
  private final class Worker implements WorkerQueue {
    private final String id;

    Worker(String id) {
      this.id = id;
    }

    @Override
    public Optional<Claim> claimNext() {
      synchronized (InMemoryQueue.this) {
        while (!pending.isEmpty()) {
          Setting setting = pending.pollFirstEntry().getValue();
          if (results.containsKey(setting.id()) || ledger.isAccepted(setting.id())) {
            continue;
          }
          Instant now = clock.instant();
          claims.put(setting.id(), new Held(id, setting, now));
          return Optional.of(new Claim(id, setting, Path.of("claimed", id, setting.id() + ".json"), now));
        }
        return Optional.empty();
      }
    }

    @Override
    public boolean heartbeat(Claim claim) {
      synchronized (InMemoryQueue.this) {
        Held held = claims.get(claim.setting().id());
        if (held == null || !held.is(claim)) {
          return false;
        }
        held.lastBeat = clock.instant();
        return true;
      }
    }

    @Override
    public Optional<StopRequest> report(Claim claim, List<Epoch> epochs) {
      synchronized (InMemoryQueue.this) {
        String setting = claim.setting().id();
        progress.put(setting, new Progress(1, setting, id, claim.setting().epochs(), epochs,
            claim.setting().attempt()));
        StopRequest stop = stops.get(setting);
        return stop != null && stop.appliesTo(id, claim.setting().attempt()) ? Optional.of(stop) : Optional.empty();
      }
    }

    @Override
    public Publication publish(Claim claim, Result result) {
      synchronized (InMemoryQueue.this) {
        Held held = claims.get(claim.setting().id());
        if (held == null || !held.is(claim)) {
          return Publication.FENCED;
        }
        claims.remove(claim.setting().id());
        if (results.containsKey(result.id()) || ledger.isAccepted(result.id())) {
          return Publication.DUPLICATE;
        }
        results.put(result.id(), result);
        fresh.add(result.id());
        return Publication.PUBLISHED;
      }
    }

    @Override
    public void touchFence(Claim claim) {
      heartbeat(claim);
    }

    @Override
    public boolean handBack(Claim claim) {
      synchronized (InMemoryQueue.this) {
        String setting = claim.setting().id();
        Held held = claims.get(setting);
        if (held == null || !held.is(claim)) {
          return false;
        }
        forget(setting);
        claims.remove(setting);
        pending.put(setting, held.setting);
        return true;
      }
    }
  }
}
