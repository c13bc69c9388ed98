package io.hps.verify;

import io.hps.protocol.Batch;
import io.hps.protocol.Provenance;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks a study against what its master recorded: every batch's proposals, computed again from their
 * provenance ({@link Recomputation}), must be the settings the batch holds; every result must have the
 * content it was accepted with (its recorded digest) and the parameters of its setting.
 */
public final class Verifier {
  /** Something that does not match: where, and what. */
  public record Mismatch(String where, String what) {
    @Override
    public String toString() {
      return where + ": " + what;
    }
  }

  /**
   * What a check found: how many batches there are and how many of them had a provenance to compute them
   * again from, how many settings and results it checked, what does not match (the check
   * passes only when nothing), and notes that are no mismatch (results accepted after the master's last
   * record of digests).
   */
  public record Report(int batches, int computed, int settings, int results, List<Mismatch> mismatches,
      List<String> notes,
      double strategySeconds, double provenanceSeconds) {
    public boolean ok() {
      return mismatches.isEmpty();
    }
  }

  private Verifier() {}

  /** Checks the study in {@code root}; {@code progress} hears of each batch as it is checked. */
  public static Report verify(Path root, Consumer<String> progress) throws IOException {
    StudyRecord study = StudyRecord.read(StudyDirectory.existing(root));
    List<Mismatch> mismatches = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int undigested = 0;
    String firstUndigested = null;
    for (Map.Entry<String, Result> e : study.results().entrySet()) {
      String id = e.getKey();
      Result result = e.getValue();
      String where = "results/" + id + ".json";
      String recorded = study.digests().get(id);
      if (recorded == null) {
        undigested++;
        firstUndigested = firstUndigested == null ? id : firstUndigested;
      } else if (!recorded.equals(Provenance.digest(result))) {
        mismatches.add(new Mismatch(where, "changed after the master accepted it (digest " + recorded + " then, "
            + Provenance.digest(result) + " now)"));
      }
      Setting setting = study.settings().get(id);
      if (setting == null) {
        mismatches.add(new Mismatch(where, "no batch proposed setting " + id));
      } else {
        setting.params().difference(result.params()).ifPresent(d -> mismatches.add(new Mismatch(where,
            "its parameters differ from its setting's: " + d.replace(", not ", " in the result, not ") + " as proposed")));
      }
    }
    study.unreadable().forEach((id, why) -> mismatches.add(new Mismatch("results/" + id + ".json", why)));
    // Every result the master recorded a digest of was accepted: it must still be there.
    study.digests().keySet().stream().filter(id -> !study.results().containsKey(id)
        && !study.unreadable().containsKey(id)).forEach(id -> mismatches.add(new Mismatch("results/" + id + ".json",
        "is gone, but the master accepted it (its digest is recorded)")));
    boolean finished = study.phase() == io.hps.protocol.MasterPhase.FINISHED;
    if (undigested > 0 && finished) {
      mismatches.add(new Mismatch("results/" + firstUndigested + ".json", (undigested == 1 ? "has" : "and "
          + (undigested - 1) + " other result(s) have") + " no recorded digest, though the master finished the"
          + " study (it records a digest of every result it accepted): added or changed since, or a digest was"
          + " removed"));
    } else if (undigested > 0) {
      notes.add(undigested + " result(s) have no recorded digest, the first " + firstUndigested + ": the master"
          + " has not finished the study (it is running, was killed, or stopped, and a worker may publish after a"
          + " stop: the next master accepts it); a master records the digests of the results it accepted after"
          + " its last batch when it finishes or stops; their content is not checked");
    }
    if (finished && study.batches().isEmpty()) {
      mismatches.add(new Mismatch("batches/", "is empty, but the master " + study.phase().json() + " the study"));
    }
    List<String> versions = study.batches().stream().filter(b -> b.provenance() != null)
        .map(b -> b.provenance().hps()).filter(v -> !v.equals(io.hps.protocol.Version.HPS)).distinct().toList();
    if (!versions.isEmpty()) {
      notes.add("some batches were proposed by hps " + String.join(", ", versions) + ", this is "
          + io.hps.protocol.Version.HPS + ": a strategy that changed between them proposes differently");
    }
    long strategy = 0;
    long provenance = 0;
    for (Batch batch : study.batches()) {
      String where = "batches/" + Batch.fileName(batch.batch());
      progress.accept(where);
      long t0 = System.nanoTime();
      Recomputation again = Recomputation.of(study, batch);
      long t1 = System.nanoTime();
      strategy += t1 - t0;
      provenance += provenanceCost(study, batch);
      again.problems().forEach(p -> mismatches.add(new Mismatch(where, p)));
      if (again.problems().isEmpty()) {
        again.difference().ifPresent(d -> mismatches.add(new Mismatch(where, d)));
      }
    }
    int computed = (int) study.batches().stream().filter(b -> b.provenance() != null).count();
    return new Report(study.batches().size(), computed, study.settings().size(), study.results().size(),
        List.copyOf(mismatches), List.copyOf(notes), strategy / 1e9, provenance / 1e9);
  }

  /**
   * Nanoseconds to build {@code batch}'s provenance again as the master does when it proposes (the id ranges of
   * the results seen and the settings in flight, the digests of the results first seen): what recording it
   * costs the master per proposal, for the report.
   */
  private static long provenanceCost(StudyRecord study, Batch batch) {
    Provenance p = batch.provenance();
    if (p == null) {
      return 0;
    }
    List<String> seen = p.seenIds();
    List<String> inFlight = p.inFlightIds();
    long t0 = System.nanoTime();
    io.hps.protocol.IdRanges.encode(seen);
    io.hps.protocol.IdRanges.encode(inFlight);
    for (String id : p.digests().keySet()) {
      Result r = study.results().get(id);
      if (r != null) {
        Provenance.digest(r);
      }
    }
    return System.nanoTime() - t0;
  }
}
