package io.hps.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What a disk allows the protocol at most: one process doing, serially and with nothing else, the file
 * operations one setting costs in a study (counted with strace in a run of hps bench): the master writes the
 * setting (a temporary file, fsync, rename into {@code pending/}), a worker claims it (rename into
 * {@code claimed/}), fences it (rename to {@code .publishing}) and publishes its result (a temporary file,
 * fsync, link into {@code results/}, unlink the temporary), and the claim goes (unlink). {@code hps bench}
 * divides its throughput by this, measured in the same run on the same disk.
 */
final class DiskLimit {
  static final String WHAT = "2 file writes with fsync, 3 renames, 1 link, 2 unlinks";

  private DiskLimit() {}

  /**
   * Settings per second over {@code n} settings (after 200 not counted) in a fresh folder {@code dir}, removed
   * afterwards.
   */
  static double settingsPerSecond(Path dir, int n) throws IOException {
    Path pending = Files.createDirectories(dir.resolve("pending"));
    Path claimed = Files.createDirectories(dir.resolve("claimed").resolve("w1"));
    Path results = Files.createDirectories(dir.resolve("results"));
    byte[] setting = new byte[700]; // about the size of a setting file, and of a one-epoch result
    Arrays.fill(setting, (byte) 'x');
    try {
      long start = 0;
      int warmUp = 200; // not counted: the loop's own code compiled first, as the bench's JVMs are
      for (int i = 0; i < warmUp + n; i++) {
        if (i == warmUp) {
          start = System.nanoTime();
        }
        String name = String.format("s%06d.json", i);
        Path tmp = pending.resolve(".tmp-" + name);
        write(tmp, setting);
        Files.move(tmp, pending.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(pending.resolve(name), claimed.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Path fence = claimed.resolve(name + ".publishing");
        Files.move(claimed.resolve(name), fence, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Path result = results.resolve(".tmp-" + name);
        write(result, setting);
        Files.createLink(results.resolve(name), result);
        Files.delete(result);
        Files.delete(fence);
      }
      return n / ((System.nanoTime() - start) / 1e9);
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }
}
