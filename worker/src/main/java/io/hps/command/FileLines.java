package io.hps.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines appended to a file since the last look, numbered from 1. A line counts once it ends with a
 * newline, or when the writer has ended ({@code last}). Reads with plain {@link RandomAccessFile}, which
 * an interrupt does not close.
 */
final class FileLines {
  /** One line and its number in the file. */
  record Line(int number, String text) {}

  private final Path file;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long offset;
  private int count;

  FileLines(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The lines completed since the last call; with {@code last}, an unfinished last line too. */
  List<Line> next(boolean last) throws IOException {
    List<Line> lines = new ArrayList<>();
    if (Files.exists(file)) {
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        long length = in.length();
        if (length < offset) {
          throw new IllegalStateException(file + " shrank while the program ran: append epoch lines, never rewrite"
              + " the file");
        }
        in.seek(offset);
        byte[] buffer = new byte[(int) Math.min(length - offset, 1 << 20)];
        in.readFully(buffer);
        offset += buffer.length;
        for (byte b : buffer) {
          if (b == '\n') {
            lines.add(new Line(++count, partial.toString(StandardCharsets.UTF_8).stripTrailing()));
            partial.reset();
          } else {
            partial.write(b);
          }
        }
      }
    }
    if (last && partial.size() > 0) {
      lines.add(new Line(++count, partial.toString(StandardCharsets.UTF_8).stripTrailing()));
      partial.reset();
    }
    return lines;
  }
}
