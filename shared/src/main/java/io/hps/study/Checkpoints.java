package io.hps.study;

import io.hps.json.Json;
import io.hps.protocol.CheckpointManifest;
import io.hps.protocol.Ids;
import io.hps.protocol.Resume;
import io.hps.protocol.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The study's {@code checkpoints/} folder. A worker gives its trainer an empty scratch directory
 * ({@code checkpoints/<id>/.tmp-...}), and once the trainer saved into it and training completed,
 * {@link #keep keeps} it: writes {@code checkpoint.json}, forces every file to disk and renames the
 * directory to {@code checkpoints/<id>/a<attempt>-<worker>}, so a checkpoint is whole or absent. A
 * promoted setting {@link #find finds} its parent's checkpoint by the path in its {@code resume}. The
 * master deletes a setting's folder once no proposal can continue it.
 */
public final class Checkpoints {
  private final StudyDirectory study;

  public Checkpoints(StudyDirectory study) {
    this.study = study;
  }

  /** A checkpoint to resume from, or why there is none. */
  public record Found(Path directory, String problem) {
    public boolean usable() {
      return directory != null;
    }
  }

  /** A new, empty directory for a trainer to save the state of {@code setting} into. */
  public Path scratch(Setting setting, String worker) throws IOException {
    Path folder = study.checkpoints().resolve(Ids.check("setting id", setting.id()));
    noLink(study.checkpoints());
    noLink(folder);
    Files.createDirectories(folder);
    noLink(study.checkpoints()); // made a link meanwhile: refuse rather than write elsewhere
    noLink(folder);
    return Files.createDirectory(folder.resolve(".tmp-a" + setting.attempt() + "-" + Ids.check("worker id", worker)
        + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong())));
  }

  /** Whether a trainer saved anything into {@code scratch}. */
  public static boolean saved(Path scratch) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(scratch)) {
      return entries.iterator().hasNext();
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  /**
   * Makes {@code scratch} the checkpoint of this attempt: writes its manifest ({@code epochs} trained),
   * forces it to disk and renames it into place (replacing what an earlier run of the same attempt left).
   * Returns its path relative to the study, as results name it.
   */
  public String keep(Path scratch, Setting setting, String worker, int epochs, Instant now) throws IOException {
    Files.write(scratch.resolve(CheckpointManifest.FILE), Json.MAPPER.writeValueAsBytes(
        new CheckpointManifest(1, setting.id(), setting.attempt(), worker, epochs, now)));
    forceTree(scratch);
    String name = nameOf(setting, worker);
    Path target = scratch.resolveSibling(name);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      // A run of this attempt that was handed back or lost its lease after saving: its state is not ours.
      Path old = scratch.resolveSibling(".tmp-old-" + name + "-" + Long.toHexString(ThreadLocalRandom.current()
          .nextLong()));
      DurableFiles.move(target, old);
      deleteTree(old);
    }
    if (!DurableFiles.move(scratch, target)) {
      throw new NoSuchFileException(scratch + " (the checkpoint being kept vanished)");
    }
    DurableFiles.syncDirectory(target.getParent());
    return pathOf(setting, worker);
  }

  /** The path, relative to the study, of the checkpoint {@code worker} keeps for this attempt of {@code setting}. */
  public static String pathOf(Setting setting, String worker) {
    return "checkpoints/" + setting.id() + "/" + nameOf(setting, worker);
  }

  private static String nameOf(Setting setting, String worker) {
    return "a" + setting.attempt() + "-" + worker;
  }

  /**
   * The checkpoint {@code setting}'s {@code resume} names, if it is there, whole, its parent's (in the
   * parent's folder, the lineage's parent), and what it says it is. No folder on the way may be a link.
   */
  public Found find(Setting setting) {
    Resume resume = setting.resume();
    Path dir = study.checkpoint(resume.path());
    String parent = setting.lineage() == null ? null : setting.lineage().parent();
    if (!resume.from().equals(parent) || !resume.path().startsWith("checkpoints/" + resume.from() + "/")) {
      return new Found(null, "checkpoint " + resume.path() + " is not one of the parent's ("
          + (parent == null ? "the setting has no parent" : "checkpoints/" + parent + "/") + ")");
    }
    try {
      for (Path p : List.of(study.checkpoints(), dir.getParent(), dir)) {
        if (Files.isSymbolicLink(p)) {
          return new Found(null, "checkpoint " + resume.path() + " is reached through a symbolic link ("
              + study.root().relativize(p) + "); not followed");
        }
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return new Found(null, "checkpoint " + resume.path() + " is missing");
      }
      Path file = dir.resolve(CheckpointManifest.FILE);
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return new Found(null, "checkpoint " + resume.path() + " has no " + CheckpointManifest.FILE + " (not whole)");
      }
      CheckpointManifest manifest = Json.MAPPER.readValue(DurableFiles.readSmall(file, Limits.SETTING),
          CheckpointManifest.class);
      if (!manifest.setting().equals(resume.from()) || manifest.epochs() != resume.epochs()) {
        return new Found(null, "checkpoint " + resume.path() + " is of " + manifest.setting() + " after "
            + manifest.epochs() + " epochs, not of " + resume.from() + " after " + resume.epochs());
      }
      String odd = oddEntry(dir);
      if (odd != null) {
        return new Found(null, "checkpoint " + resume.path() + " holds " + odd + "; not read");
      }
      return new Found(dir, null);
    } catch (IOException | RuntimeException e) {
      return new Found(null, "checkpoint " + resume.path() + " is unreadable (" + CheckpointManifest.FILE + ": "
          + e.getMessage() + ")");
    }
  }

  /**
   * The first entry of a checkpoint directory that a trainer must not open, in words (a FIFO would block its
   * reader forever, a link could lead anywhere, a device is no saved state), or null when every entry is a
   * regular file or a directory of such.
   */
  static String oddEntry(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() && !a.isDirectory()) {
          return dir.relativize(p) + ", which is " + (a.isSymbolicLink() ? "a symbolic link" : "not a regular file"
              + " (a FIFO, a socket or a device)");
        }
      }
    }
    return null;
  }

  /** Ids of the settings that have a folder (or anything else) under {@code checkpoints/}. */
  public List<String> settings() {
    List<String> ids = new ArrayList<>();
    if (Files.isSymbolicLink(study.checkpoints())) {
      return ids; // never listed through: the master leaves a linked checkpoints/ alone
    }
    for (String name : StudyDirectory.list(study.checkpoints())) {
      if (Ids.SAFE.matcher(name).matches() && !name.contains("..")) {
        ids.add(name);
      }
    }
    return ids;
  }

  /**
   * The checkpoint directories of setting {@code id} (temporary ones included), relative to the study;
   * none when its folder is not a directory of its own (a link is never listed through).
   */
  public List<String> of(String id) {
    Path folder = study.checkpoints().resolve(Ids.check("setting id", id));
    List<String> paths = new ArrayList<>();
    if (Files.isSymbolicLink(study.checkpoints()) || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return paths;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path p : entries) {
        paths.add("checkpoints/" + id + "/" + p.getFileName());
      }
    } catch (NoSuchFileException absent) {
      return paths;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    paths.sort(null);
    return paths;
  }

  /**
   * Deletes every checkpoint of setting {@code id} but {@code keep} (a path, or null: none). A folder
   * that is a symbolic link is removed as a link: what it points to is never touched.
   */
  public void dropAllBut(String id, String keep) throws IOException {
    Path folder = study.checkpoints().resolve(Ids.check("setting id", id));
    if (Files.isSymbolicLink(study.checkpoints())) {
      return;
    }
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(folder); // a link or a stray file: the entry itself
      return;
    }
    if (keep == null) {
      deleteTree(folder);
      return;
    }
    for (String path : of(id)) {
      if (!path.equals(keep)) {
        deleteTree(study.root().resolve(path));
      }
    }
  }

  private void noLink(Path p) throws IOException {
    if (Files.isSymbolicLink(p)) {
      throw new IOException(study.root().relativize(p) + " is a symbolic link: checkpoints are not written through"
          + " links");
    }
  }

  /** Bytes held under {@code checkpoints/}. */
  public long bytes() throws IOException {
    if (!Files.isDirectory(study.checkpoints())) {
      return 0;
    }
    long[] sum = {0};
    Files.walkFileTree(study.checkpoints(), new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        sum[0] += attrs.size();
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE; // deleted meanwhile
      }
    });
    return sum[0];
  }

  /** Deletes a directory tree without following links; one already gone is fine. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Forces every file of a tree, and its directories, to disk. */
  private static void forceTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        DurableFiles.syncDirectory(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
