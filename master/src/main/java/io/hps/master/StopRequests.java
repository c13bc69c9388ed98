package io.hps.master;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Progress;
import io.hps.protocol.Result;
import io.hps.protocol.StopRequest;
import io.hps.space.Params;
import io.hps.stopping.Curve;
import io.hps.stopping.StoppingRule;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The master's side of early stopping: reads the running settings' {@code progress/} files, asks the
 * study's stopping rule about each partial curve (against every accepted result and the other running
 * settings), and writes {@code stop/<id>.json} for those that should end. Cleans both folders of
 * settings whose results it has accepted.
 */
final class StopRequests {
  private final StudyDirectory study;
  private final StoppingRule rule;
  private final PrintWriter log;

  StopRequests(StudyDirectory study, StoppingRule rule, PrintWriter log) {
    this.study = study;
    this.rule = rule;
    this.log = log;
  }

  /** One look at the running settings; true when it asked one to stop. */
  boolean judge(Ledger ledger, Instant now) throws IOException {
    Map<String, Progress> running = new LinkedHashMap<>();
    for (String name : StudyDirectory.list(study.progress())) {
      String id = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
      Path file = study.progress().resolve(name);
      if (ledger.isAccepted(id)) {
        Files.deleteIfExists(file);
        Files.deleteIfExists(study.stop().resolve(name));
        continue;
      }
      try {
        Progress p = Json.MAPPER.readValue(DurableFiles.readSmall(file, 1 << 20), Progress.class);
        if (p.id().equals(id) && !p.epochs().isEmpty()) {
          running.put(id, p);
        }
      } catch (IOException | RuntimeException e) {
        // being rewritten, or not a progress file: judged at the next look, never fatal
      }
    }
    if (running.isEmpty()) {
      return false;
    }
    List<Curve> curves = new ArrayList<>();
    for (Result r : ledger.results()) {
      curves.add(new Curve(r.id(), r.params(), errors(r.epochs()), true));
    }
    Map<String, Curve> partial = new LinkedHashMap<>();
    for (Progress p : running.values()) {
      io.hps.protocol.Setting s = ledger.setting(p.id());
      Params params = s != null ? s.params() : new Params(Map.of());
      partial.put(p.id(), new Curve(p.id(), params, errors(p.epochs()), false));
    }
    curves.addAll(partial.values());
    boolean asked = false;
    for (Progress p : running.values()) {
      Path stop = study.stop().resolve(p.id() + ".json");
      if (Files.exists(stop)) {
        if (!stale(stop, p)) {
          continue;
        }
        Files.deleteIfExists(stop); // left from a run that was handed back or lost its lease
      }
      Optional<String> why = rule.stop(partial.get(p.id()), p.plannedEpochs(), curves);
      if (why.isPresent()) {
        DurableFiles.replace(stop, new StopRequest(1, p.id(), why.get(), p.epochs().size(), now, p.worker(),
            p.attempt()), false);
        log.printf("master: asked %s to stop after epoch %d: %s%n", p.id(), p.epochs().size(), why.get());
        asked = true;
      }
    }
    return asked;
  }

  /** Whether the stop request in {@code file} was made for another run than the one {@code p} reports. */
  private static boolean stale(Path file, Progress p) {
    try {
      StopRequest request = Json.MAPPER.readValue(DurableFiles.readSmall(file, 1 << 16), StopRequest.class);
      return !request.appliesTo(p.worker(), p.attempt() == null ? -1 : p.attempt())
          && !(request.attempt() != null && p.attempt() == null);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Removes a setting's progress and stop files once its result is accepted or its claim requeued. */
  void forget(String id) throws IOException {
    Files.deleteIfExists(study.progress().resolve(id + ".json"));
    Files.deleteIfExists(study.stop().resolve(id + ".json"));
  }

  static double[] errors(List<Epoch> epochs) {
    return epochs.stream().mapToDouble(Epoch::valError).toArray();
  }
}
