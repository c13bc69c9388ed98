package io.hps.simulate;

import io.hps.json.Json;
import io.hps.space.SearchSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learning curves in the CSV format of Baker et al.'s data: a header, hyperparameter columns (numeric),
 * then {@code acc_1 ... acc_n} (validation accuracy after each epoch; error = 1 - accuracy). Epochs get
 * one simulated second each. The search space is the box the rows span (log scale for a column whose
 * positive values span more than a decade).
 */
final class BakerCsv {
  private BakerCsv() {}

  static Recorded read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    if (lines.size() < 2) {
      throw new IllegalArgumentException(file + ": needs a header and at least one row");
    }
    String[] header = lines.get(0).split(",");
    List<Integer> curve = new ArrayList<>();
    List<Integer> hyper = new ArrayList<>();
    for (int i = 0; i < header.length; i++) {
      header[i] = header[i].trim();
      (header[i].matches("acc_\\d+") ? curve : hyper).add(i);
    }
    if (curve.isEmpty()) {
      throw new IllegalArgumentException(file + ": no acc_1 ... acc_n columns");
    }
    List<Recorded.Run> runs = new ArrayList<>();
    double[] low = new double[header.length];
    double[] high = new double[header.length];
    java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
    for (int row = 1; row < lines.size(); row++) {
      String[] cells = lines.get(row).split(",");
      if (cells.length != header.length) {
        throw new IllegalArgumentException(file + ": line " + (row + 1) + " has " + cells.length + " cells, not "
            + header.length);
      }
      Map<String, Object> params = new LinkedHashMap<>();
      for (int i : hyper) {
        double v = Double.parseDouble(cells[i].trim());
        params.put(header[i], v);
        low[i] = Math.min(low[i], v);
        high[i] = Math.max(high[i], v);
      }
      params.put("epochs", (long) curve.size());
      double[] errors = new double[curve.size()];
      double[] seconds = new double[curve.size()];
      for (int e = 0; e < curve.size(); e++) {
        errors[e] = 1 - Double.parseDouble(cells[curve.get(e)].trim());
        seconds[e] = e + 1;
      }
      runs.add(new Recorded.Run("row" + row, Recorded.params(params), errors, seconds));
    }
    var space = Json.MAPPER.createObjectNode();
    space.put("schema", 1);
    space.put("name", file.getFileName().toString());
    var parameters = space.putObject("parameters");
    for (int i : hyper) {
      if (low[i] == high[i]) {
        parameters.put(header[i], low[i]);
        continue;
      }
      var range = parameters.putObject(header[i]);
      boolean log = low[i] > 0 && high[i] / low[i] > 10;
      range.put("type", log ? "loguniform" : "uniform");
      range.put("low", low[i]);
      range.put("high", high[i]);
    }
    parameters.put("epochs", curve.size());
    return new Recorded(SearchSpace.parse(space, file.toString()), runs);
  }
}
