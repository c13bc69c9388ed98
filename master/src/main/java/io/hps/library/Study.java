package io.hps.library;

import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.master.StudyRequest;
import io.hps.protocol.Epoch;
import io.hps.protocol.MasterPhase;
import io.hps.protocol.Mode;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.protocol.StopOptions;
import io.hps.protocol.Stopping;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;
import io.hps.study.Checkpoints;
import io.hps.study.DurableFiles;
import io.hps.study.FileWorkerQueue;
import io.hps.study.Patience;
import io.hps.study.StudyDirectory;
import io.hps.study.WorkerQueue;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import io.hps.trainer.TrainerParameters;
import io.hps.trainer.Trial;
import io.hps.worker.TrainerRegistry;
import io.hps.worker.Worker;
import io.hps.worker.WorkerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * hps inside your own program: a study whose settings hps's strategies propose and your code evaluates,
 * in this JVM. {@link #optimize} runs your {@link Objective} on a number of threads until the study's
 * trials are done; {@link #ask()} and {@link #tell} let your own loop evaluate them. Either way the study
 * is the same directory of files as {@code hps master} writes (PROTOCOL.md): {@code hps dashboard} and
 * {@code hps status} read it, {@code hps worker} processes on other machines can join it, and a study
 * stopped half way resumes where it was. Without {@link Builder#directory} the files go into a temporary
 * directory that {@link #close} deletes.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.read(Path.of("space.json"));
 * try (Study study = Study.builder(space).strategy("tpe").seed(1).build()) {
 *   study.optimize(Objective.of(p -> error(p.getDouble("lr"))), 50, 2);
 *   System.out.println(study.best().orElseThrow().params());
 * }
 * }</pre>
 *
 * <p><b>Stability.</b> {@code Study}, {@link Objective} and {@link Asked} are hps's library API; within a
 * major version they only grow, as the trainer API ({@link io.hps.trainer}) does. Thread-safe.
 */
public final class Study implements AutoCloseable {
  /** The {@code model} a library study's settings carry when its space names none: your objective. */
  public static final String MODEL = "objective";

  /** How a new study is made; an option left unset takes {@code hps master}'s default, but the mode (asynchronous). */
  public static final class Builder {
    private final SearchSpace space;
    private Path directory;
    private Strategy strategy;
    private Long seed;
    private Integer batch;
    private Mode mode;
    private Stopping stop;
    private Integer eta;
    private Integer minEpochs;
    private Boolean checkpoints;
    private Double lease;
    private Integer retries;
    private List<io.hps.protocol.Objective> objectives = List.of();
    private List<io.hps.protocol.Constraint> constraints = List.of();
    private PrintWriter log = new PrintWriter(Writer.nullWriter());

    private Builder(SearchSpace space) {
      this.space = space;
    }

    /** Keeps the study's files in {@code dir} (created if absent; an existing study there is resumed). */
    public Builder directory(Path dir) {
      this.directory = dir;
      return this;
    }

    /** {@code random} (the default), {@code grid}, {@code tpe}, {@code successive-halving}, {@code hyperband},
     * {@code asha}, {@code bohb} or {@code nsga2}. */
    public Builder strategy(String name) {
      this.strategy = Strategy.parse(name);
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * Settings per batch ({@code sync}) or in flight ({@code async}); by default asynchronous with one
     * setting in flight per thread of {@link #optimize}.
     */
    public Builder batch(int settings, String batchMode) {
      this.batch = settings;
      this.mode = Mode.parse(batchMode);
      return this;
    }

    /** Early stopping: {@code median} or {@code predicted} (needs the space's {@code epochs}). */
    public Builder stop(String rule) {
      this.stop = Stopping.parse(rule);
      return this;
    }

    /** The halving strategies' reduction factor and first rung's epochs. */
    public Builder halving(int reduction, int firstRungEpochs) {
      this.eta = reduction;
      this.minEpochs = firstRungEpochs;
      return this;
    }

    /** Whether promoted settings of a halving strategy continue from their parent's checkpoint (default yes). */
    public Builder checkpoints(boolean keep) {
      this.checkpoints = keep;
      return this;
    }

    /** How long a setting may go without a heartbeat, and how often one is tried again (120 s, 2). */
    public Builder lease(double seconds, int retryBudget) {
      this.lease = seconds;
      this.retries = retryBudget;
      return this;
    }

    /**
     * What the study optimises, as {@code hps run --objective} takes it: {@code valError} (the default),
     * {@code trainSeconds}, {@code accuracy:max}, ... (see the README's "Several objectives"). An objective
     * reports a metric of its own in its epochs' {@code metrics}: {@code new Epoch(1, loss, loss, error,
     * seconds, null, null, Map.of("latencyMs", 12.5))}. With several, {@link #front} holds the trade-offs.
     */
    public Builder objectives(String... metrics) {
      this.objectives = java.util.Arrays.stream(metrics).map(io.hps.protocol.Objective::parse).toList();
      return this;
    }

    /** Bounds a feasible result keeps, as {@code hps run --constraint} takes them: {@code "latencyMs<=20"}. */
    public Builder constraints(String... bounds) {
      this.constraints = java.util.Arrays.stream(bounds).map(io.hps.protocol.Constraint::parse).toList();
      return this;
    }

    /** Where the master's and workers' lines go (default: nowhere). */
    public Builder log(PrintWriter out) {
      this.log = out;
      return this;
    }

    public Study build() throws IOException {
      boolean temporary = directory == null;
      Path dir = temporary ? Files.createTempDirectory("hps-study-") : directory;
      return new Study(this, new StudyDirectory(dir), temporary);
    }
  }

  private final Builder options;
  private final StudyDirectory dir;
  private final boolean temporary;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledThreadPoolExecutor timer;
  private final Map<String, ScheduledFuture<?>> beats = new LinkedHashMap<>();
  /** The master and the worker side of {@link #ask()} and {@link #tell}: made at the first ask. */
  private Master asking;
  /** The study's configuration as the first ask made or found it (heartbeats, mode). */
  private StudyConfig askConfig;
  private WorkerQueue asked;
  private String askerId;
  /** Settings asked and told here (a second tell of one says so). */
  private final java.util.Set<String> told = new java.util.HashSet<>();

  private Study(Builder options, StudyDirectory dir, boolean temporary) {
    this.options = options;
    this.dir = dir;
    this.temporary = temporary;
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "hps-study-heartbeat");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** A new study of {@code space} (or, with {@link Builder#directory}, one resumed there). */
  public static Builder builder(SearchSpace space) {
    return new Builder(java.util.Objects.requireNonNull(space, "space"));
  }

  /** A new study of the space in a space file ({@code search-spaces/*.json}'s format). */
  public static Builder builder(Path spaceFile) {
    return builder(SearchSpace.read(spaceFile));
  }

  /** The study in {@code directory} (made by {@code hps master}, {@code hps run} or this library), to go on with. */
  public static Study open(Path directory) throws IOException {
    if (!Files.isRegularFile(directory.resolve("study.json"))) {
      throw new java.nio.file.NoSuchFileException(directory.resolve("study.json") + " (no study here: make one with"
          + " Study.builder(space).directory(dir), hps run or hps master)");
    }
    return new Study(new Builder(null), StudyDirectory.existing(directory), false);
  }

  /** Where the study's files are. */
  public Path directory() {
    return dir.root();
  }

  /**
   * Runs {@code objective} on {@code threads} threads until the study has {@code trials} results
   * (points, for the halving strategies: their brackets decide how many settings that makes), and returns
   * every result. A study that already has results (a directory given again, or {@link #open}) goes on
   * from them; {@code trials} may grow it.
   *
   * @throws IllegalArgumentException when the space sets a parameter your objective's declaration does not
   *     allow (see {@link #optimize(Trainer, int, int)}), or the options do not go together
   */
  public List<Result> optimize(Objective objective, int trials, int threads) throws IOException, InterruptedException {
    return optimize(new ObjectiveTrainer(modelOf(), objective, TrainerParameters.UNDECLARED), trials, threads);
  }

  /**
   * The same with a {@link Trainer}: its {@link Trainer#parameters()} are checked against the space before
   * anything runs, and its {@code model} must be the space's (a space without {@code model} gets it).
   */
  public List<Result> optimize(Trainer trainer, int trials, int threads) throws IOException, InterruptedException {
    if (threads < 1 || trials < 1) {
      throw new IllegalArgumentException("optimize needs at least 1 trial and 1 thread, not " + trials + " and "
          + threads);
    }
    synchronized (this) {
      if (asking != null) {
        throw new IllegalStateException("this Study is in use by ask() and tell(): finish those, or open another");
      }
    }
    StudyConfig config = prepare(trials, threads, trainer);
    PrintWriter log = options.log;
    Master master = Master.of(dir, config, clock, log, new MasterOptions(5, false, Patience.DEFAULT));
    master.open(false); // before the workers start: they must not find the study finished by an earlier run
    TrainerRegistry registry = TrainerRegistry.of("your program", trainer);
    List<Worker> workers = new ArrayList<>();
    List<Thread> threadsRunning = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    String prefix = WorkerOptions.defaultId() + "-t";
    for (int i = 1; i <= threads; i++) {
      Worker w = new Worker(dir, new WorkerOptions(prefix + i, null, 5, 0, 0, Trial.defaultDataDirectory(), 0),
          registry, clock, log);
      workers.add(w);
      Thread t = new Thread(() -> {
        try {
          w.run();
        } catch (Throwable e) {
          failures.add(e);
          master.stop();
        }
      }, "hps-worker-" + i);
      t.setDaemon(true);
      threadsRunning.add(t);
      t.start();
    }
    try {
      List<Result> results = master.run();
      for (Thread t : threadsRunning) {
        t.join();
      }
      if (!failures.isEmpty()) {
        throw new IOException("a worker thread failed: " + failures.get(0), failures.get(0));
      }
      if (!results.isEmpty() && results.stream().allMatch(r -> r.status() == Status.FAILED)) {
        // As hps run exits 1: a study of nothing but failures is an error to report, not a result to use.
        var top = io.hps.status.StudyStatus.Failure.of(results).get(0);
        throw new IllegalStateException("every one of the " + results.size() + " settings failed; " + top.count()
            + " x " + top.reason() + " (the results are in " + dir.root() + " while this Study is open)");
      }
      return results;
    } finally {
      master.stop();
      for (Worker w : workers) {
        w.stop(Duration.ofSeconds(10));
      }
    }
  }

  /**
   * The next setting to evaluate, for your own loop; empty once the study has every result. Tell its
   * result with {@link #tell}. In a synchronous study, every setting of a batch must be told before the
   * next batch exists; then asking again without telling is an error that says so.
   *
   * @param trials the study's trials (as {@link #optimize}), fixed by the first ask of a new study
   */
  public synchronized Optional<Asked> ask(int trials) throws IOException, InterruptedException {
    if (asking == null) {
      askConfig = prepare(trials, 1, null);
      asking = Master.of(dir, askConfig, clock, options.log, new MasterOptions(5, false, Patience.DEFAULT));
      asking.open(false);
      askerId = WorkerOptions.defaultId() + "-ask";
      asked = new FileWorkerQueue(dir, askerId, clock);
    }
    while (true) {
      asking.step();
      if (asking.finished()) {
        asking.close(MasterPhase.FINISHED);
        return Optional.empty();
      }
      Optional<io.hps.study.Claim> claim = asked.claimNext();
      if (claim.isPresent()) {
        io.hps.study.Claim c = claim.get();
        double every = Math.max(0.05, askConfig.heartbeatSeconds());
        WorkerQueue queue = asked;
        beats.put(c.setting().id(), timer.scheduleAtFixedRate(() -> {
          try {
            queue.heartbeat(c);
          } catch (IOException | RuntimeException e) {
            options.log.printf("study: heartbeat of %s failed (%s); trying again%n", c.setting().id(), e.getMessage());
          }
        }, (long) (every * 1000), (long) (every * 1000), TimeUnit.MILLISECONDS));
        return Optional.of(new Asked(c.setting().id(), c.setting().params(), c.setting().attempt(), c));
      }
      if (!beats.isEmpty() && beats.keySet().containsAll(asking.inFlight())) {
        boolean sync = askConfig.mode() == Mode.SYNC;
        throw new IllegalStateException("nothing to ask until the settings asked so far are told (" + String.join(", ",
            beats.keySet()) + "): " + (sync ? "a synchronous study proposes its next batch once every result of this"
            + " one is in" : "the study has as many settings in flight as its batch allows (.batch(n, \"async\") for"
            + " more)"));
      }
      asking.beat();
      Thread.sleep(20); // settings held by other workers (hps worker processes on this study)
    }
  }

  /** {@link #ask(int)} with 100 trials (or the study's own, when it exists). */
  public Optional<Asked> ask() throws IOException, InterruptedException {
    return ask(askConfig != null ? askConfig.trials() : dir.readConfig().map(StudyConfig::trials).orElse(100));
  }

  /**
   * The result of an asked setting: its validation error, a fraction in [0, 1] (one epoch); NaN is a
   * diverged setting, as with {@link Objective#of}.
   */
  public void tell(Asked setting, double valError) throws IOException {
    List<Epoch> one = List.of(new Epoch(1, valError, valError, valError,
        Duration.between(setting.claim().claimedAt(), clock.instant()).toMillis() / 1000.0));
    tell(setting, Double.isNaN(valError) ? Outcome.diverged("the value told was NaN", one, Map.of())
        : Outcome.complete(one, Map.of()));
  }

  /** The result of an asked setting: what it trained, epoch by epoch. */
  public synchronized void tell(Asked setting, Outcome outcome) throws IOException {
    publish(setting, Result.of(setting.claim().setting(), outcome.status(), outcome.reason(), askerId,
        setting.claim().claimedAt(), clock.instant(), outcome.epochs(), outcome.info()));
  }

  /** An asked setting that could not be evaluated: its result is {@code failed} with {@code reason}. */
  public synchronized void tellFailed(Asked setting, String reason) throws IOException {
    publish(setting, Result.of(setting.claim().setting(), Status.FAILED, reason, askerId,
        setting.claim().claimedAt(), clock.instant(), List.of(), Map.of()));
  }

  private void publish(Asked setting, Result result) throws IOException {
    if (asked == null || !setting.claim().worker().equals(askerId)
        || !setting.claim().file().toAbsolutePath().startsWith(dir.root().toAbsolutePath())) {
      throw new IllegalArgumentException(setting.id() + " was asked of another Study, not of the one in " + dir.root());
    }
    if (told.contains(setting.id() + "/" + setting.attempt())) {
      throw new IllegalArgumentException(setting.id() + " was told already");
    }
    ScheduledFuture<?> beat = beats.remove(setting.id());
    if (beat == null) {
      throw new IllegalArgumentException(setting.id() + " is not a setting this study is waiting on");
    }
    told.add(setting.id() + "/" + setting.attempt());
    beat.cancel(false);
    asked.touchFence(setting.claim());
    WorkerQueue.Publication p = asked.publish(setting.claim(), result);
    if (p != WorkerQueue.Publication.PUBLISHED) {
      options.log.printf("study: the result of %s was not kept (%s): its lease had expired and the setting was"
          + " handed out again%n", setting.id(), p.name().toLowerCase(java.util.Locale.ROOT));
    }
    asking.step();
  }

  /** Every result so far (of this study's settings, checked as the master checks them). */
  public List<Result> results() throws IOException {
    return io.hps.status.StudyStatus.verifiedResults(dir, new ArrayList<>());
  }

  /**
   * The feasible results no other feasible result beats in every objective (the Pareto front), in id order;
   * for one objective, its best results. Uses the study's own objectives and constraints.
   */
  public List<Result> front() throws IOException {
    StudyConfig config = dir.readConfig().orElse(null);
    if (config == null) {
      return List.of();
    }
    return io.hps.goals.Goals.of(config).front(results()).stream().sorted(Comparator.comparing(Result::id)).toList();
  }

  /** The complete result with the lowest validation error so far, if any (with objectives of your own: {@link #front}). */
  public Optional<Result> best() throws IOException {
    return results().stream().filter(r -> r.status() == Status.COMPLETE && r.objective().isPresent())
        .min(Comparator.comparingDouble(r -> r.objective().orElseThrow()));
  }

  /**
   * Ends the study's use here: asked settings not told go back to pending (another run or worker takes
   * them), and a study in a temporary directory is deleted.
   */
  @Override
  public synchronized void close() throws IOException {
    for (Map.Entry<String, ScheduledFuture<?>> e : beats.entrySet()) {
      e.getValue().cancel(false);
    }
    beats.clear();
    timer.shutdownNow();
    if (asking != null && !temporary) {
      asking.close(asking.finished() ? MasterPhase.FINISHED : MasterPhase.STOPPED);
    }
    if (temporary) {
      Checkpoints.deleteTree(dir.root());
    }
  }

  /** Creates the study, or resumes it with {@code trials}; writes study.json. */
  private synchronized StudyConfig prepare(int trials, int threads, Trainer trainer) throws IOException {
    Optional<StudyConfig> existing = dir.readConfig();
    SearchSpace space = options.space == null ? null : withModel(options.space, trainer == null ? MODEL
        : trainer.model());
    StudyRequest request = new StudyRequest(space, List.of(), new StudyRequest.Search(options.strategy, options.seed,
        trials, null, options.eta, options.minEpochs, options.checkpoints),
        new StudyRequest.Pace(options.batch, options.mode != null ? options.mode : existing.isPresent() ? null
            : Mode.ASYNC, options.lease, options.retries),
        options.stop == null ? null : new StudyRequest.Stop(options.stop, (StopOptions) null),
        new StudyRequest.Aims(options.objectives, options.constraints));
    StudyConfig config = existing.isPresent() ? request.resume(existing.get(), dir.root().toString(), options.log)
        : request.create(dir.root().getFileName().toString(), threads, options.log);
    if (trainer != null) {
      TrainerRegistry.SpaceCheck check = TrainerRegistry.of("your program", trainer).check(config.searchSpace());
      if (!check.problems().isEmpty()) {
        throw new SpaceException((trainer instanceof ObjectiveTrainer ? "the objective" : "the trainer '"
            + trainer.model() + "'") + " cannot train this space: " + String.join("; ", check.problems()));
      }
      if (!check.missing().isEmpty()) {
        throw new SpaceException("the space's model " + check.missing() + " is not the objective's ('"
            + trainer.model() + "'): leave 'model' out of the space, or name it '" + trainer.model() + "'");
      }
    }
    dir.create();
    DurableFiles.writeJson(dir.config(), config, true);
    return config;
  }

  /** The space, with {@code model} set to {@code model} (the trainer's) when it has none. */
  private static SearchSpace withModel(SearchSpace space, String model) {
    return space.declares("model") ? space : space.with("model", model);
  }

  /** The model the objective trains: the space's, else {@link #MODEL}. */
  private String modelOf() throws IOException {
    SearchSpace space = options.space != null ? options.space
        : dir.readConfig().map(StudyConfig::searchSpace).orElse(null);
    if (space == null || !space.declares("model")) {
      return MODEL;
    }
    List<String> models = space.models();
    if (models.size() != 1) {
      throw new SpaceException("a library study trains one objective, but the space's 'model' takes " + models);
    }
    return models.get(0);
  }

  /** An {@link Objective} as the trainer of {@code model}, for the study's workers. */
  private record ObjectiveTrainer(String model, Objective objective, TrainerParameters parameters) implements Trainer {
    @Override
    public Outcome train(Trial trial, EpochSink sink) throws Exception {
      return objective.train(trial, sink);
    }
  }
}
