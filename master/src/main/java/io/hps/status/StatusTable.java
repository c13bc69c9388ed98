package io.hps.status;

import io.hps.protocol.WorkerStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** Prints a {@link StudyStatus} as a readable table. */
public final class StatusTable {
  /** Older than this, a worker's status file that does not say "exited" is a worker that is likely gone. */
  static final long SILENT_SECONDS = 120;

  private StatusTable() {}

  /** A reason on one line, at most 400 characters (a program's stderr tail can be long). */
  public static String oneLine(String reason) {
    String line = reason.replaceAll("\\s*\\R\\s*", " | ");
    return line.length() > 400 ? line.substring(0, 397) + "..." : line;
  }

  private static void printTradeoffs(StudyStatus.Tradeoffs t, PrintWriter out) {
    out.printf("objectives   %s%s%n", String.join(", ", t.objectives()), t.constraints().isEmpty() ? ""
        : "; constraints " + String.join(", ", t.constraints()) + " (" + t.infeasible() + (t.infeasible() == 1
            ? " result breaks one)" : " results break one)"));
    if (!t.unreported().isEmpty()) {
      out.printf("  no result reports %s: check the name (built in: %s; others come from an epoch's metrics or the"
          + " result's info)%n", String.join(", ", t.unreported()), String.join(", ", io.hps.protocol.Metrics.BUILT_IN));
    }
    if (t.front().isEmpty()) {
      out.printf("front        none yet (no feasible result with every objective)%n");
      return;
    }
    if (t.objectives().size() == 1) {
      StudyStatus.FrontPoint p = t.front().get(0);
      out.printf(java.util.Locale.ROOT, "best         %s  %s %.6g  %s%n", p.id(), t.objectives().get(0), p.values().get(0),
          p.params());
      return;
    }
    out.printf("front        %d setting%s (Pareto front of the feasible results; hypervolume %.4f, objectives scaled"
        + " to [0, 1] over all results, reference 1.1)%n", t.front().size(), t.front().size() == 1 ? "" : "s",
        t.hypervolume());
    out.printf("  %-9s", "ID");
    int[] widths = t.objectives().stream().mapToInt(o -> Math.max(14, o.length())).toArray();
    for (int i = 0; i < widths.length; i++) {
      out.printf(" %" + widths[i] + "s", t.objectives().get(i));
    }
    // a halving strategy's front may hold one configuration at two rungs: the epochs tell them apart
    boolean budgets = t.front().stream().anyMatch(p -> p.budget() != null);
    out.printf("%s  PARAMETERS%n", budgets ? "  EPOCHS" : "");
    for (StudyStatus.FrontPoint p : t.front().subList(0, Math.min(20, t.front().size()))) {
      out.printf("  %-9s", p.id());
      for (int i = 0; i < widths.length; i++) {
        out.printf(java.util.Locale.ROOT, " %" + widths[i] + ".6g", p.values().get(i));
      }
      if (budgets) {
        out.printf("  %6s", p.budget() == null ? "-" : p.budget());
      }
      out.printf("  %s%n", p.params());
    }
    if (t.front().size() > 20) {
      out.printf("  ... and %d more (hps status --json lists them all)%n", t.front().size() - 20);
    }
  }

  public static void print(StudyStatus s, PrintWriter out, Instant now) {
    out.printf("study        %s%n", s.study());
    out.printf("master       %s%n", s.master());
    out.printf("settings     %d written, of %d the study proposes in all%n", s.settings(), s.trials());
    out.printf("  pending    %6d%n  running    %6d%n  complete   %6d%n  diverged   %6d%n  stopped    %6d%n"
        + "  failed     %6d%n  quarantined%6d%n", s.pending(), s.running(), s.complete(), s.diverged(), s.stopped(),
        s.failed(), s.quarantined());
    if (s.unverified() > 0) {
      out.printf("  unverified %6d  (result files for no proposed setting, or with other parameters: not counted;"
          + " a master quarantines them when it (re)starts)%n", s.unverified());
    }
    if (s.checkpoints() != null) {
      out.printf("checkpoints  %s%n", s.checkpoints().settings() == 0 ? "none kept"
          : String.format("%d settings, %.1f MiB (each deleted once no rung can promote it)",
              s.checkpoints().settings(), s.checkpoints().bytes() / 1048576.0));
    }
    if (s.best() != null && s.tradeoffs() == null) {
      out.printf("best         %s  valError %.4f  %s%n", s.best().id(), s.best().valError(), s.best().params());
    }
    if (s.tradeoffs() != null) {
      printTradeoffs(s.tradeoffs(), out);
    }
    if (s.importance() != null && !s.importance().isEmpty()) {
      out.printf("importance   (PED-ANOVA: how differently the best 10%% of results, at least 5, set each parameter;"
          + " shares sum to 1; with few results it is mostly noise)%n");
      int width = s.importance().keySet().stream().mapToInt(String::length).max().orElse(0);
      s.importance().forEach((objective, shares) -> {
        StringBuilder line = new StringBuilder();
        shares.forEach((name, share) -> line.append(String.format(java.util.Locale.ROOT, "  %s %.2f", name, share)));
        out.printf("  %-" + width + "s%s%n", objective, line);
      });
    }
    if (s.failures() != null && !s.failures().isEmpty()) {
      out.printf("failed       (reasons, most frequent first; each result's reason is in results/<id>.json)%n");
      for (StudyStatus.Failure f : s.failures().subList(0, Math.min(5, s.failures().size()))) {
        out.printf("  %d x %s%s: %s%n", f.count(), String.join(", ", f.ids()), f.count() > f.ids().size() ? ", ..."
            : "", oneLine(f.reason()));
      }
      if (s.failures().size() > 5) {
        out.printf("  ... and %d other reasons%n", s.failures().size() - 5);
      }
    }
    if (!s.workers().isEmpty()) {
      out.printf("workers%n  %-28s %-9s %-9s %5s %6s %s%n", "ID", "STATE", "SETTING", "EPOCH", "DONE", "UPDATED");
      for (WorkerStatus w : s.workers()) {
        long age = Duration.between(w.updated(), now).toSeconds();
        // A living worker rewrites its file every 10 s when idle and every heartbeat when training.
        boolean silent = w.state() != io.hps.protocol.WorkerState.EXITED && age > SILENT_SECONDS;
        out.printf("  %-28s %-9s %-9s %5s %6d %ds ago%s%n", w.worker(), w.state().json(), w.setting() == null ? "-"
            : w.setting(), w.epoch() == null ? "-" : w.epoch(), w.completed(), age,
            silent ? "  (silent: killed or stopped? its lease expires if so)" : "");
      }
    }
    if (!s.unreadable().isEmpty()) {
      out.printf("files not counted (damaged, being rewritten, or not matching a proposed setting)%n");
      s.unreadable().forEach(u -> out.printf("  %s%n", u));
    }
    if (!s.quarantine().isEmpty()) {
      out.printf("quarantine   (files moved aside; see quarantine/*.reason.txt)%n");
      s.quarantine().forEach(q -> out.printf("  %-30s %s%n", q.file(), q.reason()));
    }
    out.flush();
  }
}
