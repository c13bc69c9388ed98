package io.hps.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small tabular dataset from CSV (the PMLB files used by BUTTER, for example): a header line, numeric
 * feature columns, and a class column ({@code target} if present, else the last). Features are
 * standardised to zero mean and unit variance; class values are mapped to 0..k-1 in sorted order.
 */
public final class CsvData {
  private CsvData() {}

  public static Dataset load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    if (lines.size() < 2) {
      throw new IOException(file + ": a CSV dataset needs a header line and at least one row");
    }
    String[] header = io.hps.csv.Csv.cells(lines.get(0)).toArray(String[]::new);
    int target = header.length - 1;
    for (int i = 0; i < header.length; i++) {
      if (header[i].equals("target")) {
        target = i;
      }
    }
    int columns = header.length - 1;
    List<float[]> rows = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = io.hps.csv.Csv.cells(line).toArray(String[]::new);
      if (cells.length != header.length) {
        throw new IOException(file + ": line " + (n + 1) + " has " + cells.length + " cells, the header " + header.length);
      }
      float[] row = new float[columns];
      for (int c = 0, k = 0; c < cells.length; c++) {
        if (c == target) {
          classes.add(cells[c].trim());
          continue;
        }
        try {
          row[k++] = Float.parseFloat(cells[c].trim());
        } catch (NumberFormatException e) {
          throw new IOException(file + ": line " + (n + 1) + ", column '" + header[c].trim() + "': not a number: "
              + cells[c]);
        }
      }
      rows.add(row);
    }
    Map<String, Integer> index = new TreeMap<>();
    classes.forEach(c -> index.putIfAbsent(c, 0));
    int k = 0;
    for (Map.Entry<String, Integer> e : index.entrySet()) {
      e.setValue(k++);
    }
    float[] features = new float[rows.size() * columns];
    int[] labels = new int[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, features, r * columns, columns);
      labels[r] = index.get(classes.get(r));
    }
    standardise(features, rows.size(), columns);
    return new Dataset(features, labels, rows.size(), columns, index.size());
  }

  private static void standardise(float[] x, int rows, int columns) {
    for (int c = 0; c < columns; c++) {
      double sum = 0;
      double sq = 0;
      for (int r = 0; r < rows; r++) {
        sum += x[r * columns + c];
        sq += (double) x[r * columns + c] * x[r * columns + c];
      }
      double mean = sum / rows;
      double sd = Math.sqrt(Math.max(sq / rows - mean * mean, 0));
      for (int r = 0; r < rows; r++) {
        x[r * columns + c] = (float) (sd > 0 ? (x[r * columns + c] - mean) / sd : 0);
      }
    }
  }
}
