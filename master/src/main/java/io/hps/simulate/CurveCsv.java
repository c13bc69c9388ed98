package io.hps.simulate;

import io.hps.csv.Csv;
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
 * Learning curves from a CSV file with a header and one row per trial, in one of two layouts:
 * <ul>
 *   <li>Baker et al.'s: hyperparameter columns, then {@code acc_1 ... acc_n}, the validation accuracy after
 *       each epoch;</li>
 *   <li>a BUTTER summary exported to CSV: hyperparameter columns and a {@code test_accuracy_median} column
 *       holding the per-epoch medians as a list, {@code "[0.61, 0.78, ...]"}.</li>
 * </ul>
 * Errors are 1 - accuracy; each epoch counts one simulated second. Numeric columns become ranges of the
 * replay's search space (log scale when positive values span more than a decade), text columns
 * categorical choices.
 */
final class CurveCsv {
  static final String BUTTER_COLUMN = "test_accuracy_median";

  private CurveCsv() {}

  static Recorded read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    if (lines.size() < 2) {
      throw new IllegalArgumentException(file + ": needs a header and at least one row");
    }
    List<String> header = Csv.cells(lines.get(0));
    List<Integer> acc = new ArrayList<>();
    List<Integer> hyper = new ArrayList<>();
    int butter = header.indexOf(BUTTER_COLUMN);
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).matches("acc_\\d+")) {
        acc.add(i);
      } else if (i != butter) {
        hyper.add(i);
      }
    }
    if (acc.isEmpty() && butter < 0) {
      throw new IllegalArgumentException(file + ": no curve columns: acc_1 ... acc_n (Baker et al.) or "
          + BUTTER_COLUMN + " (BUTTER)");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    List<double[]> curves = new ArrayList<>();
    for (int row = 1; row < lines.size(); row++) {
      List<String> cells = Csv.cells(lines.get(row));
      if (cells.size() != header.size()) {
        throw new IllegalArgumentException(file + ": line " + (row + 1) + " has " + cells.size() + " cells, not "
            + header.size());
      }
      Map<String, Object> params = new LinkedHashMap<>();
      for (int i : hyper) {
        params.put(header.get(i), value(cells.get(i)));
      }
      double[] accuracy = butter >= 0 ? list(cells.get(butter), file, row + 1)
          : acc.stream().mapToDouble(i -> Double.parseDouble(cells.get(i))).toArray();
      double[] errors = new double[accuracy.length];
      for (int e = 0; e < errors.length; e++) {
        errors[e] = 1 - accuracy[e];
      }
      rows.add(params);
      curves.add(errors);
    }
    int epochs = curves.stream().mapToInt(c -> c.length).max().orElse(0);
    List<Recorded.Run> runs = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      double[] seconds = new double[curves.get(r).length];
      for (int e = 0; e < seconds.length; e++) {
        seconds[e] = e + 1;
      }
      Map<String, Object> params = new LinkedHashMap<>(rows.get(r));
      params.put("epochs", (long) epochs);
      runs.add(new Recorded.Run("row" + (r + 1), new io.hps.space.Params(params), curves.get(r), seconds));
    }
    return new Recorded(space(file, header, hyper, rows, epochs), runs);
  }

  private static SearchSpace space(Path file, List<String> header, List<Integer> hyper, List<Map<String, Object>> rows,
      int epochs) {
    var space = Json.MAPPER.createObjectNode();
    space.put("schema", 1);
    space.put("name", file.getFileName().toString());
    var parameters = space.putObject("parameters");
    for (int i : hyper) {
      String name = header.get(i);
      List<Object> values = rows.stream().map(r -> r.get(name)).distinct().toList();
      if (values.size() == 1) {
        parameters.set(name, Json.MAPPER.valueToTree(values.get(0)));
      } else if (values.stream().allMatch(v -> v instanceof Double)) {
        double low = values.stream().mapToDouble(v -> (Double) v).min().orElseThrow();
        double high = values.stream().mapToDouble(v -> (Double) v).max().orElseThrow();
        var range = parameters.putObject(name);
        range.put("type", low > 0 && high / low > 10 ? "loguniform" : "uniform");
        range.put("low", low);
        range.put("high", high);
      } else {
        parameters.set(name, Json.MAPPER.valueToTree(values.stream().map(String::valueOf).toList()));
      }
    }
    parameters.put("epochs", epochs);
    return SearchSpace.parse(space, file.toString());
  }

  private static Object value(String cell) {
    try {
      return Double.parseDouble(cell);
    } catch (NumberFormatException text) {
      return cell;
    }
  }

  private static double[] list(String cell, Path file, int line) {
    String body = cell.trim();
    if (!body.startsWith("[") || !body.endsWith("]")) {
      throw new IllegalArgumentException(file + ": line " + line + ": " + BUTTER_COLUMN + " must be a list [a, b, ...]");
    }
    String[] parts = body.substring(1, body.length() - 1).split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i].trim());
    }
    return out;
  }
}
