package io.hps.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads IDX files (the MNIST format), raw or gzip-compressed. */
final class Idx {
  private Idx() {}

  static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** Images {@code [from, from + count)} of an idx3 file as floats in [0, 1], row-major. */
  static float[] images(Path file, int from, int count) throws IOException {
    try (DataInputStream in = new DataInputStream(open(file))) {
      int magic = in.readInt();
      if (magic != 0x00000803) {
        throw new IOException(file + " is not an IDX image file (magic " + Integer.toHexString(magic) + ")");
      }
      int n = in.readInt();
      int pixels = in.readInt() * in.readInt();
      check(file, n, from, count);
      in.skipNBytes((long) from * pixels);
      byte[] raw = new byte[count * pixels];
      in.readFully(raw);
      float[] out = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        out[i] = (raw[i] & 0xff) / 255f;
      }
      return out;
    } catch (EOFException e) {
      throw new IOException(file + " is truncated", e);
    }
  }

  /** Labels {@code [from, from + count)} of an idx1 file. */
  static int[] labels(Path file, int from, int count) throws IOException {
    try (DataInputStream in = new DataInputStream(open(file))) {
      int magic = in.readInt();
      if (magic != 0x00000801) {
        throw new IOException(file + " is not an IDX label file (magic " + Integer.toHexString(magic) + ")");
      }
      int n = in.readInt();
      check(file, n, from, count);
      in.skipNBytes(from);
      byte[] raw = new byte[count];
      in.readFully(raw);
      int[] out = new int[count];
      for (int i = 0; i < count; i++) {
        out[i] = raw[i] & 0xff;
      }
      return out;
    } catch (EOFException e) {
      throw new IOException(file + " is truncated", e);
    }
  }

  /** Number of items an IDX file declares. */
  static int count(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(open(file))) {
      in.readInt();
      return in.readInt();
    }
  }

  private static void check(Path file, int n, int from, int count) throws IOException {
    if (from < 0 || count < 0 || (long) from + count > n) {
      throw new IOException(file + " holds " + n + " items; asked for " + from + ".." + (from + count));
    }
  }
}
