package io.hps.trainer;

import io.hps.space.Categorical;
import io.hps.space.Fixed;
import io.hps.space.Parameter;
import io.hps.space.Params;
import io.hps.space.Range;
import io.hps.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters a trainer reads ({@link Trainer#parameters()}), each declared once with its allowed values
 * and default. They check a search space before a study starts ({@link #problems(SearchSpace, String)}) and
 * a setting before it trains ({@link #problems(Params)}): a name the trainer does not read (a typo such as
 * {@code learningRate}) or a value it cannot use is an error, never a silent default. The trainer reads its
 * values through {@link #getInt}, {@link #getDouble} and {@link #getString}, which supply the declared
 * defaults. {@link #PROTOCOL} ({@code model}, {@code epochs}, {@code seed}) applies to every trainer and needs
 * no declaring. {@link #UNDECLARED} (a trainer written before declarations existed, a program that reads
 * whatever it likes) accepts any name.
 */
public final class TrainerParameters {
  /** The protocol's own parameters, which every setting may have whatever its trainer. */
  public static final TrainerParameters PROTOCOL = new TrainerParameters(true, List.of(
      TrainerParameter.text("model", null, "the trainer that evaluates a setting"),
      TrainerParameter.integer("epochs", 1, 1_000_000, null, "the number of epochs to train"),
      TrainerParameter.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE, null, "the training seed")));

  /** A trainer that does not say what it reads: every name and value is accepted. */
  public static final TrainerParameters UNDECLARED = new TrainerParameters(false, List.of());

  private final boolean declared;
  private final Map<String, TrainerParameter> byName = new LinkedHashMap<>();

  private TrainerParameters(boolean declared, List<TrainerParameter> parameters) {
    this.declared = declared;
    for (TrainerParameter p : parameters) {
      if (byName.put(p.name(), p) != null) {
        throw new IllegalArgumentException("parameter '" + p.name() + "' is declared twice");
      }
    }
  }

  /** A trainer's parameters (besides {@link #PROTOCOL}'s, which it may declare again to give defaults). */
  public static TrainerParameters of(TrainerParameter... parameters) {
    return new TrainerParameters(true, List.of(parameters));
  }

  /** Whether the trainer declared what it reads (false: any name is accepted). */
  public boolean declared() {
    return declared;
  }

  /** The declared parameters, in declaration order. */
  public List<TrainerParameter> list() {
    return List.copyOf(byName.values());
  }

  /** The declaration of {@code name}: the trainer's own, else the protocol's. */
  public Optional<TrainerParameter> find(String name) {
    TrainerParameter own = byName.get(name);
    return own != null ? Optional.of(own) : Optional.ofNullable(PROTOCOL.byName.get(name));
  }

  /**
   * What is wrong with {@code space} for the trainer of {@code model}: names it does not read, values it
   * cannot take (a range reaching past the allowed values, a fractional range for a whole number, a
   * category it does not know). Parameters that exist only for another model ({@code "when": {"model":
   * ...}}) are not its business. Empty when the space suits it.
   */
  public List<String> problems(SearchSpace space, String model) {
    List<String> out = new ArrayList<>();
    for (Parameter p : space.parameters()) {
      List<Object> models = p.when().requires().get("model");
      if (models != null && models.stream().noneMatch(m -> m.equals(model))) {
        continue;
      }
      if (PROTOCOL.byName.containsKey(p.name()) && !byName.containsKey(p.name())) {
        continue; // the study checks these for every trainer: protocolProblems
      }
      Optional<TrainerParameter> d = find(p.name());
      if (d.isEmpty()) {
        if (declared) {
          out.add(unknown(p.name(), model));
        }
        continue;
      }
      String wrong = check(p, d.get());
      if (wrong != null) {
        out.add("parameter '" + p.name() + "' " + wrong);
      }
    }
    return out;
  }

  /**
   * What is wrong with the protocol's own parameters in {@code space} ({@code epochs} a whole number of at least
   * 1, {@code seed} a whole number), whatever trainers run it: checked for every study.
   */
  public static List<String> protocolProblems(SearchSpace space) {
    List<String> out = new ArrayList<>();
    for (Parameter p : space.parameters()) {
      TrainerParameter d = PROTOCOL.byName.get(p.name());
      String wrong = d == null ? null : check(p, d);
      if (wrong != null) {
        out.add("parameter '" + p.name() + "' (" + d.meaning() + ") " + wrong);
      }
    }
    return out;
  }

  /** What is wrong with one setting's values for this trainer; empty when nothing is. */
  public List<String> problems(Params params) {
    List<String> out = new ArrayList<>();
    String model = params.has("model") ? params.getString("model") : "?";
    params.values().forEach((name, value) -> {
      Optional<TrainerParameter> d = find(name);
      if (d.isEmpty()) {
        if (declared) {
          out.add(unknown(name, model));
        }
      } else if (d.get().check(value) != null) {
        out.add("parameter '" + name + "' " + d.get().check(value));
      }
    });
    return out;
  }

  /** A whole-number parameter's value, or its declared default. */
  public int getInt(Params params, String name) {
    return params.has(name) ? params.getInt(name) : ((Number) fallback(name)).intValue();
  }

  /** A whole-number parameter's value as a long, or its declared default. */
  public long getLong(Params params, String name) {
    if (!params.has(name)) {
      return ((Number) fallback(name)).longValue();
    }
    double d = params.getDouble(name);
    if (d != Math.rint(d)) {
      throw new IllegalArgumentException("parameter '" + name + "' must be a whole number, not " + d);
    }
    return (long) d;
  }

  /** A numeric parameter's value, or its declared default. */
  public double getDouble(Params params, String name) {
    return params.has(name) ? params.getDouble(name) : ((Number) fallback(name)).doubleValue();
  }

  /** A string parameter's value, or its declared default. */
  public String getString(Params params, String name) {
    return params.has(name) ? params.getString(name) : String.valueOf(fallback(name));
  }

  private Object fallback(String name) {
    TrainerParameter d = byName.get(name);
    if (d == null) {
      throw new IllegalArgumentException("parameter '" + name + "' is not declared by this trainer");
    }
    if (d.defaultValue() == null) {
      throw new IllegalArgumentException("parameter '" + name + "' (" + d.meaning() + ") is missing, and it has no"
          + " default: set it in the space");
    }
    return d.defaultValue();
  }

  /** What a space's parameter draws that the declaration does not allow, or null. */
  private static String check(Parameter p, TrainerParameter d) {
    if (p instanceof Fixed f) {
      return d.check(f.value());
    }
    if (p instanceof Categorical c) {
      for (Object v : c.values()) {
        String wrong = d.check(v);
        if (wrong != null) {
          return wrong;
        }
      }
      return null;
    }
    Range r = (Range) p;
    if (d.type() != TrainerParameter.Type.INTEGER && d.type() != TrainerParameter.Type.REAL) {
      return "must be " + d.allowed() + ", not a numeric range";
    }
    if (d.type() == TrainerParameter.Type.INTEGER && r.kind() != Range.Kind.INT) {
      return "must be a whole number, but the space draws it from a " + r.kind().name().toLowerCase(
          java.util.Locale.ROOT) + " range: use {\"type\": \"int\", ...}";
    }
    String low = d.check(r.kind() == Range.Kind.INT ? (Object) (long) r.low() : (Object) r.low());
    String high = d.check(r.kind() == Range.Kind.INT ? (Object) (long) r.high() : (Object) r.high());
    if (low != null || high != null) {
      return "must be " + d.allowed() + ", but the space draws it from [" + TrainerParameter.number(r.low()) + ", "
          + TrainerParameter.number(r.high()) + "]";
    }
    return null;
  }

  private String unknown(String name, String model) {
    List<String> names = new ArrayList<>(byName.keySet());
    PROTOCOL.byName.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
    String near = names.stream().filter(n -> io.hps.space.Typos.close(name, n)).findFirst()
        .map(n -> "; did you mean '" + n + "'?").orElse("");
    return "parameter '" + name + "' is not read by the trainer '" + model + "', which reads " + String.join(", ",
        names) + near;
  }
}
