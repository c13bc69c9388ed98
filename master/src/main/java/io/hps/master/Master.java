package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Epoch;
import io.hps.protocol.Ids;
import io.hps.protocol.MasterPhase;
import io.hps.protocol.Mode;
import io.hps.protocol.Progress;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StudyConfig;
import io.hps.space.Params;
import io.hps.stopping.Curve;
import io.hps.stopping.StoppingRule;
import io.hps.stopping.StoppingRules;
import io.hps.strategy.Proposal;
import io.hps.strategy.SearchStrategy;
import io.hps.study.Patience;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides a study: what to propose next (a synchronous batch once every result of the last one is in,
 * or a window of settings in flight), which running settings to stop (with the study's stopping rule),
 * and when the study is finished (every setting has its result). The bookkeeping of the protocol is the
 * {@link MasterQueue}'s; {@link #step} is one decision and {@link #run} repeats it in real time, while
 * the simulator calls {@link #step} on a simulated clock.
 */
public final class Master {
  private final MasterQueue queue;
  private final StudyConfig config;
  private final SearchStrategy strategy;
  /** Early stopping, or null. */
  private final StoppingRule rule;
  private final Clock clock;
  private final PrintWriter log;
  private final MasterOptions options;
  private volatile boolean stopping;
  private Ledger ledger;
  /** Whether this master took the study already ({@link #open}): {@link #run} then goes on from there. */
  private boolean opened;
  private final io.hps.goals.Goals goals;
  /** Whether every metric the goals name was seen in a result (checked until it was). */
  private boolean metricsSeen;
  /** Ids of the results whose digests a batch's provenance holds. */
  private final java.util.Set<String> digested = new java.util.HashSet<>();
  /** How many of the ledger's accepted results (in the order accepted) a batch's provenance has looked at. */
  private int digestCursor;
  /** The digest of the study's configuration, recorded in each batch's provenance. */
  private final String studyDigest;
  /** Results without a metric the goals name, that a study stops at: it optimises nothing then. */
  static final int UNREPORTED_LIMIT = 5;

  public Master(MasterQueue queue, StudyConfig config, SearchStrategy strategy, StoppingRule rule, Clock clock,
      PrintWriter log, MasterOptions options) {
    this.queue = queue;
    this.config = config;
    this.strategy = strategy;
    this.rule = rule;
    this.clock = clock;
    this.log = log;
    this.options = options;
    this.goals = io.hps.goals.Goals.of(config);
    this.metricsSeen = goals.isDefault();
    this.studyDigest = studyDigest(config);
  }

  /** The master of a study directory, with the stopping rule its {@code study.json} names. */
  public static Master of(StudyDirectory study, StudyConfig config, SearchStrategy strategy, Clock clock,
      PrintWriter log, MasterOptions options) {
    FileMasterQueue queue = new FileMasterQueue(study, Duration.ofMillis((long) (config.leaseSeconds() * 1000)),
        config.retries(), clock, log);
    StoppingRule rule = config.stop() == null ? null : StoppingRules.create(config.stop(), config.stopOptions());
    return new Master(queue, config, strategy, rule, clock, log, options);
  }

  /**
   * The master of a study directory with the strategy and stopping rule its {@code study.json} names: what
   * {@code hps master}, {@code hps run} and the library's {@code Study} run.
   */
  public static Master of(StudyDirectory study, StudyConfig config, Clock clock, PrintWriter log,
      MasterOptions options) {
    io.hps.space.SearchSpace space = io.hps.space.SearchSpace.parse(config.space(), study.config().toString());
    return of(study, config, io.hps.strategy.Strategies.create(config.strategy(), space, config), clock, log, options);
  }

  /**
   * Takes the study (see {@link MasterQueue#take}) and reads what was proposed so far: for a caller that
   * calls {@link #step} itself (the library's ask and tell; {@link #close} ends it), or one that must own
   * the study before its workers start, then calls {@link #run}.
   */
  public void open(boolean force) throws IOException {
    queue.take(force);
    ledger = load();
    opened = true;
  }

  /** Says the master is alive, between the steps of a caller that steps it itself. */
  public void beat() throws IOException {
    queue.beat();
  }

  /** Marks the study {@code finished} or {@code stopped}, for a caller that steps the master itself. */
  public void close(MasterPhase phase) throws IOException {
    recordDigests();
    queue.close(phase);
  }

  /** Records the digests of the accepted results that no batch's provenance holds. */
  private void recordDigests() throws IOException {
    if (ledger == null) {
      return;
    }
    java.util.Map<String, String> tail = new java.util.TreeMap<>();
    for (Result r : ledger.results()) {
      if (!digested.contains(r.id())) {
        tail.put(r.id(), io.hps.protocol.Provenance.digest(r));
      }
    }
    queue.recordDigests(tail);
  }

  /** Runs until every setting of the study has its result, or {@link #stop()}; returns the results. */
  public List<Result> run() throws IOException, InterruptedException {
    Patience patience = new Patience(options.ioPatience(), log, "master");
    try {
      if (!opened) {
        patience.call("taking the study (master.json)", () -> {
          queue.take(options.force());
          return null;
        });
        ledger = patience.call("reading batches/", this::load);
        opened = true;
      }
      log.printf(ledger.settings().isEmpty() ? "master: study starting%n"
          : "master: study resuming, %d settings written so far%n", ledger.settings().size());
      while (!stopping) {
        // Every step starts from what the queue says, so one cut short by an I/O error is simply run again.
        patience.call("reading and writing the study", () -> {
          step();
          return null;
        });
        if (finished()) {
          patience.call("writing digests.json and master.json", () -> {
            recordDigests();
            queue.close(MasterPhase.FINISHED);
            return null;
          });
          log.printf("master: finished, %d results%s%n", ledger.acceptedCount(), patience.survived() == 0 ? ""
              : " (" + patience.survived() + " I/O errors survived)");
          return ledger.results();
        }
        patience.call("writing master.json", () -> {
          queue.beat();
          return null;
        });
        Thread.sleep(options.pollMillis());
      }
      patience.call("writing digests.json and master.json", () -> {
        recordDigests();
        queue.close(MasterPhase.STOPPED);
        return null;
      });
      return ledger.results();
    } catch (MasterQueue.Replaced replaced) {
      log.printf("master: %s%n", replaced.getMessage());
      throw replaced;
    } finally {
      log.flush();
    }
  }

  /** Worker {@code worker}'s process has ended: see {@link MasterQueue#workerEnded}. Safe from any thread. */
  public void workerEnded(String worker, String why) {
    queue.workerEnded(worker, why);
  }

  /** Asks the loop to end after its current step. */
  public void stop() {
    stopping = true;
  }

  /** Reads the queue's batches; the master then decides from the queue's own ledger (one per study). */
  private Ledger load() throws IOException {
    digested.clear();
    digestCursor = 0;
    for (Batch b : queue.batches()) {
      if (b.provenance() != null) {
        digested.addAll(b.provenance().digests().keySet());
      }
    }
    return queue.ledger();
  }

  /** One look at the queue and every decision it calls for: accept, stop, propose. */
  public void step() throws IOException {
    if (ledger == null) {
      ledger = load();
    }
    Instant now = clock.instant();
    MasterQueue.Look look = queue.look(now); // its accepted results are in the ledger already
    if (!metricsSeen && !look.accepted().isEmpty()) {
      checkMetrics();
    }
    if (rule != null && !look.running().isEmpty()) {
      judge(look.running(), now);
    }
    boolean proposed = propose(now);
    if (config.keepsCheckpoints() && queue.holdsCheckpoints() && (proposed || !look.accepted().isEmpty())) {
      retainCheckpoints();
    }
  }

  /**
   * Stops the study once {@link #UNREPORTED_LIMIT} results that did not fail lack a metric its objectives or
   * constraints name and no result has it: a misspelt name, or one the trainer does not report, would make
   * every result count as the worst and the search blind.
   */
  private void checkMetrics() throws IOException {
    List<Result> trained = ledger.results().stream().filter(r -> r.status() != io.hps.protocol.Status.FAILED)
        .toList();
    java.util.Set<String> unreported = goals.unreported(trained);
    if (unreported.isEmpty()) {
      metricsSeen = true;
    } else if (trained.size() >= UNREPORTED_LIMIT) {
      queue.close(MasterPhase.STOPPED); // its workers end instead of waiting for settings
      throw new io.hps.study.Patience.Fatal("none of the " + trained.size() + " results so far reports "
          + String.join(", ", unreported) + ", which the study's objectives or constraints name: check the"
          + " names (built in: " + String.join(", ", io.hps.protocol.Metrics.BUILT_IN) + "; others come from an"
          + " epoch's metrics or the result's info, such as numFreeParameters); the master stops here");
    }
  }

  /**
   * Deletes the checkpoints no proposal can continue any more: every one of a finished setting but those
   * the strategy may still promote and those an unfinished setting resumes from (all, once the study is
   * finished).
   */
  private void retainCheckpoints() throws IOException {
    java.util.Set<String> keep = new java.util.HashSet<>();
    if (!finished()) {
      java.util.Set<String> promotable = strategy.promotable(ledger.points(), ledger.seen(), ledger.inFlightByPoint());
      for (Result r : ledger.results()) {
        if (r.checkpoint() != null && promotable.contains(r.id())) {
          keep.add(r.checkpoint());
        }
      }
      for (Setting s : ledger.inFlight()) {
        if (s.resume() != null) {
          keep.add(s.resume().path());
        }
      }
    }
    List<String> finishedIds = ledger.results().stream().map(Result::id).toList();
    queue.retainCheckpoints(finishedIds, keep);
  }

  /** Whether every setting has its result and the strategy has nothing more to propose. */
  public boolean finished() {
    if (ledger == null) {
      return false;
    }
    long total = strategy.total(config.trials());
    return ledger.allAccepted() && (ledger.points() >= total
        || strategy.propose(ledger.points(), ledger.seen(), 1).isEmpty());
  }

  /** The ids of the settings proposed so far that have no accepted result yet. */
  public java.util.Set<String> inFlight() {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    if (ledger != null) {
      ledger.inFlight().forEach(s -> ids.add(s.id()));
    }
    return ids;
  }

  /** The results accepted so far, in the order accepted. */
  public List<Result> results() {
    return ledger == null ? List.of() : ledger.results();
  }

  /** Asks the stopping rule about each running setting, against every accepted and running curve. */
  private void judge(List<Progress> running, Instant now) throws IOException {
    List<Curve> curves = new ArrayList<>();
    for (Result r : ledger.results()) {
      curves.add(new Curve(r.id(), r.params(), curve(r.id(), r.epochs()), true));
    }
    List<Curve> partial = new ArrayList<>();
    for (Progress p : running) {
      Setting s = ledger.setting(p.id());
      partial.add(new Curve(p.id(), s != null ? s.params() : new Params(Map.of()), curve(p.id(), p.epochs()), false));
    }
    curves.addAll(partial);
    for (int i = 0; i < running.size(); i++) {
      Progress p = running.get(i);
      Optional<String> why = rule.stop(partial.get(i), p.plannedEpochs(), curves);
      if (why.isPresent()) {
        queue.requestStop(p, why.get(), now);
        log.printf("master: asked %s to stop after epoch %d: %s%n", p.id(), p.lastEpoch(), why.get());
      }
    }
  }

  /**
   * The validation errors of a network's whole run: for a setting that resumed from its parent's
   * checkpoint (its first epoch is past 1), the parent's curve up to there, then its own epochs.
   */
  private double[] curve(String id, List<Epoch> own) {
    Setting s = ledger.setting(id);
    if (own.isEmpty() || own.get(0).epoch() == 1 || s == null || s.resume() == null) {
      return errors(own);
    }
    int first = own.get(0).epoch();
    double[] all = new double[first - 1 + own.size()];
    java.util.Arrays.fill(all, Double.NaN);
    Result parent = ledger.result(s.resume().from());
    if (parent != null) {
      double[] before = curve(parent.id(), parent.epochs());
      System.arraycopy(before, 0, all, 0, Math.min(before.length, first - 1));
    }
    System.arraycopy(errors(own), 0, all, first - 1, own.size());
    return all;
  }

  static double[] errors(List<Epoch> epochs) {
    return epochs.stream().mapToDouble(Epoch::valError).toArray();
  }

  /** Proposes what the mode allows; whether it wrote a batch. */
  private boolean propose(Instant now) throws IOException {
    int remaining = (int) strategy.total(config.trials()) - ledger.points();
    if (remaining <= 0) {
      return false;
    }
    int count;
    if (config.mode() == Mode.SYNC) {
      count = ledger.allAccepted() ? Math.min(config.batch(), remaining) : 0;
    } else {
      // Top up once a quarter of the window is free: one batch file per few results, not per result.
      int free = (int) (config.batch() - ledger.pointsInFlight());
      count = free >= Math.max(1, config.batch() / 4) || free >= remaining ? Math.min(remaining, free) : 0;
    }
    if (count <= 0) {
      return false;
    }
    List<Result> seen = ledger.seen();
    List<Setting> inFlight = ledger.inFlightByPoint();
    List<Proposal> points = strategy.propose(ledger.points(), seen, inFlight, count);
    if (points.isEmpty()) {
      return false;
    }
    int number = ledger.nextBatch();
    List<Setting> settings = settings(points, ledger.points(), number, now, config, strategy, ledger::result);
    Batch batch = new Batch(1, number, now, ledger.acceptedCount(), settings, provenance(inFlight, count));
    queue.propose(batch); // which records it in the ledger
    batch.provenance().digests().keySet().forEach(digested::add);
    digestCursor = ledger.acceptedCount();
    log.printf("master: batch %d: %d setting%s (%s)%n", number, settings.size(), settings.size() == 1 ? "" : "s",
        settings.size() == 1 ? settings.get(0).id() : settings.get(0).id() + " .. " + settings.get(settings.size() - 1)
        .id());
    return true;
  }

  /**
   * The settings of a batch of proposals, point {@code first} first: ids, seeds (the study's seed, or the
   * proposal's, plus the repeat), budgets and lineages, and in a study with checkpoints whether each saves one
   * and which parent's it resumes from ({@code accepted}: the accepted result of a setting id, or null). The
   * one place this rule is written: the master writes them, {@code hps verify} compares what it computes
   * again with them.
   */
  public static List<Setting> settings(List<Proposal> points, int first, int batch, Instant now, StudyConfig config,
      SearchStrategy strategy, java.util.function.Function<String, Result> accepted) {
    List<Setting> settings = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      int point = first + i;
      Proposal proposal = points.get(i);
      long seed = proposal.params().getLong("seed", config.seed());
      for (int r = 0; r < config.repeats(); r++) {
        Setting setting = new Setting(Ids.setting(point * config.repeats() + r), point, r, batch, now,
            proposal.params().with("seed", seed + r)).planned(proposal.budget(), proposal.lineage());
        if (config.keepsCheckpoints()) {
          setting = setting.checkpointed(strategy.mayContinue(proposal), resumeFrom(proposal, accepted));
        }
        settings.add(setting);
      }
    }
    return settings;
  }

  /**
   * What this batch's proposals are computed from (see {@link io.hps.protocol.Provenance}), with the digests
   * of the results no earlier batch recorded.
   */
  private io.hps.protocol.Provenance provenance(List<Setting> inFlight, int asked) {
    // What is new since the last batch, not every result: a proposal costs the same in a study of any size.
    java.util.Map<String, String> digests = new java.util.TreeMap<>();
    for (Result r : ledger.acceptedSince(digestCursor)) {
      if (!digested.contains(r.id())) {
        digests.put(r.id(), io.hps.protocol.Provenance.digest(r));
      }
    }
    return new io.hps.protocol.Provenance(io.hps.protocol.Version.HPS, config.strategy().json(), config.seed(),
        studyDigest, config.trials(), ledger.points(), asked, ledger.seenRanges(), new java.util.TreeMap<>(
        ledger.retried()), io.hps.protocol.IdRanges.encode(inFlight.stream().map(Setting::id).toList()), digests);
  }

  /**
   * The digest of a study's configuration as it reads back from study.json, but for the batch, mode, lease and
   * retries, which a resume may change and no proposal depends on (the batch and mode decide how many points
   * are asked for, which the provenance records).
   */
  public static String studyDigest(StudyConfig config) {
    try {
      StudyConfig read = io.hps.json.Json.MAPPER.readValue(io.hps.json.Json.MAPPER.writeValueAsBytes(config),
          StudyConfig.class);
      com.fasterxml.jackson.databind.node.ObjectNode tree = io.hps.json.Json.MAPPER.valueToTree(read);
      tree.remove(java.util.List.of("batch", "mode", "leaseSeconds", "retries"));
      return io.hps.protocol.Provenance.digest(tree);
    } catch (IOException e) {
      throw new IllegalStateException("study configuration does not read back: " + e.getMessage(), e);
    }
  }

  /**
   * The checkpoint a promoted proposal continues from: the one its parent's accepted result saved, after
   * the epochs that result trained (none when the parent saved none or did not complete).
   */
  private static io.hps.protocol.Resume resumeFrom(Proposal proposal,
      java.util.function.Function<String, Result> accepted) {
    if (proposal.lineage() == null || proposal.lineage().parent() == null) {
      return null;
    }
    Result parent = accepted.apply(proposal.lineage().parent());
    if (parent == null || parent.checkpoint() == null || parent.status() != io.hps.protocol.Status.COMPLETE
        || parent.epochs().isEmpty()) {
      return null;
    }
    int epochs = parent.epochs().get(parent.epochs().size() - 1).epoch();
    int budget = Setting.plannedEpochs(proposal.budget(), proposal.params()).orElse(0);
    return epochs < budget ? new io.hps.protocol.Resume(parent.id(), parent.checkpoint(), epochs) : null;
  }
}
