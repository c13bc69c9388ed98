package io.hps.simulate;

import io.hps.protocol.Epoch;
import io.hps.protocol.Ids;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.StudyConfig;
import io.hps.space.Params;
import io.hps.stopping.Curve;
import io.hps.stopping.Stopping;
import io.hps.stopping.StoppingRule;
import io.hps.strategy.SearchStrategy;
import io.hps.strategy.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays a strategy and a stopping rule over recorded learning curves: the strategy proposes settings
 * as it would in a study, the recorded trainer answers each with the nearest recorded curve (up to the
 * epochs the setting asks for), and the stopping rule is consulted after every epoch against the curves
 * seen so far. One worker, settings in the order proposed, so a 100-GPU-hour search replays in
 * milliseconds. Counts every epoch trained (a promoted setting is trained again from scratch, as the
 * live trainers do) and tracks the best final validation error among settings trained for the full
 * budget.
 *
 * @param method what was replayed, for tables
 * @param epochs epochs trained in all
 * @param seconds recorded seconds of those epochs
 * @param best best final validation error of a setting trained for the whole budget (NaN when none)
 * @param trace pairs (epochs so far, best so far) after each full-budget setting
 */
public record Replay(String method, long epochs, double seconds, double best, List<double[]> trace) {
  /** Replays {@code strategy} (with {@code stop}, or none) for one seed. */
  public static Replay run(Recorded recorded, Strategy strategy, Stopping stop, long seed, int trials, Integer eta,
      Integer minEpochs) {
    StudyConfig config = new StudyConfig(1, "replay", Instant.EPOCH, recorded.space().toJson(), strategy.json(), seed,
        trials, 1, trials, "sync", 3600, 0, stop == null ? null : stop.json(), eta, minEpochs);
    SearchStrategy search = strategy.create(recorded.space(), config);
    StoppingRule rule = stop == null ? null : stop.create();
    int full = recorded.maxEpochs();
    long total = search.total(trials);
    List<Result> results = new ArrayList<>();
    List<Curve> curves = new ArrayList<>();
    List<double[]> trace = new ArrayList<>();
    long spent = 0;
    double seconds = 0;
    double best = Double.NaN;
    while (results.size() < total) {
      List<Params> points = search.propose(results.size(), results, (int) (total - results.size()));
      if (points.isEmpty()) {
        break;
      }
      for (Params params : points) {
        int point = results.size();
        Recorded.Run run = recorded.answer(params);
        int planned = Math.min(params.getInt("epochs", full), run.epochs());
        List<Epoch> epochs = new ArrayList<>();
        Status status = Status.COMPLETE;
        String reason = null;
        for (int e = 1; e <= planned; e++) {
          double error = run.valErrors()[e - 1];
          epochs.add(new Epoch(e, Double.NaN, Double.NaN, Double.isNaN(error) ? Double.NaN : error,
              run.seconds()[e - 1]));
          spent++;
          seconds += run.seconds()[e - 1] - (e > 1 ? run.seconds()[e - 2] : 0);
          if (!Double.isFinite(error)) {
            status = Status.DIVERGED;
            break;
          }
          if (rule != null && e < planned) {
            double[] sofar = epochs.stream().mapToDouble(Epoch::valError).toArray();
            Optional<String> why = rule.stop(new Curve(Ids.setting(point), params, sofar, false), planned, curves);
            if (why.isPresent()) {
              status = Status.STOPPED;
              reason = why.get();
              break;
            }
          }
        }
        Setting setting = new Setting(1, Ids.setting(point), point, 0, 0, 1, Instant.EPOCH, params, List.of());
        Result result = Result.of(setting, status, reason, "replay", Instant.EPOCH, Instant.EPOCH, epochs, Map.of());
        results.add(result);
        curves.add(new Curve(setting.id(), params, epochs.stream().mapToDouble(Epoch::valError).toArray(), true));
        if (status == Status.COMPLETE && planned == full) {
          double error = epochs.get(epochs.size() - 1).valError();
          best = Double.isNaN(best) ? error : Math.min(best, error);
          trace.add(new double[] {spent, best});
        }
      }
    }
    String method = strategy.json() + (stop == null ? "" : " + " + stop.json() + " stopping");
    return new Replay(method, spent, seconds, best, trace);
  }

  /** The best final error found once {@code budget} epochs were spent (NaN before the first). */
  public double bestAfter(double budget) {
    double value = Double.NaN;
    for (double[] point : trace) {
      if (point[0] <= budget) {
        value = point[1];
      }
    }
    return value;
  }
}
