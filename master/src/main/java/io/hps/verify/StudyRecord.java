package io.hps.verify;

import io.hps.protocol.Batch;
import io.hps.protocol.Digests;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StudyConfig;
import io.hps.study.BadFileException;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a study directory holds that a check of its proposals needs, read once: its configuration, its
 * batches in order, every setting by id, its results by id (and the files among them that do not read),
 * and every digest the master recorded.
 */
public record StudyRecord(Path root, StudyConfig config, List<Batch> batches, Map<String, Setting> settings,
    Map<String, Result> results, Map<String, String> unreadable, Map<String, String> digests,
    io.hps.protocol.MasterPhase phase) {

  public static StudyRecord read(StudyDirectory study) throws IOException {
    StudyConfig config = study.readConfig().orElseThrow(() -> new java.nio.file.NoSuchFileException(
        study.config() + " (not a study directory?)"));
    List<Batch> batches = new ArrayList<>();
    for (String name : StudyDirectory.list(study.batches())) {
      if (name.matches("b\\d{6,}\\.json")) {
        try {
          batches.add(StudyDirectory.readBatch(study.batches().resolve(name)));
        } catch (BadFileException e) {
          throw new BadFileException("batches/" + name + ": " + e.getMessage());
        }
      }
    }
    batches.sort(Comparator.comparingInt(Batch::batch));
    Map<String, Setting> settings = new LinkedHashMap<>();
    batches.forEach(b -> b.settings().forEach(s -> settings.put(s.id(), s)));
    Map<String, Result> results = new TreeMap<>();
    Map<String, String> unreadable = new TreeMap<>();
    for (Result r : study.readResults((name, why) -> StudyDirectory.idOf(name).ifPresent(id -> unreadable.put(id,
        why)))) {
      results.put(r.id(), r);
    }
    Map<String, String> digests = new TreeMap<>();
    if (Files.exists(study.digests())) {
      try {
        digests.putAll(io.hps.json.Json.MAPPER.readValue(study.digests().toFile(), Digests.class).digests());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new BadFileException("digests.json is damaged: " + io.hps.json.Json.problem(e));
      }
    }
    for (Batch b : batches) {
      if (b.provenance() != null) {
        digests.putAll(b.provenance().digests());
      }
    }
    io.hps.protocol.MasterPhase phase = null;
    try {
      phase = study.readMaster().map(io.hps.protocol.MasterStatus::phase).orElse(null);
    } catch (BadFileException e) {
      phase = null; // a damaged master.json says nothing about the study's end
    }
    return new StudyRecord(study.root(), config, List.copyOf(batches), settings, results, unreadable, digests, phase);
  }
}
