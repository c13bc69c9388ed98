package io.hps.worker;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class loader of a worker's trainers: the worker's own classes, plus plug-in jars (hps's DL4J
 * trainers, the user's own model). The parent comes first, so the trainer API is shared and a plug-in
 * that bundles a second copy of hps's jars does no harm.
 */
public final class Plugins {
  private Plugins() {}

  /**
   * Parses a class path: entries separated by the platform's separator ({@code :}); an entry {@code @FILE}
   * stands for the class path written in FILE (as Maven's build-classpath writes one). Empty entries are
   * skipped.
   */
  public static List<Path> parse(String classpath) throws IOException {
    List<Path> entries = new ArrayList<>();
    if (classpath == null) {
      return entries;
    }
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      String e = entry.strip();
      if (e.isEmpty()) {
        continue;
      }
      if (e.startsWith("@")) {
        Path file = Path.of(e.substring(1));
        if (!Files.isRegularFile(file)) {
          throw new NoSuchFileException(file + " (a class-path file named by @" + file + "; build the project with"
              + " ./mvnw package)");
        }
        entries.addAll(parse(Files.readString(file).strip()));
      } else {
        entries.add(Path.of(e));
      }
    }
    return entries;
  }

  /**
   * A loader that sees {@code entries} (jars or class directories) after {@code parent}; {@code parent}
   * itself when there are none. A missing entry is an error that names it.
   */
  public static ClassLoader loader(List<Path> entries, ClassLoader parent) throws IOException {
    Set<URL> urls = new LinkedHashSet<>();
    for (Path entry : entries) {
      if (!Files.exists(entry)) {
        throw new NoSuchFileException(entry + " (given to --classpath or HPS_CLASSPATH: no such jar or directory)");
      }
      try {
        urls.add(entry.toAbsolutePath().normalize().toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IOException("cannot use " + entry + " as a class-path entry: " + e.getMessage(), e);
      }
    }
    return urls.isEmpty() ? parent : new URLClassLoader("hps-plugins", urls.toArray(URL[]::new), parent);
  }
}
