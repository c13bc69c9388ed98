package io.hps.worker;

import io.hps.command.CommandTrainer;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.StopRequest;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.study.Checkpoints;
import io.hps.study.Claim;
import io.hps.study.FileWorkerQueue;
import io.hps.study.Patience;
import io.hps.study.StudyDirectory;
import io.hps.study.WorkerQueue;
import io.hps.study.WorkerQueue.Publication;
import io.hps.trainer.Checkpoint;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One worker: claims settings from a study directory and trains them until the study is finished,
 * it has been idle for {@code idleExitSeconds}, or {@link #stop()} is called (then the setting in hand
 * goes back to pending). Trainers are chosen by the setting's {@code model}; the study's {@code command}
 * (if its space has one) is run by the built-in {@code command} trainer.
 */
public final class Worker {
  private final StudyDirectory study;
  private final WorkerOptions options;
  private final TrainerRegistry trainers;
  private final Clock clock;
  private final PrintWriter log;
  private final Patience patience;
  private final Progress progress;
  private final CountDownLatch ended = new CountDownLatch(1);
  /** The master's request to stop the setting in hand (set by the training thread only). */
  private StopRequest stopRequest;
  private final ScheduledThreadPoolExecutor timer = heartbeatTimer();
  private volatile boolean stopping;
  private Thread thread;
  private boolean interruptible;
  /** The queue given to the constructor, or null for the study directory's own. */
  private final WorkerQueue injected;

  public Worker(StudyDirectory study, WorkerOptions options, TrainerRegistry trainers, Clock clock,
      PrintWriter log) {
    this(study, options, trainers, clock, log, Progress.NONE);
  }

  public Worker(StudyDirectory study, WorkerOptions options, TrainerRegistry trainers, Clock clock,
      PrintWriter log, Progress progress) {
    this(study, null, options, trainers, clock, log, progress);
  }

  /**
   * A worker on {@code queue} (null: the study directory's own, a {@link FileWorkerQueue} under this worker's
   * id): a test's queue that fails on purpose, or another way to claim and publish the study's settings.
   */
  public Worker(StudyDirectory study, WorkerQueue queue, WorkerOptions options, TrainerRegistry trainers,
      Clock clock, PrintWriter log, Progress progress) {
    this.injected = queue;
    this.study = study;
    this.options = options;
    this.trainers = trainers;
    this.clock = clock;
    this.log = log;
    this.patience = new Patience(options.ioPatience(), log, "worker " + options.id());
    this.progress = progress;
  }

  /** Runs until done; returns the number of results this worker published. */
  public int run() throws IOException, InterruptedException {
    synchronized (this) {
      thread = Thread.currentThread();
    }
    StatusFile status = new StatusFile(study, options, clock);
    try {
      StudyConfig config = patience.call("reading study.json", this::awaitConfig);
      if (config == null) {
        return 0;
      }
      WorkerQueue queue = injected != null ? injected : new FileWorkerQueue(study, options.id(), clock);
      TrainerRegistry registry = withCommand(config);
      refuseWhatItCannotTrain(config, registry);
      Instant idleSince = clock.instant();
      long lastFinishedCheck = 0;
      while (!stopping && (options.maxSettings() == 0 || status.completed() < options.maxSettings())) {
        Optional<Claim> claim = patience.call("claiming a setting from pending/", queue::claimNext);
        if (claim.isPresent()) {
          evaluate(queue, claim.get(), config, registry, status);
          idleSince = clock.instant();
          continue;
        }
        status.idle();
        double idle = Duration.between(idleSince, clock.instant()).toMillis() / 1000.0;
        if (options.idleExitSeconds() > 0 && idle >= options.idleExitSeconds()) {
          log.printf("worker %s: idle for %.0f s, exiting%n", options.id(), idle);
          break;
        }
        if (System.nanoTime() - lastFinishedCheck > 500_000_000L) {
          lastFinishedCheck = System.nanoTime();
          if (patience.call("reading master.json and pending/", this::finished)) {
            log.printf("worker %s: study finished, exiting%n", options.id());
            break;
          }
        }
        interruptible();
        try {
          Thread.sleep(idle > 30 ? Math.max(options.pollMillis(), 1000) : options.pollMillis());
        } finally {
          uninterruptible();
        }
      }
      return status.completed();
    } catch (InterruptedException e) {
      if (stopping) {
        return status.completed();
      }
      throw e;
    } finally {
      timer.shutdownNow();
      status.exited();
      log.flush();
      ended.countDown();
    }
  }

