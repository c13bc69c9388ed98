package io.hps.study;

import io.hps.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * File operations the protocol relies on. Writers never expose a half-written file: they write a
 * dot-prefixed temporary file in the same directory, force it to disk, then rename or link it into
 * place. Readers refuse symbolic links, non-regular files and files over a size limit.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** Writes {@code value} as JSON to {@code target} atomically and durably (the directory too if asked). */
  public static void writeJson(Path target, Object value, boolean syncDirectory) throws IOException {
    replace(target, value, true);
    if (syncDirectory) {
      syncDirectory(target.getParent());
    }
  }

  /**
   * Replaces {@code target} atomically; readers see the old or the new file, never a torn one. With
   * {@code force} false the data is not forced to disk: for informative files such as heartbeats.
   */
  public static void replace(Path target, Object value, boolean force) throws IOException {
    Path tmp = writeTemp(target.getParent(), target.getFileName().toString(), Json.MAPPER.writeValueAsBytes(value),
        force);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp); // moved: nothing left to delete (a lookup saved per write on a shared disk)
      throw e;
    }
  }

  /**
   * Publishes {@code value} as {@code target} only if no file of that name exists, by hard-linking a
   * durable temporary file: returns false, writing nothing, when {@code target} already exists.
   */
  public static boolean publishOnce(Path target, Object value) throws IOException {
    Path dir = target.getParent();
    Path tmp = writeTemp(dir, target.getFileName().toString(), Json.MAPPER.writeValueAsBytes(value), true);
    try {
      Files.createLink(target, tmp);
    } catch (FileAlreadyExistsException taken) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
    return true;
  }

  /** Moves a file by atomic rename; false when the source is gone (someone else moved it first). */
  public static boolean move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException gone) {
      if (Files.exists(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        // The source is there: the error was not "someone else moved it" (a flaky shared disk); try again.
        throw new IOException("renaming " + from + " failed with 'no such file' although it exists", gone);
      }
      return false;
    } catch (AtomicMoveNotSupportedException e) {
      // EXDEV. Within one study directory it is either a flaky disk (retried under --io-patience) or
      // a study spread over two filesystems, which persists; the message says which to check.
      throw new IOException("cannot rename atomically from " + from + " to " + to
          + " (if this persists, the study directory spans two filesystems: it must be one)", e);
    }
  }

  /** Forces a directory's entries to disk, so that renames and links into it survive a crash. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }

  /** Reads a regular file of at most {@code maxBytes}, refusing links and larger files. */
  public static String readSmall(Path file, long maxBytes) throws IOException {
    return new String(readSmallBytes(file, maxBytes), StandardCharsets.UTF_8);
  }

  /** {@link #readSmall}'s bytes, not decoded. */
  public static byte[] readSmallBytes(Path file, long maxBytes) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      throw new BadFileException("is a symbolic link");
    }
    if (!attributes.isRegularFile()) {
      throw new BadFileException("is not a regular file");
    }
    if (attributes.size() > maxBytes) {
      throw new BadFileException("is " + attributes.size() + " bytes, over the limit of " + maxBytes);
    }
    try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      // sized by what the file held a moment ago; a file that shrank meanwhile is cut, one that grew read on
      byte[] bytes = new byte[(int) attributes.size()];
      int n = in.readNBytes(bytes, 0, bytes.length);
      if (n < bytes.length) {
        return java.util.Arrays.copyOf(bytes, n);
      }
      int next = in.read();
      if (next < 0) {
        return bytes;
      }
      byte[] rest = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes - n));
      if (n + 1 + rest.length > maxBytes) {
        throw new BadFileException("grew over the limit of " + maxBytes + " bytes");
      }
      byte[] all = java.util.Arrays.copyOf(bytes, n + 1 + rest.length);
      all[n] = (byte) next;
      System.arraycopy(rest, 0, all, n + 1, rest.length);
      return all;
    }
  }

  private static Path writeTemp(Path dir, String name, byte[] bytes, boolean force) throws IOException {
    Path tmp = dir.resolve(".tmp-" + name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        if (channel.write(buffer) == 0) {
          throw new IOException("no space left to write " + tmp);
        }
      }
      if (force) {
        channel.force(true);
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }
}
