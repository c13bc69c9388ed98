package io.hps.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hps.dashboard.StudyView.Running;
import io.hps.dashboard.StudyView.Snapshot;
import io.hps.json.Json;
import io.hps.protocol.Attempt;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Categorical;
import io.hps.space.Parameter;
import io.hps.space.Range;
import io.hps.space.SearchSpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard's JSON: a {@link Snapshot} as the page wants it. Strings go out as JSON strings (the page
 * shows them as text, never as markup); non-finite numbers as null.
 */
final class StudyJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private StudyJson() {}

  /** Counts, phase, best, strategy, stopping rule, the searched parameters and their scales. */
  static ObjectNode summary(String name, Snapshot s) {
    ObjectNode o = F.objectNode();
    o.put("study", name);
    o.put("version", s.version());
    o.put("settingsTotal", settingCount(s));
    o.put("rowsLimit", ROWS);
    o.put("master", s.master() == null ? "not started" : s.master().phase().json());
    if (s.master() != null) {
      o.put("masterAgeSeconds", Math.max(0, (s.refreshedAtMillis() - s.master().updated().toEpochMilli()) / 1000));
    }
    if (s.config() != null) {
      o.put("leaseSeconds", s.config().leaseSeconds());
    }
    if (s.config() != null) {
      o.put("strategy", s.config().strategy().json());
      o.put("stop", s.config().stop() == null ? null : s.config().stop().json());
      o.put("mode", s.config().mode().json());
      o.put("trials", s.config().trials());
      o.put("checkpoints", s.config().keepsCheckpoints());
      o.set("parameters", parameters(s));
    }
    ObjectNode counts = o.putObject("counts");
    counts.put("proposed", s.settings().size());
    counts.put("pending", s.pending().size());
    counts.put("running", s.running().size());
    Totals totals = totals(s);
    for (Status st : Status.values()) {
      counts.put(st.json(), totals.byStatus()[st.ordinal()]);
    }
    counts.put("quarantined", s.quarantine().size());
    counts.put("problems", s.problems().size());
    boolean ownGoals = s.config() != null && !io.hps.goals.Goals.of(s.config()).isDefault();
    o.put("ownGoals", ownGoals); // objectives or constraints of its own: no best by validation error alone
    Result best = ownGoals ? null : totals.best();
    if (best != null) {
      ObjectNode b = o.putObject("best");
      b.put("id", best.id());
      b.put("valError", best.objective().orElseThrow());
      b.set("params", Json.MAPPER.valueToTree(best.params()));
    }
    ArrayNode problems = o.putArray("problems");
    s.problems().forEach(p -> problems.addObject().put("file", p.file()).put("reason", p.reason()));
    return o;
  }

  /** The searched parameters: name, kind, and for ranges the bounds and whether the axis is logarithmic. */
  private static ArrayNode parameters(Snapshot s) {
    ArrayNode out = F.arrayNode();
    SearchSpace space;
    try {
      space = s.config().searchSpace();
    } catch (RuntimeException e) {
      return out; // no parameters to draw; the summary's problems say why (StudyView.readConfig)
    }
    for (Parameter p : space.parameters()) {
      if (!p.searched()) {
        continue;
      }
      ObjectNode n = out.addObject();
      n.put("name", p.name());
      if (p instanceof Range r) {
        n.put("kind", "range").put("low", r.low()).put("high", r.high()).put("log", r.log())
            .put("integer", r.kind() == Range.Kind.INT);
      } else if (p instanceof Categorical c) {
        n.put("kind", "categorical");
        ArrayNode values = n.putArray("values");
        c.values().forEach(v -> values.add(String.valueOf(v)));
      } else {
        n.put("kind", "other");
      }
    }
    return out;
  }

  /**
   * The study's objectives: every finished result's objective values (as the metrics read) and whether it is
   * feasible, the ids on the Pareto front, the hypervolume of the front after each result in the order they
   * finished, and each objective's parameter importance. {@code objectives} is empty for a study with the
   * default goal; importance comes from {@link io.hps.goals.Importance#MIN_RESULTS} results on.
   */
  static ObjectNode tradeoffs(Snapshot s) {
    ObjectNode o = F.objectNode();
    if (s.config() == null) {
      return o.putNull("objectives");
    }
    io.hps.goals.Goals goals = io.hps.goals.Goals.of(s.config());
    List<Result> results = new ArrayList<>(s.results().values());
    results.sort(Comparator.comparing(Result::finished).thenComparing(Result::id));
    ArrayNode names = o.putArray("objectives");
    if (!goals.isDefault()) {
      goals.objectives().forEach(g -> names.add(g.toString()));
      ArrayNode constraints = o.putArray("constraints");
      goals.constraints().forEach(c -> constraints.add(c.toString()));
      ArrayNode points = o.putArray("points");
      for (Result r : results) {
        goals.shown(r).ifPresent(v -> {
          ObjectNode p = points.addObject().put("id", r.id()).put("feasible", goals.feasible(r));
          ArrayNode values = p.putArray("values");
          for (double x : v) {
            values.add(x);
          }
        });
      }
      var tradeoffs = io.hps.status.StudyStatus.tradeoffs(goals, results);
      ArrayNode front = o.putArray("front");
      tradeoffs.front().forEach(p -> front.add(p.id()));
      o.putArray("unreported").addAll(tradeoffs.unreported().stream().map(F::textNode).toList());
      o.put("infeasible", tradeoffs.infeasible());
      frontOverTime(o.putObject("hypervolume"), goals, results);
    }
    ObjectNode importance = o.putObject("importance");
    try {
      io.hps.status.StudyStatus.importance(s.config(), goals, results).forEach((objective, shares) -> {
        ObjectNode one = importance.putObject(objective);
        shares.forEach(one::put);
      });
    } catch (RuntimeException e) {
      // an unreadable space: the summary's problems say why (StudyView.readConfig); no importance to show
    }
    return o;
  }

  /**
   * The front's hypervolume after each result, in the order they finished, with each objective scaled to
   * [0, 1] over all results so far (the final scale, so the curve only rises) and reference point 1.1.
   */
  private static void frontOverTime(ObjectNode o, io.hps.goals.Goals goals, List<Result> results) {
    int m = goals.objectives().size();
    double[][] range = goals.range(results).orElse(new double[][] {new double[m], new double[m]});
    double[] low = range[0];
    double[] high = range[1];
    ArrayNode evaluated = o.putArray("evaluated");
    ArrayNode seconds = o.putArray("seconds");
    ArrayNode volume = o.putArray("volume");
    Instant start = s0(results);
    double[] reference = new double[m];
    java.util.Arrays.fill(reference, 1.1);
    List<double[]> front = new ArrayList<>(); // the scaled front so far, kept as results arrive
    double last = 0;
    for (int n = 1; n <= results.size(); n++) {
      Result r = results.get(n - 1);
      java.util.Optional<double[]> v = goals.values(r);
      if (v.isPresent() && goals.feasible(r)) {
        double[] p = new double[m];
        for (int i = 0; i < m; i++) {
          p[i] = high[i] > low[i] ? (v.get()[i] - low[i]) / (high[i] - low[i]) : 0;
        }
        if (front.stream().noneMatch(q -> io.hps.goals.Pareto.dominates(q, p))) {
          front.removeIf(q -> io.hps.goals.Pareto.dominates(p, q));
          front.add(p);
          last = io.hps.goals.Pareto.hypervolume(front, reference);
        }
      }
      evaluated.add(n);
      seconds.add(java.time.Duration.between(start, r.finished()).toMillis() / 1000.0);
      volume.add(last);
    }
  }

  private static Instant s0(List<Result> results) {
    return results.stream().map(Result::created).min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
  }

  static Result best(Snapshot s) {
    return s.results().values().stream().filter(r -> r.objective().isPresent())
        .min(Comparator.comparingDouble((Result r) -> r.objective().get()).thenComparing(Result::id)).orElse(null);
  }

  /**
   * The most settings, finished results and timeline bars a page is sent (a browser draws a few thousand points
   * and rows at once, not 100,000): past it, the best and the latest (see {@link #settings(Snapshot, int)}).
   */
  static final int ROWS = 2000;

  /** How many settings the study has in all: finished, running, pending, proposed. */
  static int settingCount(Snapshot s) {
    Totals totals = totals(s);
    Set<String> more = new java.util.HashSet<>(); // running or pending, but neither proposed nor finished
    for (String id : s.running().keySet()) {
      if (!s.settings().containsKey(id) && !s.results().containsKey(id)) {
        more.add(id);
      }
    }
    for (String id : s.pending()) {
      if (!s.settings().containsKey(id) && !s.results().containsKey(id)) {
        more.add(id);
      }
    }
    return totals.proposedOrFinished() + more.size();
  }

  /**
   * What the summary counts over every setting and result: results by status, the best by validation error,
   * the settings proposed or finished. Kept while a snapshot shares its settings and results with the last one
   * (the view reuses them when nothing changed), so that a poll of a study of 100,000 settings does not count
   * them again.
   */
  record Totals(Map<String, Setting> settings, Map<String, Result> results, long[] byStatus, Result best,
      int proposedOrFinished) {}

  private static volatile Totals lastTotals;

  static Totals totals(Snapshot s) {
    Totals t = lastTotals;
    if (t != null && t.settings() == s.settings() && t.results() == s.results()) {
      return t;
    }
    long[] byStatus = new long[Status.values().length];
    int finishedOnly = 0;
    for (Result r : s.results().values()) {
      byStatus[r.status().ordinal()]++;
      if (!s.settings().containsKey(r.id())) {
        finishedOnly++;
      }
    }
    t = new Totals(s.settings(), s.results(), byStatus, best(s), s.settings().size() + finishedOnly);
    lastTotals = t;
    return t;
  }

  private static Set<String> ids(Snapshot s) {
    Set<String> ids = new LinkedHashSet<>(s.settings().keySet());
    ids.addAll(s.results().keySet());
    ids.addAll(s.running().keySet());
    ids.addAll(s.pending());
    return ids;
  }

  /** One row per setting: finished, running, pending, in id order (all of them: the CSV download). */
  static ArrayNode settings(Snapshot s) {
    return rows(s, new ArrayList<>(ids(s)));
  }

  /**
   * At most {@code limit} rows, in id order: every setting when there are no more; else the running ones and
   * the oldest of those waiting (up to half), the best finished ones by the objective and the latest finished
   * ones (a quarter each of the limit, or more when fewer are waiting), then more of those waiting.
   */
  static ArrayNode settings(Snapshot s, int limit) {
    Set<String> all = ids(s);
    if (all.size() <= limit) {
      return rows(s, new ArrayList<>(all));
    }
    Set<String> chosen = new LinkedHashSet<>(new java.util.TreeSet<>(s.running().keySet()));
    List<String> waiting = all.stream().filter(id -> !s.results().containsKey(id) && !s.running().containsKey(id))
        .sorted().toList();
    for (String id : waiting) {
      if (chosen.size() >= limit / 2) {
        break;
      }
      chosen.add(id);
    }
    int forFinished = limit - chosen.size();
    first(s.results().values().stream().filter(r -> r.objective().isPresent()).toList(), BY_OBJECTIVE,
        forFinished / 2).forEach(r -> chosen.add(r.id()));
    // at most limit of the latest are looked at: those already chosen and at most limit - chosen.size() more
    for (Result r : first(s.results().values(), LATEST_FIRST, limit)) {
      if (chosen.size() >= limit) {
        break;
      }
      chosen.add(r.id());
    }
    for (String id : waiting) {
      if (chosen.size() >= limit) {
        break;
      }
      chosen.add(id);
    }
    return rows(s, new ArrayList<>(chosen));
  }

  private static ArrayNode rows(Snapshot s, List<String> sorted) {
    ArrayNode rows = F.arrayNode();
    sorted.sort(null);
    for (String id : sorted) {
      ObjectNode row = rows.addObject();
      row.put("id", id);
      Result r = s.results().get(id);
      Running run = s.running().get(id);
      Setting setting = s.settings().get(id);
      if (r != null) {
        row.put("status", r.status().json());
        row.put("worker", r.worker());
        row.put("epochs", r.epochs().size());
        put(row, "valError", r.objective().orElse(Double.NaN));
        put(row, "seconds", r.epochs().isEmpty() ? Double.NaN : r.epochs().get(r.epochs().size() - 1).elapsedSeconds());
        row.put("finished", r.finished().toString());
        row.put("attempt", r.attempt());
        row.set("params", Json.MAPPER.valueToTree(r.params()));
      } else {
        row.put("status", run != null ? "running" : s.pending().contains(id) ? "pending" : "proposed");
        if (run != null) {
          row.put("worker", run.worker());
          List<Epoch> e = run.progress() == null ? List.of() : run.progress().epochs();
          row.put("epochs", e.size());
          put(row, "valError", e.isEmpty() ? Double.NaN : e.get(e.size() - 1).valError());
        }
        if (setting != null) {
          row.set("params", Json.MAPPER.valueToTree(setting.params()));
        }
      }
      if (setting != null && setting.budget() != null) {
        row.put("budget", setting.budget());
      }
    }
    return rows;
  }

  /** Results by final validation error, then id (each has one). */
  private static final Comparator<Result> BY_OBJECTIVE =
      Comparator.comparingDouble((Result r) -> r.objective().get()).thenComparing(Result::id);
  /** The latest finished first; ties by id, the last first. */
  private static final Comparator<Result> LATEST_FIRST =
      Comparator.comparing(Result::finished).thenComparing(Result::id).reversed();

  /**
   * The first {@code k} of {@code items} in {@code order}, in that order: what sorting them all and keeping
   * {@code k} gives, with a heap of k (a study of 100,000 results sorted them at every change).
   */
  static <T> List<T> first(java.util.Collection<T> items, Comparator<T> order, int k) {
    if (k <= 0) {
      return List.of();
    }
    java.util.PriorityQueue<T> kept = new java.util.PriorityQueue<>(k + 1, order.reversed());
    for (T item : items) {
      if (kept.size() < k) {
        kept.add(item);
      } else if (order.compare(item, kept.peek()) < 0) {
        kept.poll();
        kept.add(item);
      }
    }
    List<T> out = new ArrayList<>(kept);
    out.sort(order);
    return out;
  }

  /**
   * Learning curves: of the settings {@code ids}, or by default every running one and the {@code best}
   * best finished ones. A running curve is marked.
   */
  static ArrayNode curves(Snapshot s, List<String> ids, int best) {
    List<String> chosen = new ArrayList<>();
    if (ids.isEmpty()) {
      chosen.addAll(s.running().keySet());
      first(s.results().values().stream().filter(r -> r.objective().isPresent()).toList(), BY_OBJECTIVE, best)
          .forEach(r -> chosen.add(r.id()));
    } else {
      chosen.addAll(ids);
    }
    ArrayNode out = F.arrayNode();
    for (String id : chosen) {
      Result r = s.results().get(id);
      Running run = s.running().get(id);
      // A running setting in its first epoch has no progress yet: it is listed, with no epochs.
      List<Epoch> epochs = r != null ? r.epochs() : run == null ? null : run.progress() != null
          ? run.progress().epochs() : List.of();
      if (epochs == null) {
        continue;
      }
      ObjectNode c = out.addObject();
      c.put("id", id);
      c.put("running", r == null);
      c.put("status", r != null ? r.status().json() : "running");
      c.put("worker", r != null ? r.worker() : run.worker());
      if (r == null && run.touched() != null) {
        // A worker touches its claim every lease/6 seconds: a claim that has not changed for long is a dead worker's.
        c.put("silentSeconds", Math.max(0, (s.refreshedAtMillis() - run.touched().toMillis()) / 1000));
      }
      ArrayNode e = c.putArray("epochs");
      double trained = 0;
      for (Epoch ep : epochs) {
        ObjectNode n = e.addObject();
        n.put("epoch", ep.epoch());
        put(n, "trainLoss", ep.trainLoss());
        put(n, "valLoss", ep.valLoss());
        put(n, "valError", ep.valError());
        put(n, "seconds", ep.elapsedSeconds());
        trained += ep.trainSeconds() != null ? ep.trainSeconds() : 0;
        put(n, "trainSeconds", ep.trainSeconds() != null ? trained : Double.NaN);
      }
    }
    return out;
  }

  /**
   * Best validation error so far, in the order results finished: against settings evaluated and against
   * seconds since the study was created.
   */
  static ObjectNode bestSoFar(Snapshot s) {
    List<Result> done = new ArrayList<>(s.results().values());
    done.sort(Comparator.comparing(Result::finished).thenComparing(Result::id));
    Instant start = s.config() != null ? s.config().created() : done.isEmpty() ? Instant.EPOCH : done.get(0).created();
    ObjectNode o = F.objectNode();
    ArrayNode n = o.putArray("evaluated");
    ArrayNode t = o.putArray("seconds");
    ArrayNode b = o.putArray("best");
    ArrayNode v = o.putArray("valError");
    double best = Double.NaN;
    int count = 0;
    // Past ROWS results: each result that improved the best, the last one, and an even sample of the others.
    double every = Math.max(1.0, (double) done.size() / ROWS);
    double nextSample = 0;
    for (Result r : done) {
      count++;
      double e = r.objective().orElse(Double.NaN);
      boolean improves = Double.isFinite(e) && !(e >= best);
      if (improves) {
        best = e;
      }
      if (!improves && count != done.size() && count - 1 < nextSample) {
        continue;
      }
      while (nextSample <= count - 1) {
        nextSample += every;
      }
      n.add(count);
      t.add(Math.max(0, (r.finished().toEpochMilli() - start.toEpochMilli()) / 1000.0));
      if (Double.isFinite(best)) {
        b.add(best);
      } else {
        b.addNull();
      }
      if (Double.isFinite(e)) {
        v.add(e);
      } else {
        v.addNull();
      }
    }
    return o;
  }

  /**
   * Who ran what, when: a bar per finished result (claimed to finished) and per running claim, the
   * workers' own status files, and per running setting that is a retry, its earlier attempts (a lease that
   * expired, a lost file) from the claim's history. A finished result tells only how many attempts it took.
   */
  static ObjectNode timeline(Snapshot s) {
    ObjectNode o = F.objectNode();
    ArrayNode bars = o.putArray("bars");
    // The latest ROWS finished attempts (a timeline of 100,000 bars is a solid block anyway).
    List<Result> finished = s.results().values().stream().filter(r -> r.claimed() != null) // failed by the master
        .sorted(Comparator.comparing(Result::finished).thenComparing(Result::id)).toList(); // past its retries: no bar
    o.put("omitted", Math.max(0, finished.size() - ROWS));
    for (Result r : finished.subList(Math.max(0, finished.size() - ROWS), finished.size())) {
      bars.addObject().put("worker", r.worker()).put("id", r.id()).put("from", r.claimed().toEpochMilli())
          .put("to", r.finished().toEpochMilli()).put("status", r.status().json()).put("attempt", r.attempt());
    }
    long now = System.currentTimeMillis();
    ArrayNode lost = o.putArray("lost");
    for (Running run : s.running().values()) {
      Long start = run.startMillis();
      long from = start != null ? start : run.touched() == null ? now : run.touched().toMillis();
      bars.addObject().put("worker", run.worker()).put("id", run.id()).put("from", Math.min(from, now)).put("to", now)
          .put("status", "running").put("attempt", run.claim() == null ? 1 : run.claim().attempt());
      if (run.claim() != null) {
        for (Attempt a : run.claim().history()) {
          lost.addObject().put("id", run.id()).put("attempt", a.attempt()).put("worker", a.worker())
              .put("at", a.at().toEpochMilli()).put("reason", a.reason());
        }
      }
    }
    ArrayNode workers = o.putArray("workers");
    for (var w : s.workers()) {
      workers.addObject().put("worker", w.worker()).put("host", w.host()).put("state", w.state().json())
          .put("setting", w.setting()).put("updated", w.updated().toString()).put("completed", w.completed())
          .put("ageSeconds", Math.max(0, (now - w.updated().toEpochMilli()) / 1000));
    }
    o.put("now", now);
    return o;
  }

  static void put(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) {
      n.put(field, v);
    } else {
      n.putNull(field);
    }
  }

  /** One setting's page: its settings file as proposed, its result or its claim and progress. */
  static ObjectNode setting(Snapshot s, String id) {
    ObjectNode o = F.objectNode();
    o.put("id", id);
    Setting proposed = s.settings().get(id);
    Result r = s.results().get(id);
    Running run = s.running().get(id);
    if (proposed == null && r == null && run == null && !s.pending().contains(id)) {
      return null;
    }
    o.put("status", r != null ? r.status().json() : run != null ? "running" : "pending");
    Setting current = run != null && run.claim() != null ? run.claim() : proposed;
    if (current != null) {
      o.set("setting", Json.MAPPER.valueToTree(current));
    }
    if (r != null) {
      o.set("result", Json.MAPPER.valueToTree(r));
      o.put("raw", "results/" + id + ".json");
    } else if (run != null) {
      o.put("worker", run.worker());
      o.put("raw", "claimed/" + run.worker() + "/" + id + (run.publishing() ? ".publishing" : ".json"));
    } else if (s.pending().contains(id)) {
      o.put("raw", "pending/" + id + ".json");
    }
    if (current != null && current.resume() != null) {
      o.put("resume", "continues " + current.resume().from() + " after epoch " + current.resume().epochs() + " ("
          + current.resume().path() + ")");
    }
    o.set("curves", curves(s, List.of(id), 0));
    return o;
  }

  /**
   * Adds {@code why} to a setting's answer: why it was proposed, computed again from its batch's provenance
   * (the batch file is read now; the settings and results are the snapshot's), or why that cannot be said.
   */
  static void explain(ObjectNode o, java.nio.file.Path root, Snapshot s) {
    Setting proposed = s.settings().get(o.get("id").asText());
    if (proposed == null || s.config() == null) {
      return;
    }
    try {
      io.hps.protocol.Batch batch = io.hps.study.StudyDirectory.readBatch(
          root.resolve("batches").resolve(io.hps.protocol.Batch.fileName(proposed.batch())));
      io.hps.verify.StudyRecord record = new io.hps.verify.StudyRecord(root, s.config(), List.of(batch),
          s.settings(), s.results(), Map.of(), Map.of(), null);
      o.set("why", Json.MAPPER.valueToTree(io.hps.verify.Explanation.of(record, batch, proposed.id())));
    } catch (IOException | RuntimeException e) {
      o.put("whyError", "why it was proposed cannot be said: " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage()));
    }
  }
}