  /** Asks the worker to end: the setting in hand goes back to pending. Waits up to {@code wait}. */
  public boolean stop(Duration wait) throws InterruptedException {
    synchronized (this) {
      stopping = true;
      if (interruptible) {
        thread.interrupt();
      }
    }
    return ended.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * A study whose space sets what this worker's trainers do not read, or values they cannot take, is refused
   * before anything is claimed: every setting would fail (a study made by a master that did not have the
   * trainers, such as the Python master). Models this worker has no trainer for are other workers' business.
   */
  private void refuseWhatItCannotTrain(StudyConfig config, TrainerRegistry registry) {
    List<String> problems;
    try {
      problems = registry.check(SearchSpace.parse(config.space(), study.config().toString())).problems();
    } catch (RuntimeException e) {
      // A space this worker cannot read (or without a model): each setting says what is wrong with it.
      log.printf("worker %s: cannot check the study's space against this worker's trainers (%s); each setting is"
          + " checked as it comes%n", options.id(), e.getMessage());
      return;
    }
    if (!problems.isEmpty()) {
      String why = "cannot train this study, so not claiming anything: " + String.join("; ", problems);
      log.printf("worker %s: %s%n", options.id(), why);
      log.flush();
      throw new IllegalStateException(why);
    }
  }

  /** The registry plus the built-in command trainer, running the study's {@code command} (if it has one). */
  private TrainerRegistry withCommand(StudyConfig config) {
    if (trainers.has(CommandTrainer.MODEL)) {
      return trainers;
    }
    List<String> command;
    try {
      command = SearchSpace.parse(config.space(), study.config().toString()).command();
    } catch (RuntimeException e) {
      // A space this worker cannot read: the command trainer then says so per setting, and the log now.
      log.printf("worker %s: cannot read the study's space for its command (%s)%n", options.id(), e.getMessage());
      command = List.of();
    }
    return trainers.with(new CommandTrainer(command), "built in");
  }

  /** What an attempt starts from: the checkpoint to resume (or why not) and where to save one. */
  private record Prepared(Checkpoint resume, String resumeProblem, Path scratch) {}

  /** What training an attempt gave: an outcome, or the failure of a trainer that threw. */
  private record Trained(Outcome outcome, String failure, List<Epoch> seen) {}

  /** One claimed setting: prepare (resume, scratch), train, then assemble and publish its result. */
  private void evaluate(WorkerQueue queue, Claim claim, StudyConfig config, TrainerRegistry registry,
      StatusFile status) throws IOException, InterruptedException {
    String id = claim.setting().id();
    stopRequest = null;
    status.training(id, null);
    log.printf("worker %s: claimed %s (attempt %d) %s%n", options.id(), id, claim.setting().attempt(),
        claim.setting().params());
    log.flush();
    Checkpoints checkpoints = new Checkpoints(study);
    Prepared prepared = prepare(checkpoints, claim.setting());
    Trained trained;
    try (Heartbeat heartbeat = new Heartbeat(timer, queue, claim, config.heartbeatSeconds(), status,
        log)) {
      trained = train(queue, claim, config, registry, status, heartbeat, prepared);
      Outcome outcome = trained.outcome();
      if (stopping && (outcome == null || outcome.status() == Status.STOPPED) || heartbeat.lost()) {
        drop(prepared.scratch());
      }
      if (stopping && (outcome == null || outcome.status() == Status.STOPPED)) {
        boolean back = patience.call("handing " + id + " back to pending/", () -> queue.handBack(claim));
        log.printf("worker %s: stopping; %s%n", options.id(), back ? "handed " + id + " back to pending"
            : "the claim on " + id + " was already gone");
        return;
      }
      if (heartbeat.lost()) {
        log.printf("worker %s: lease on %s was lost; discarding its result%n", options.id(), id);
        return;
      }
    }
    publish(queue, claim, checkpoints, prepared, trained, status);
  }

  /** The checkpoint the setting resumes from (or why it cannot), and a scratch directory when it saves one. */
  private Prepared prepare(Checkpoints checkpoints, Setting setting) {
    Checkpoint resume = null;
    String resumeProblem = null;
    if (setting.resume() != null) {
      Checkpoints.Found found = checkpoints.find(setting);
      if (found.usable()) {
        resume = new Checkpoint(found.directory(), setting.resume().epochs());
        log.printf("worker %s: %s resumes from %s's checkpoint after epoch %d (%s)%n", options.id(), setting.id(),
            setting.resume().from(), setting.resume().epochs(), setting.resume().path());
      } else {
        resumeProblem = found.problem() + "; trained from scratch";
        log.printf("worker %s: %s: %s%n", options.id(), setting.id(), resumeProblem);
      }
    }
    return new Prepared(resume, resumeProblem, setting.savesCheckpoint() ? scratch(checkpoints, setting) : null);
  }

  /** Trains the setting with its trainer, reporting each epoch; a trainer that throws gives a failure. */
  private Trained train(WorkerQueue queue, Claim claim, StudyConfig config, TrainerRegistry registry,
      StatusFile status, Heartbeat heartbeat, Prepared prepared) throws InterruptedException {
    String id = claim.setting().id();
    List<Epoch> seen = new ArrayList<>();
    try {
      if (!claim.setting().params().has("model")) {
        throw new IllegalArgumentException("the setting has no 'model' parameter to pick its trainer; this worker"
            + " has " + registry.describe());
      }
      Trainer trainer = registry.find(claim.setting().params().getString("model"));
      // The master checked the space against this trainer when it could; a study made elsewhere (another
      // master, another version of the trainer) is checked here, before anything trains.
      List<String> problems = trainer.parameters().problems(claim.setting().params());
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("the trainer '" + trainer.model() + "' cannot train this setting: "
            + String.join("; ", problems));
      }
      WorkerTrial trial = new WorkerTrial(claim.setting(), study, options, log, () -> stopping || heartbeat.lost(),
          prepared.scratch(), prepared.resume());
      interruptible();
      progress.start(id, claim.setting().epochs());
      // A plug-in's libraries (ND4J) may look classes up through the thread's context class loader.
      ClassLoader before = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(trainer.getClass().getClassLoader());
      try {
        return new Trained(trainer.train(trial, epoch -> {
          seen.add(epoch);
          status.training(id, epoch.epoch());
          progress.epoch(epoch);
          // Every study reports its running epochs (the dashboard draws them), but the planned last one,
          // whose result follows (and which no stop request can shorten); only a study with a stopping rule
          // has stop requests to honour, so only its worker looks for one.
          int planned = claim.setting().epochs(); // 0: the trainer decides (a command), so any epoch may be the last
          if (stopRequest == null && (planned == 0 || epoch.epoch() < planned)) {
            stopRequest = reportProgress(queue, claim, seen, config.stop() != null);
          }
          return !stopping && !heartbeat.lost() && stopRequest == null;
        }), null, seen);
      } finally {
        Thread.currentThread().setContextClassLoader(before);
        progress.end();
        uninterruptible();
      }
    } catch (InterruptedException e) {
      if (!stopping) {
        throw e;
      }
      return new Trained(null, null, seen);
    } catch (Exception | LinkageError | OutOfMemoryError | StackOverflowError e) {
      // A trainer whose classes fail to initialise (a LinkageError) fails its setting, not the worker.
      return new Trained(null, e.getClass().getSimpleName() + ": " + e.getMessage(), seen);
    }
  }

