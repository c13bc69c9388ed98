package io.hps.cli;

import io.hps.worker.Plugins;
import io.hps.worker.TrainerRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --classpath}: jars (or class directories) with the user's own trainers, for {@code worker},
 * {@code run}, {@code scenario} and {@code slurm submit}; {@code HPS_CLASSPATH} adds more. The built-in
 * DL4J trainers come from the {@code hps.plugins} system property, which the {@code hps} launcher sets.
 */
final class PluginOptions {
  /** The system property with the built-in plug-ins' class path (entries, or {@code @FILE}). */
  static final String BUILT_IN = "hps.plugins";

  @Option(names = "--classpath", paramLabel = "JAR[:JAR...]", split = ":",
      description = {"Jars or class directories with your own trainers (found through META-INF/services/",
          "io.hps.trainer.Trainer); repeatable. HPS_CLASSPATH adds more."})
  List<Path> classpath = new ArrayList<>();

  /** The user's entries, absolute: {@code --classpath}, then {@code HPS_CLASSPATH}. */
  List<Path> user() throws IOException {
    Set<Path> entries = new LinkedHashSet<>();
    for (Path p : classpath) {
      entries.add(p.toAbsolutePath().normalize());
    }
    for (Path p : Plugins.parse(System.getenv("HPS_CLASSPATH"))) {
      entries.add(p.toAbsolutePath().normalize());
    }
    return List.copyOf(entries);
  }

  /** Every trainer this JVM can run: its own, the built-in plug-ins and the user's jars. */
  TrainerRegistry registry() throws IOException {
    List<Path> all = new ArrayList<>(Plugins.parse(System.getProperty(BUILT_IN)));
    all.addAll(user());
    return TrainerRegistry.load(Plugins.loader(all, Hps.class.getClassLoader()));
  }

  /** The arguments that give a worker process the same jars. */
  List<String> workerArgs() throws IOException {
    List<Path> user = user();
    if (user.isEmpty()) {
      return List.of();
    }
    return List.of("--classpath", String.join(java.io.File.pathSeparator, user.stream().map(Path::toString).toList()));
  }
}
