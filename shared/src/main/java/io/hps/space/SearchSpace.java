package io.hps.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hps.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a study, in file order. Strategies draw points in the unit cube of
 * {@link #dimensions()} coordinates (one per searched parameter, conditional ones included) and the
 * space decodes them; grid search enumerates {@link #grid()}. {@code command} is the program the
 * {@code command} trainer runs for each setting (empty when the space has none). The file format is in
 * the README.
 */
public record SearchSpace(String name, String description, List<String> command, List<Parameter> parameters) {
  public static final int SCHEMA = 1;

  public SearchSpace {
    parameters = List.copyOf(parameters);
    command = command == null ? List.of() : List.copyOf(command);
    for (String used : new CommandTemplate(command).names()) {
      // Every setting has a 'seed' (the master adds the study's seed plus the repeat), declared or not.
      if (!used.equals("seed") && parameters.stream().noneMatch(p -> p.name().equals(used))) {
        throw new SpaceException("'command' uses the placeholder {" + used + "}, but the space declares no parameter '"
            + used + "' (placeholders name the space's parameters, or {seed})");
      }
    }
    Map<String, Parameter> seen = new HashMap<>();
    for (Parameter p : parameters) {
      for (Map.Entry<String, List<Object>> req : p.when().requires().entrySet()) {
        Parameter parent = seen.get(req.getKey());
        if (parent == null) {
          throw new SpaceException("parameter '" + p.name() + "': 'when' names '" + req.getKey()
              + "', which must be declared before it");
        }
        if (parent instanceof Range) {
          throw new SpaceException("parameter '" + p.name() + "': 'when' needs a categorical or fixed parent, and '"
              + req.getKey() + "' is a range");
        }
        if (parent instanceof Categorical c) {
          for (Object v : req.getValue()) {
            if (c.values().stream().noneMatch(x -> Values.same(x, v))) {
              throw new SpaceException("parameter '" + p.name() + "': 'when' value " + Values.show(v)
                  + " is not one of " + req.getKey() + "'s values " + c.values());
            }
          }
        }
      }
      if (seen.put(p.name(), p) != null) {
        throw new SpaceException("parameter '" + p.name() + "' is declared twice");
      }
    }
  }

  public SearchSpace(String name, String description, List<Parameter> parameters) {
    this(name, description, List.of(), parameters);
  }

  /** The largest space file read. */
  public static final long MAX_FILE_BYTES = io.hps.study.Limits.STUDY;

  /** Reads a space file (a regular file of at most 1 MiB); errors name the file and the field. */
  public static SearchSpace read(Path file) {
    JsonNode root;
    try {
      if (!Files.exists(file)) {
        throw new SpaceException(file + ": no such file");
      }
      if (!Files.isRegularFile(file)) {
        throw new SpaceException(file + ": not a regular file (a search space is a JSON file)");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new SpaceException(file + ": " + Files.size(file) + " bytes; a search space file has at most "
            + MAX_FILE_BYTES + " (workers read study.json, which holds it, up to 1 MiB)");
      }
      root = Json.MAPPER.readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SpaceException(file + ": not valid JSON: " + Json.problem(e));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new SpaceException(file + ": cannot read a search space: not UTF-8 text (" + e.getMessage() + ")");
    } catch (IOException e) {
      // A disk error, not a bad file: callers that retry I/O errors (the master, under --io-patience) retry it.
      throw new java.io.UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return parse(root, file.toString());
  }

  /** Reads a space from its JSON; {@code source} names it in errors. */
  public static SearchSpace parse(JsonNode root, String source) {
    return new SpaceReader(source).read(root);
  }

  /** Number of unit-cube coordinates a strategy draws for one point. */
  public int dimensions() {
    int n = 0;
    for (Parameter p : parameters) { // a loop: encoding 100,000 results asks this of each
      if (p.searched()) {
        n++;
      }
    }
    return n;
  }

  /** Decodes a unit-cube point; coordinates of inactive conditional parameters are ignored. */
  public Params decode(double[] point) {
    if (point.length != dimensions()) {
      throw new IllegalArgumentException("point has " + point.length + " coordinates, space has " + dimensions());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    int d = 0;
    for (Parameter p : parameters) {
      double u = p.searched() ? point[d++] : 0;
      if (p.when().holds(values)) {
        values.put(p.name(), p.decode(u));
      }
    }
    return new Params(values);
  }

  /**
   * The unit-cube point of {@code params}: the inverse of {@link #decode} (a parameter the params lack,
   * an inactive conditional one, sits in the middle).
   */
  public double[] encode(Params params) {
    double[] point = new double[dimensions()];
    int d = 0;
    for (Parameter p : parameters) {
      if (p.searched()) {
        Object v = params.values().get(p.name());
        point[d++] = v == null ? 0.5 : p.encode(v);
      }
    }
    return point;
  }

  /**
   * Every combination of the parameters' grid values, each once, the last parameter varying fastest;
   * a conditional parameter multiplies only the branches where it exists.
   */
  public List<Params> grid() {
    List<Params> out = new ArrayList<>();
    expand(0, new LinkedHashMap<>(), out);
    return out;
  }

  private void expand(int index, LinkedHashMap<String, Object> decided, List<Params> out) {
    if (index == parameters.size()) {
      out.add(new Params(decided));
      return;
    }
    Parameter p = parameters.get(index);
    if (!p.when().holds(decided)) {
      expand(index + 1, decided, out);
      return;
    }
    for (Object value : p.grid()) {
      decided.put(p.name(), value);
      expand(index + 1, decided, out);
      decided.remove(p.name());
    }
  }

  /**
   * Number of grid points, counted without building them (saturating at {@code Long.MAX_VALUE}): only
   * the parameters that conditions refer to are branched on; the others multiply.
   */
  public long gridSize() {
    return count(0, new LinkedHashMap<>());
  }

  /**
   * Grid point {@code k} (0-based) in the order of {@link #grid()}, built alone: a grid of 10^24 points
   * costs nothing until a point is asked for.
   */
  public Params gridPoint(long k) {
    if (k < 0 || k >= gridSize()) {
      throw new IndexOutOfBoundsException("grid point " + k + " of " + gridSize());
    }
    LinkedHashMap<String, Object> decided = new LinkedHashMap<>();
    java.util.Set<String> parents = parents();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      if (!p.when().holds(decided)) {
        continue;
      }
      List<Object> values = p.grid();
      if (parents.contains(p.name())) {
        for (Object value : values) {
          decided.put(p.name(), value);
          long c = count(i + 1, decided);
          if (k < c) {
            break;
          }
          k -= c;
          decided.remove(p.name());
        }
      } else {
        long rest = count(i + 1, decided);
        decided.put(p.name(), values.get((int) (k / rest)));
        k %= rest;
      }
    }
    return new Params(decided);
  }

  private long count(int index, LinkedHashMap<String, Object> decided) {
    if (index == parameters.size()) {
      return 1;
    }
    Parameter p = parameters.get(index);
    if (!p.when().holds(decided)) {
      return count(index + 1, decided);
    }
    List<Object> values = p.grid();
    if (!parents().contains(p.name())) {
      return times(values.size(), count(index + 1, decided));
    }
    long total = 0;
    for (Object value : values) {
      decided.put(p.name(), value);
      total = plus(total, count(index + 1, decided));
      decided.remove(p.name());
    }
    return total;
  }

  /** Names that some parameter's condition refers to. */
  private java.util.Set<String> parents() {
    java.util.Set<String> out = new java.util.HashSet<>();
    parameters.forEach(p -> out.addAll(p.when().requires().keySet()));
    return out;
  }

  private static long times(long a, long b) {
    return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
  }

  private static long plus(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  /**
   * This space with {@code name} fixed to {@code value} (its condition kept), or with a new fixed
   * parameter appended when the space has no such name.
   */
  public SearchSpace with(String name, Object value) {
    List<Parameter> list = new ArrayList<>();
    boolean found = false;
    for (Parameter p : parameters) {
      if (p.name().equals(name)) {
        list.add(p.fixedTo(value));
        found = true;
      } else {
        list.add(p);
      }
    }
    if (!found) {
      list.add(new Fixed(name, value, Condition.ALWAYS));
    }
    return new SearchSpace(this.name, description, command, list);
  }

  /**
   * What is wrong with the form of a command-line {@code NAME=VALUE} (a missing {@code =}, a name that is not
   * a parameter name), or null when it has the form {@link #withSet} takes.
   */
  public static String assignmentProblem(String assignment) {
    int eq = assignment.indexOf('=');
    return eq > 0 && Params.NAME.matcher(assignment.substring(0, eq)).matches() ? null : "--set " + assignment
        + ": write NAME=VALUE (NAME: letters, digits and _, starting with a letter)";
  }

  /**
   * Applies a command-line {@code NAME=VALUE}: the value is a number or boolean when it reads as one,
   * else a string.
   */
  public SearchSpace withSet(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new SpaceException("--set " + assignment + ": write NAME=VALUE");
    }
    try {
      return with(assignment.substring(0, eq), Values.parse(assignment.substring(eq + 1)));
    } catch (SpaceException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new SpaceException("--set " + assignment + ": " + e.getMessage());
    }
  }

  /**
   * The trainer names the space's {@code model} can take, for a study to check before it starts. An error
   * when there is no {@code model} (a setting would have no trainer), when it is a numeric range, or when it
   * names the {@code command} trainer without a {@code command}.
   */
  public List<String> models() {
    Parameter model = parameters.stream().filter(p -> p.name().equals("model")).findFirst()
        .orElseThrow(() -> new SpaceException(name + ": the space has no 'model' parameter to pick the trainer of"
            + " each setting; add \"model\": \"synthetic\", \"cnn\", \"dense\", \"command\" or your own"
            + " trainer's name"));
    if (model instanceof Range) {
      throw new SpaceException(name + ": 'model' names a trainer: give it one name, or a list of names, not a range");
    }
    List<String> names = model.grid().stream().map(String::valueOf).toList();
    if (names.contains("command") && command.isEmpty()) {
      throw new SpaceException(name + ": 'model' is \"command\" but the space has no \"command\" to run: add"
          + " \"command\": [\"python3\", \"train.py\", \"--lr\", \"{lr}\"] beside \"parameters\"");
    }
    return names;
  }

  /**
   * How {@code given} differs from this space, one line per parameter that differs, with both declarations
   * ({@code 'epochSeconds' is 0.2 in study.json but missing from the space file}); empty when they are the same.
   * {@code mine} and {@code theirs} name the two in the lines.
   */
  public List<String> differences(SearchSpace given, String mine, String theirs) {
    return SpaceDiff.of(this, given, mine, theirs);
  }

  /** Whether a parameter of that name is declared. */
  public boolean declares(String name) {
    return parameters.stream().anyMatch(p -> p.name().equals(name));
  }

  /** The space in its file format. */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode().put("schema", SCHEMA).put("name", name).put("description", description);
    if (!command.isEmpty()) {
      ArrayNode words = root.putArray("command");
      command.forEach(words::add);
    }
    ObjectNode params = root.putObject("parameters");
    for (Parameter p : parameters) {
      params.set(p.name(), SpaceWriter.toJson(p));
    }
    return root;
  }

  static ArrayNode array(List<Object> values) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    values.forEach(v -> array.add(Json.MAPPER.valueToTree(v)));
    return array;
  }
}