  /** Assembles the result (see {@link ResultAssembly}), keeps its checkpoint, and publishes it. */
  private void publish(WorkerQueue queue, Claim claim, Checkpoints checkpoints, Prepared prepared, Trained trained,
      StatusFile status) throws IOException, InterruptedException {
    String id = claim.setting().id();
    Setting setting = claim.setting();
    ResultAssembly assembly = new ResultAssembly(setting, options.id(), claim.claimedAt(), prepared.resume() != null,
        prepared.resumeProblem());
    Result result = trained.outcome() != null ? assembly.of(trained.outcome(), stopRequest, trained.seen(),
        clock.instant()) : assembly.failed(trained.failure(), trained.seen(), clock.instant());
    stopRequest = null;
    if (prepared.resumeProblem() == null && result.info().containsKey("resumeFailed")) {
      log.printf("worker %s: %s: %s%n", options.id(), id, result.info().get("resumeFailed"));
    }
    if (result.info().containsKey("checkpointFailed")) {
      log.printf("worker %s: %s saved no checkpoint: %s%n", options.id(), id, result.info().get("checkpointFailed"));
    }
    String kept = keep(checkpoints, prepared.scratch(), setting, result);
    if (kept != null) {
      result = result.withCheckpoint(kept);
    }
    Result published = result;
    // The result is kept through I/O errors and published again; the fence (renaming the claim) still
    // decides, so a lease lost meanwhile discards it as always.
    boolean[] retried = {false};
    Publication publication = patience.call("publishing the result of " + id, () -> {
      if (retried[0]) {
        queue.touchFence(claim); // a retry: keep the lease of the claim fenced by the try an I/O error cut short
      }
      retried[0] = true;
      return queue.publish(claim, published);
    });
    if (publication == Publication.PUBLISHED) {
      status.published();
    } else if (kept != null) {
      drop(study.checkpoint(kept)); // the accepted result is another attempt's: so is the checkpoint to keep
    }
    log.printf("worker %s: %s %s %s%s%s%n", options.id(), id, result.status().json(), publication.name().toLowerCase(),
        result.objective().map(v -> String.format(" valError=%.4f", v)).orElse(""), switch (publication) {
          case PUBLISHED -> "";
          case FENCED -> ": result discarded, the lease was lost meanwhile (no heartbeat reached the study for longer"
              + " than the lease, e.g. the shared disk was unreachable) and the master gave the setting to another"
              + " attempt";
          case DUPLICATE -> ": result discarded, another attempt's result for this setting was published first";
        });
    log.flush();
  }

