package io.hps.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MNIST in a directory: the original IDX files, raw or {@code .gz}, each checked against its SHA-256
 * (the official sums, or a {@code SHA256SUMS} file in the directory for subsets). The exercise split
 * trains on the first {@code trainSize} training images and validates on the last {@code valSize}.
 */
public final class Mnist {
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte");
  static final Map<String, String> OFFICIAL = Map.of(
      TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
  private static final Map<Path, Boolean> VERIFIED = new ConcurrentHashMap<>();

  private Mnist() {}

  /** The file {@code name} or {@code name.gz} in {@code dir}. */
  static Optional<Path> find(Path dir, String name) {
    for (Path p : List.of(dir.resolve(name), dir.resolve(name + ".gz"))) {
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Checks that the training files are present and intact; the message says what is wrong. */
  public static void verify(Path dir) throws IOException {
    if (VERIFIED.containsKey(dir.toAbsolutePath())) {
      return;
    }
    Map<String, String> sums = expectedSums(dir);
    for (String name : List.of(TRAIN_IMAGES, TRAIN_LABELS)) {
      Path file = find(dir, name).orElseThrow(() -> new IOException("MNIST file " + name + " (or " + name
          + ".gz) is missing in " + dir + "; run `hps data fetch --data-dir " + dir + "`"));
      String actual = sha256(file);
      if (!actual.equals(sums.get(name))) {
        throw new IOException(file + " is damaged or not the original MNIST file: SHA-256 " + actual
            + ", expected " + sums.get(name) + ". Delete it and run `hps data fetch`.");
      }
    }
    VERIFIED.put(dir.toAbsolutePath(), true);
  }

  /** Whether every file of {@link #FILES} is present and intact. */
  static boolean complete(Path dir) {
    try {
      Map<String, String> sums = expectedSums(dir);
      for (String name : FILES) {
        Optional<Path> file = find(dir, name);
        if (file.isEmpty() || (sums.containsKey(name) && !sha256(file.get()).equals(sums.get(name)))) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Training images {@code [from, from + count)} with their labels. */
  public static Dataset training(Path dir, int from, int count) throws IOException {
    verify(dir);
    float[] images = Idx.images(find(dir, TRAIN_IMAGES).orElseThrow(), from, count);
    int[] labels = Idx.labels(find(dir, TRAIN_LABELS).orElseThrow(), from, count);
    return new Dataset(images, labels, count, 784, 10);
  }

  /** Number of training images in the directory. */
  public static int trainingCount(Path dir) throws IOException {
    verify(dir);
    return Idx.count(find(dir, TRAIN_LABELS).orElseThrow());
  }

  /** SHA-256 of a file's content, of the decompressed content for {@code .gz}. */
  static String sha256(Path file) throws IOException {
    try (InputStream in = Idx.open(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> expectedSums(Path dir) throws IOException {
    Path sums = dir.resolve("SHA256SUMS");
    if (!Files.exists(sums)) {
      return OFFICIAL;
    }
    Map<String, String> map = new HashMap<>();
    for (String line : Files.readAllLines(sums)) {
      String[] parts = line.trim().split("\\s+\\*?");
      if (parts.length == 2) {
        map.put(parts[1].replaceFirst("\\.gz$", ""), parts[0].toLowerCase(java.util.Locale.ROOT));
      }
    }
    return map;
  }
}
