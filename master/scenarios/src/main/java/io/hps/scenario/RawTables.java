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
 * ({@code raw/<id>.txt}: epoch, training loss, validation loss, validation error, seconds since the start
 * of training, and the epoch's training and validation seconds, with the setting in comment lines), an
 * index {@code raw/settings.txt}, and {@code raw.zip} of these and of the scenario's other data files.
 */
public final class RawTables {
  static final String HEADER = "epoch\ttrain_loss\tval_loss\tval_error\telapsed_s\ttrain_s\tval_s";

  private RawTables() {}

  /** Writes the tables and a zip of them under {@code root}; returns the zip. */
  public static Path write(List<Result> results, Path root) throws IOException {
    writeTables(results, root);
    return zip(root, List.of(root.resolve("raw")));
  }

  /** Writes {@code root/raw/}: a table per result and the index. */
  public static void writeTables(List<Result> results, Path root) throws IOException {
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
          .append(r.objective().map(Numbers::raw).orElse("-")).append('\t').append(params(r.params().values()))
          .append('\n');
    }
    Files.writeString(raw.resolve("settings.txt"), index);
  }

  /**
   * Writes {@code root/raw.zip} of {@code paths} (files, or folders whose files go in, sorted), named
   * relative to {@code root}; missing paths are left out. Returns the zip.
   */
  public static Path zip(Path root, List<Path> paths) throws IOException {
    Path zip = root.resolve("raw.zip");
    Path tmp = root.resolve(".raw.zip.tmp");
    try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
      for (Path path : paths) {
        List<Path> files;
        if (Files.isDirectory(path)) {
          try (Stream<Path> list = Files.list(path)) {
            files = list.filter(Files::isRegularFile).sorted(Comparator.comparing((Path p) -> !p.getFileName()
                .toString().equals("settings.txt")).thenComparing(Comparator.naturalOrder())).toList();
          }
        } else {
          files = Files.isRegularFile(path) ? List.of(path) : List.of();
        }
        for (Path f : files) {
          out.putNextEntry(new ZipEntry(root.relativize(f).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(f));
          out.closeEntry();
        }
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
      text.append(e.epoch()).append('\t').append(Numbers.raw(e.trainLoss())).append('\t')
          .append(Numbers.raw(e.valLoss())).append('\t').append(Numbers.raw(e.valError())).append('\t')
          .append(String.format(Locale.ROOT, "%.3f", e.elapsedSeconds())).append('\t')
          .append(e.trainSeconds() == null ? "-" : String.format(Locale.ROOT, "%.3f", e.trainSeconds())).append('\t')
          .append(e.valSeconds() == null ? "-" : String.format(Locale.ROOT, "%.3f", e.valSeconds())).append('\n');
    }
    return text.toString();
  }

  static String params(Map<String, Object> values) {
    StringBuilder text = new StringBuilder();
    values.forEach((k, v) -> text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return text.toString();
  }
}