  /** A scratch directory for the trainer's checkpoint; null (no checkpoint) when it cannot be made. */
  private Path scratch(Checkpoints checkpoints, Setting setting) {
    try {
      return checkpoints.scratch(setting, options.id());
    } catch (IOException | RuntimeException e) {
      log.printf("worker %s: %s: no checkpoint directory (%s); training without saving one%n", options.id(),
          setting.id(), e.getMessage());
      return null;
    }
  }

  /**
   * Keeps what the trainer saved in {@code scratch} as this attempt's checkpoint when the run completed;
   * returns its path, or null (then the scratch directory is deleted).
   */
  private String keep(Checkpoints checkpoints, Path scratch, Setting setting, Result result) {
    if (scratch == null) {
      return null;
    }
    try {
      if (result.status() == Status.COMPLETE && !result.info().containsKey("checkpointFailed")
          && Checkpoints.saved(scratch)) {
        int epochs = result.epochs().get(result.epochs().size() - 1).epoch();
        return checkpoints.keep(scratch, setting, options.id(), epochs, clock.instant());
      }
    } catch (IOException | RuntimeException e) {
      log.printf("worker %s: the checkpoint of %s was not kept (%s)%n", options.id(), result.id(), e.getMessage());
    }
    drop(scratch);
    return null;
  }

