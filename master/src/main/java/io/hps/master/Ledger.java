package io.hps.master;

import io.hps.json.Json;
import io.hps.protocol.Batch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.study.BadFileException;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the master knows: every setting it proposed (from {@code batches/}) and every accepted result.
 * Both come from files, so a restarted master has the same ledger.
 */
final class Ledger {
  private final Map<String, Setting> settings = new LinkedHashMap<>();
  private final Map<String, Result> accepted = new LinkedHashMap<>();
  private final java.util.Set<String> awaited = new java.util.LinkedHashSet<>();
  private int batches;
  private int points;
  private int lastBatch = -1;

  /** Reads every batch file of the study. */
  static Ledger load(StudyDirectory study) throws IOException {
    Ledger ledger = new Ledger();
    for (String name : StudyDirectory.list(study.batches())) {
      Path file = study.batches().resolve(name);
      Batch batch;
      try {
        batch = Json.MAPPER.readValue(DurableFiles.readSmall(file, 64L << 20), Batch.class);
      } catch (BadFileException | com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException(file + " is damaged (" + e.getMessage() + "); the master cannot know what it"
            + " proposed. Restore the file or start a new study.", e);
      }
      ledger.add(batch);
    }
    return ledger;
  }

  void add(Batch batch) {
    for (Setting s : batch.settings()) {
      settings.put(s.id(), s);
      if (!accepted.containsKey(s.id())) {
        awaited.add(s.id());
      }
      points = Math.max(points, s.point() + 1);
    }
    batches = Math.max(batches, batch.batch() + 1);
    lastBatch = Math.max(lastBatch, batch.batch());
  }

  void accept(Result result) {
    accepted.put(result.id(), result);
    awaited.remove(result.id());
  }

  Setting setting(String id) {
    return settings.get(id);
  }

  boolean isAccepted(String id) {
    return accepted.containsKey(id);
  }

  Collection<Setting> settings() {
    return settings.values();
  }

  List<Result> results() {
    return new ArrayList<>(accepted.values());
  }

  int acceptedCount() {
    return accepted.size();
  }

  /** Number of strategy points proposed so far. */
  int points() {
    return points;
  }

  /** Number of the next batch. */
  int nextBatch() {
    return batches;
  }

  boolean allAccepted() {
    return accepted.size() == settings.size();
  }

  /** Ids of the settings without an accepted result. */
  List<String> awaited() {
    return List.copyOf(awaited);
  }

  /** Points that still have a setting without a result. */
  long pointsInFlight() {
    return settings.values().stream().filter(s -> !accepted.containsKey(s.id())).map(Setting::point).distinct()
        .count();
  }
}
