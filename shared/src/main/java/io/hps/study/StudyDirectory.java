package io.hps.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hps.json.Json;
import io.hps.protocol.Ids;
import io.hps.protocol.MasterStatus;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StudyConfig;
import io.hps.protocol.WorkerStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layout of a study directory and typed reads of its files. Layout (see PROTOCOL.md):
 * {@code study.json}, {@code master.json}, {@code batches/}, {@code pending/}, {@code claimed/<worker>/},
 * {@code requeue/}, {@code results/}, {@code quarantine/}, {@code workers/}, {@code logs/}.
 */
public record StudyDirectory(Path root) {
  /** Suffix of a claim whose worker has fenced it and is publishing its result. */
  public static final String PUBLISHING = ".publishing";

  public StudyDirectory {
    root = root.toAbsolutePath().normalize();
  }

  public Path config() {
    return root.resolve("study.json");
  }

  public Path master() {
    return root.resolve("master.json");
  }

  /** {@code digests.json}: see {@link io.hps.protocol.Digests}. */
  public Path digests() {
    return root.resolve("digests.json");
  }

  public Path batches() {
    return root.resolve("batches");
  }

  public Path pending() {
    return root.resolve("pending");
  }

  public Path claimed() {
    return root.resolve("claimed");
  }

  public Path claimed(String worker) {
    return claimed().resolve(Ids.check("worker id", worker));
  }

  public Path requeue() {
    return root.resolve("requeue");
  }

  public Path results() {
    return root.resolve("results");
  }

  public Path result(String id) {
    return results().resolve(Ids.check("setting id", id) + ".json");
  }

  public Path quarantine() {
    return root.resolve("quarantine");
  }

  public Path workers() {
    return root.resolve("workers");
  }

  /** Per-epoch progress of running settings, written by workers when the study has a stopping rule. */
  public Path progress() {
    return root.resolve("progress");
  }