  /** Deletes a checkpoint directory of ours; a failure only leaves it for the master to delete. */
  private void drop(Path directory) {
    if (directory == null) {
      return;
    }
    try {
      Checkpoints.deleteTree(directory);
    } catch (IOException | RuntimeException e) {
      log.printf("worker %s: could not delete %s (%s); the master deletes it later%n", options.id(), directory,
          e.getMessage());
    }
  }

  /**
   * Reports the epochs so far (the dashboard's running curves, the master's stopping rule) and, when the study
   * can stop a setting ({@code stoppable}), returns the master's request to stop this one, if it has made one.
   * An error here never ends training: the next epoch reports again.
   */
  private StopRequest reportProgress(WorkerQueue queue, Claim claim, List<Epoch> epochs, boolean stoppable) {
    String id = claim.setting().id();
    try {
      if (!stoppable) {
        queue.progress(claim, epochs);
        return null;
      }
      Optional<StopRequest> request = queue.report(claim, epochs);
      if (request.isPresent()) {
        log.printf("worker %s: the master stops %s after epoch %d: %s%n", options.id(), id, epochs.size(),
            request.get().reason());
      }
      return request.orElse(null);
    } catch (IOException | RuntimeException e) {
      log.printf("worker %s: progress of %s not reported (%s); training goes on%n", options.id(), id, e.getMessage());
      return null;
    }
  }

  /** One daemon thread for the heartbeats; a finished setting's heartbeat leaves its queue at once. */
  private static ScheduledThreadPoolExecutor heartbeatTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "heartbeat");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** Marks the start of a step that {@link #stop} may interrupt: never a file operation. */
  private synchronized void interruptible() throws InterruptedException {
    if (stopping) {
      throw new InterruptedException("stopping");
    }
    interruptible = true;
  }

  /** Ends an interruptible step and clears a late interrupt. */
  private synchronized void uninterruptible() {
    interruptible = false;
    Thread.interrupted();
  }

  private StudyConfig awaitConfig() throws IOException, InterruptedException {
    Instant start = clock.instant();
    long said = -1;
    while (!stopping) {
      Optional<StudyConfig> config = study.readConfig();
      if (config.isPresent()) {
        if (said >= 0) {
          log.printf("worker %s: %s appeared; starting%n", options.id(), study.config());
        }
        return config.get();
      }
      long waited = Duration.between(start, clock.instant()).toSeconds();
      if (said < 0 || waited - said >= 60) {
        log.printf("worker %s: waiting for %s: no study there yet (start the master with --study %s; the worker"
            + " starts when it appears%s)%n", options.id(), study.config(), study.root(), said < 0 ? ""
            : ", waited " + waited + " s");
        log.flush();
        said = waited;
      }
      if (options.idleExitSeconds() > 0
          && Duration.between(start, clock.instant()).toMillis() / 1000.0 >= options.idleExitSeconds()) {
        log.printf("worker %s: no study.json in %s; exiting%n", options.id(), study.root());
        return null;
      }
      Thread.sleep(Math.max(options.pollMillis(), 200));
    }
    return null;
  }

  private boolean finished() throws IOException {
    java.util.Optional<io.hps.protocol.MasterStatus> master;
    try {
      master = study.readMaster();
    } catch (io.hps.study.BadFileException torn) {
      // master.json is rewritten every second: a client whose cache returns a replaced file cut short (sshfs) reads
      // a torn one now and then. Not finished, as far as we know: read it again at the next poll.
      return false;
    }
    return master.map(m -> m.phase() == io.hps.protocol.MasterPhase.FINISHED).orElse(false)
        && StudyDirectory.list(study.pending()).isEmpty();
  }
}
