package io.hps.worker;

import io.hps.trainer.Trainer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The trainers a worker can run, by model name: every {@link Trainer} that {@link ServiceLoader} finds in
 * a class loader (the worker's own class path, the built-in DL4J plug-in, the user's jars), each with where
 * it came from. A name declared twice is an error; an unknown name is an error that lists what was found.
 */
public final class TrainerRegistry {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /** A trainer and where its class came from (a jar file or a class directory). */
  public record Found(Trainer trainer, String source) {}

  private final Map<String, Found> byModel;

  private TrainerRegistry(Map<String, Found> byModel) {
    this.byModel = Collections.unmodifiableMap(new TreeMap<>(byModel));
  }

  /** Every trainer {@code loader} can see through {@code META-INF/services/io.hps.trainer.Trainer}. */
  public static TrainerRegistry load(ClassLoader loader) {
    Map<String, Found> found = new LinkedHashMap<>();
    ServiceLoader<Trainer> services = ServiceLoader.load(Trainer.class, loader);
    var it = services.iterator();
    while (true) {
      Trainer trainer;
      try {
        if (!it.hasNext()) {
          break;
        }
        trainer = it.next();
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException("a trainer could not be loaded: " + e.getMessage()
            + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), e);
      }
      add(found, trainer, sourceOf(trainer.getClass()));
    }
    return new TrainerRegistry(found);
  }

  /** A registry of exactly these trainers (the library's objective, a test's fakes), from {@code source}. */
  public static TrainerRegistry of(String source, Trainer... trainers) {
    Map<String, Found> found = new LinkedHashMap<>();
    for (Trainer t : trainers) {
      add(found, t, source);
    }
    return new TrainerRegistry(found);
  }

  /** This registry and one more trainer (the study's command trainer, a test's fake). */
  public TrainerRegistry with(Trainer trainer, String source) {
    Map<String, Found> more = new LinkedHashMap<>(byModel);
    add(more, trainer, source);
    return new TrainerRegistry(more);
  }

  /** The trainer of {@code model}; an error that lists the known models when there is none. */
  public Trainer find(String model) {
    Found f = byModel.get(model);
    if (f == null) {
      throw new IllegalArgumentException("unknown model '" + model + "'; this worker has " + describe()
          + ". Add your trainer's jar with --classpath (or HPS_CLASSPATH)");
    }
    return f.trainer();
  }

  /** Whether a trainer of that name is known. */
  public boolean has(String model) {
    return byModel.containsKey(model);
  }

  /** The model names, sorted. */
  public List<String> models() {
    return List.copyOf(byModel.keySet());
  }

  /**
   * How a space suits the trainers here: for each model it names, the parameters its trainer does not read
   * or cannot take ({@code problems}; the protocol's own, such as {@code epochs}, are the study's to check),
   * and the models no trainer here declares ({@code missing}; the
   * {@code command} trainer is built into every worker).
   */
  public record SpaceCheck(List<String> problems, List<String> missing) {
    public SpaceCheck {
      problems = List.copyOf(problems);
      missing = List.copyOf(missing);
    }
  }

  /** Checks {@code space} against the parameters its models' trainers declare (see {@link SpaceCheck}). */
  public SpaceCheck check(io.hps.space.SearchSpace space) {
    List<String> problems = new java.util.ArrayList<>();
    List<String> missing = new java.util.ArrayList<>();
    for (String model : space.models()) {
      Found found = byModel.get(model);
      if (found == null) {
        if (!model.equals(io.hps.command.CommandTrainer.MODEL)) {
          missing.add(model);
        }
        continue;
      }
      found.trainer().parameters().problems(space, model).stream()
          .filter(p -> !problems.contains(p)).forEach(problems::add);
    }
    return new SpaceCheck(problems, missing);
  }

  /** "cnn (hps-dl4j.jar), synthetic (hps-worker.jar)": for errors and logs. */
  public String describe() {
    if (byModel.isEmpty()) {
      return "no trainers at all";
    }
    return byModel.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue().source() + ")")
        .collect(Collectors.joining(", "));
  }

  private static void add(Map<String, Found> found, Trainer trainer, String source) {
    String model = trainer.model();
    if (model == null || !NAME.matcher(model).matches()) {
      throw new IllegalStateException(trainer.getClass().getName() + " in " + source + " declares the model name '"
          + model + "': use letters, digits, '-', '_' and '.'");
    }
    Found before = found.get(model);
    if (before != null) {
      throw new IllegalStateException("model '" + model + "' is declared twice: by "
          + before.trainer().getClass().getName() + " in " + before.source() + " and by "
          + trainer.getClass().getName() + " in " + source + "; remove one of them from the class path");
    }
    found.put(model, new Found(trainer, source));
  }

  /** The jar or directory a class was loaded from, for messages. */
  static String sourceOf(Class<?> type) {
    try {
      var location = type.getProtectionDomain().getCodeSource().getLocation();
      return Path.of(location.toURI()).toString();
    } catch (Exception | Error unknown) {
      return "unknown location";
    }
  }
}