  /** The master's requests to stop running settings early (stopping rules). */
  public Path stop() {
    return root.resolve("stop");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  /** Trainers' own files, outside the protocol: {@code work/<id>/attempt-<n>/} for each attempt. */
  public Path work() {
    return root.resolve("work");
  }

  /** Saved trainer states of the halving strategies: {@code checkpoints/<id>/<attempt>-<worker>/}. */
  public Path checkpoints() {
    return root.resolve("checkpoints");
  }

  /** The directory a checkpoint path ({@code checkpoints/<id>/<name>}, checked) stands for. */
  public Path checkpoint(String path) {
    io.hps.protocol.Resume.checkPath(path);
    return root.resolve(path);
  }

  /** The directory of one attempt at a setting, under {@link #work()}. */
  public Path work(String id, int attempt) {
    return work().resolve(Ids.check("setting id", id)).resolve("attempt-" + attempt);
  }

  /** An existing study, or an error that says there is none at {@code root}. */
  public static StudyDirectory existing(Path root) throws NoSuchFileException {
    StudyDirectory study = new StudyDirectory(root);
    if (!study.exists()) {
      throw new NoSuchFileException(study.config() + " (no study here: create one with hps master or hps run)");
    }
    return study;
  }

  /** Creates every directory of the layout (idempotent). */
  public StudyDirectory create() throws IOException {
    for (Path dir : List.of(batches(), pending(), claimed(), requeue(), results(), quarantine(), workers(), logs(),
        progress(), stop())) {
      Files.createDirectories(dir);
    }
    return this;
  }

  public boolean exists() {
    return Files.isRegularFile(config());
  }

  public Optional<StudyConfig> readConfig() throws IOException {
    return readOptional(config(), StudyConfig.class, Limits.STUDY);
  }

  public Optional<MasterStatus> readMaster() throws IOException {
    return readOptional(master(), MasterStatus.class, Limits.MASTER);
  }

  public Optional<WorkerStatus> readWorker(Path file) throws IOException {
    return readOptional(file, WorkerStatus.class, Limits.WORKER_STATUS);
  }

  /** Reads and validates a setting file; a malformed one raises {@link BadFileException}. */
  public static Setting readSetting(Path file) throws IOException {
    return parse(DurableFiles.readSmallBytes(file, Limits.SETTING), Setting.class);
  }

  /** Reads and validates a result file; a malformed one raises {@link BadFileException}. */
  public static Result readResult(Path file) throws IOException {
    return parse(DurableFiles.readSmallBytes(file, Limits.RESULT), Result.class);
  }

  /** Reads and validates a batch file; a malformed one raises {@link BadFileException}. */
  public static io.hps.protocol.Batch readBatch(Path file) throws IOException {
    return parse(DurableFiles.readSmallBytes(file, Limits.BATCH), io.hps.protocol.Batch.class);
  }

  /** Reads and validates a progress file; a malformed one raises {@link BadFileException}. */
  public static io.hps.protocol.Progress readProgress(Path file) throws IOException {
    return parse(DurableFiles.readSmallBytes(file, Limits.PROGRESS), io.hps.protocol.Progress.class);
  }

  /** Reads and validates a stop request; a malformed one raises {@link BadFileException}. */
  public static io.hps.protocol.StopRequest readStopRequest(Path file) throws IOException {
    return parse(DurableFiles.readSmallBytes(file, Limits.STOP_REQUEST), io.hps.protocol.StopRequest.class);
  }

  /**
   * Every readable result file, in id order; a malformed one is reported to {@code onBad} (file name,
   * reason) and left out. A result that vanishes while reading (quarantined by the master) is skipped.
   */
  public java.util.List<Result> readResults(java.util.function.BiConsumer<String, String> onBad) throws IOException {
    java.util.List<Result> results = new ArrayList<>();
    for (String name : list(results())) {
      try {
        results.add(readResult(results().resolve(name)));
      } catch (BadFileException e) {
        onBad.accept(name, e.getMessage());
      } catch (NoSuchFileException gone) {
        // moved to quarantine meanwhile
      }
    }
    return results;
  }

  /** Names of the entries of {@code dir} that are not temporary (dot) files, sorted; empty if absent. */
  public static List<String> list(Path dir) {
    for (int tries = 1; ; tries++) {
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        for (Path p : stream) {
          String name = p.getFileName().toString();
          if (!name.startsWith(".")) {
            names.add(name);
          }
        }
      } catch (NoSuchFileException absent) {
        if (!Files.isDirectory(dir)) {
          return names;
        }
        if (tries >= 2) {
          // It is there, twice: a listing that failed is an error, never an empty listing (leases would be
          // forgotten). Once is a folder created just after the first look.
          throw new UncheckedIOException(absent);
        }
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (java.nio.file.DirectoryIteratorException e) {
        throw new UncheckedIOException(e.getCause()); // a listing cut short is an error, never a shorter listing
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        // The JDK's own sun.nio.fs.UnixException, undeclared, from a failed close(2) of the directory stream.
        throw new UncheckedIOException(Patience.undeclared(e));
      }
      names.sort(null);
      return names;
    }
  }

  /** The setting id a file name {@code <id>.json} stands for, if the name is well formed. */
  public static Optional<String> idOf(String fileName) {
    if (!fileName.endsWith(".json")) {
      return Optional.empty();
    }
    String id = fileName.substring(0, fileName.length() - 5);
    return Ids.safe(id) ? Optional.of(id) : Optional.empty();
  }

  private static <T> T parse(byte[] bytes, Class<T> type) throws BadFileException {
    try {
      // ASCII (what hps writes) is parsed as bytes, a fifth faster; anything else decoded first, as it always was
      // (a malformed UTF-8 sequence becomes a replacement character, not an error)
      return ascii(bytes) ? Json.MAPPER.readValue(bytes, type)
          : Json.MAPPER.readValue(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), type);
    } catch (JsonProcessingException e) {
      throw new BadFileException("is not a valid " + type.getSimpleName() + " file: " + explain(e), e);
    } catch (IOException e) {
      // from bytes in memory only a decoding problem, which Jackson reports as a JsonProcessingException
      throw new BadFileException("is not a valid " + type.getSimpleName() + " file: " + e.getMessage(), e);
    }
  }

  /** Whether every byte is ASCII but NUL (which Jackson would read as a sign of UTF-16 or UTF-32). */
  private static boolean ascii(byte[] bytes) {
    for (byte b : bytes) {
      if (b <= 0) {
        return false;
      }
    }
    return true;
  }

  /** Jackson's complaint in a reader's words: which field, and what is wrong with it. */
  static String explain(JsonProcessingException e) {
    String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
        ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[") : null;
    String message = e.getOriginalMessage();
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      return "unknown field '" + u.getPropertyName() + "' (readers reject unknown fields)";
    }
    if (field != null && message != null && message.startsWith("Cannot map `null`")) {
      return "field '" + field + "' is missing or null, and it is required";
    }
    if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException && e.getCause() != null) {
      return e.getCause().getMessage();
    }
    return field != null ? "field '" + field + "': " + message : Json.problem(e);
  }

  private static <T> Optional<T> readOptional(Path file, Class<T> type, long max) throws IOException {
    try {
      return Optional.of(parse(DurableFiles.readSmallBytes(file, max), type));
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    } catch (BadFileException e) {
      throw new BadFileException(file + " " + e.getMessage(), e);
    }
  }
}
