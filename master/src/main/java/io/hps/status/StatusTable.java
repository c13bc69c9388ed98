package io.hps.status;

import io.hps.protocol.WorkerStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** Prints a {@link StudyStatus} as a readable table. */
public final class StatusTable {
  private StatusTable() {}

  public static void print(StudyStatus s, PrintWriter out, Instant now) {
    out.printf("study        %s%n", s.study());
    out.printf("master       %s%n", s.master());
    out.printf("settings     %d written (trials: %d points)%n", s.settings(), s.trials());
    out.printf("  pending    %6d%n  running    %6d%n  complete   %6d%n  diverged   %6d%n  stopped    %6d%n"
        + "  failed     %6d%n  quarantined%6d%n", s.pending(), s.running(), s.complete(), s.diverged(), s.stopped(),
        s.failed(), s.quarantined());
    if (s.unverified() > 0) {
      out.printf("  unverified %6d  (result files for no proposed setting, or with other parameters: not counted;"
          + " a master quarantines them when it (re)starts)%n", s.unverified());
    }
    if (s.best() != null) {
      out.printf("best         %s  valError %.4f  %s%n", s.best().id(), s.best().valError(), s.best().params());
    }
    if (!s.workers().isEmpty()) {
      out.printf("workers%n  %-28s %-9s %-9s %5s %6s %s%n", "ID", "STATE", "SETTING", "EPOCH", "DONE", "UPDATED");
      for (WorkerStatus w : s.workers()) {
        long age = Duration.between(w.updated(), now).toSeconds();
        out.printf("  %-28s %-9s %-9s %5s %6d %ds ago%n", w.worker(), w.state(), w.setting() == null ? "-"
            : w.setting(), w.epoch() == null ? "-" : w.epoch(), w.completed(), age);
      }
    }
    if (!s.quarantine().isEmpty()) {
      out.printf("quarantine   (files moved aside; see quarantine/*.reason.txt)%n");
      s.quarantine().forEach(q -> out.printf("  %-30s %s%n", q.file(), q.reason()));
    }
    out.flush();
  }
}
