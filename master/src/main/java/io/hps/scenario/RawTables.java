package io.hps.scenario;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The raw data the exercise asks students to submit: one plain text table per run
 * ({@code raw/<id>.txt}: epoch, training loss, validation loss, validation error, elapsed seconds, with
 * the setting in comment lines), an index {@code raw/settings.txt}, and {@code raw.zip} of them all.
 */
public final class RawTables {
  static final String HEADER = "epoch\ttrain_loss\tval_loss\tval_error\telapsed_s";

  private RawTables() {}

  /** Writes the tables and the zip under {@code root}; returns the zip. */
  public static Path write(List<Result> results, Path root) throws IOException {
    Path raw = root.resolve("raw");
    Files.createDirectories(raw);
    try (Stream<Path> old = Files.list(raw)) {
      for (Path p : old.filter(p -> p.toString().endsWith(".txt")).toList()) {
        Files.delete(p);
      }
    }
    List<Result> sorted = results.stream().sorted(Comparator.comparing(Result::id)).toList();
    StringBuilder index = new StringBuilder("# one line per setting; its curve is in <id>.txt\n")
        .append("id\tstatus\tepochs\tfinal_val_error\tparams\n");
    for (Result r : sorted) {
      Files.writeString(raw.resolve(r.id() + ".txt"), table(r));
      index.append(r.id()).append('\t').append(r.status().json()).append('\t').append(r.epochs().size()).append('\t')
          .append(r.objective().map(RawTables::number).orElse("-")).append('\t').append(params(r.params().values()))
          .append('\n');
    }
    Files.writeString(raw.resolve("settings.txt"), index);
    Path zip = root.resolve("raw.zip");
    Path tmp = root.resolve(".raw.zip.tmp");
    try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
      for (String name : Stream.concat(Stream.of("settings"), sorted.stream().map(Result::id)).toList()) {
        out.putNextEntry(new ZipEntry("raw/" + name + ".txt"));
        out.write(Files.readAllBytes(raw.resolve(name + ".txt")));
        out.closeEntry();
      }
    }
    Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return zip;
  }

  /** One run's table, tab-separated, with the setting and outcome in {@code #} comment lines. */
  static String table(Result r) {
    StringBuilder text = new StringBuilder();
    text.append("# setting ").append(r.id()).append(": ").append(params(r.params().values())).append('\n');
    text.append("# status ").append(r.status().json())
        .append(r.reason() == null ? "" : " (" + r.reason().replace('\n', ' ') + ")")
        .append(", worker ").append(r.worker()).append('\n');
    text.append(HEADER).append('\n');
    for (Epoch e : r.epochs()) {
      text.append(e.epoch()).append('\t').append(number(e.trainLoss())).append('\t').append(number(e.valLoss()))
          .append('\t').append(number(e.valError())).append('\t')
          .append(String.format(Locale.ROOT, "%.3f", e.elapsedSeconds())).append('\n');
    }
    return text.toString();
  }

  static String params(Map<String, Object> values) {
    StringBuilder text = new StringBuilder();
    values.forEach((k, v) -> text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return text.toString();
  }

  static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : Double.toString(v);
  }
}
