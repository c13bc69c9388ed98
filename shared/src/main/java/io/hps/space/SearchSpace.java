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
 * space decodes them; grid search enumerates {@link #grid()}. The file format is in PROTOCOL.md.
 */
public record SearchSpace(String name, String description, List<Parameter> parameters) {
  public static final int SCHEMA = 1;

  public SearchSpace {
    parameters = List.copyOf(parameters);
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

  /** Reads a space file; errors name the file and the field. */
  public static SearchSpace read(Path file) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new SpaceException(file + ": cannot read a search space: " + e.getMessage());
    }
    return parse(root, file.toString());
  }

  /** Reads a space from its JSON; {@code source} names it in errors. */
  public static SearchSpace parse(JsonNode root, String source) {
    return new SpaceReader(source).read(root);
  }

  /** Number of unit-cube coordinates a strategy draws for one point. */
  public int dimensions() {
    return (int) parameters.stream().filter(Parameter::searched).count();
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

  /** Number of grid points, without building them. */
  public long gridSize() {
    return grid().size();
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
    return new SearchSpace(this.name, description, list);
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

  /** Whether a parameter of that name is declared. */
  public boolean declares(String name) {
    return parameters.stream().anyMatch(p -> p.name().equals(name));
  }

  /** The space in its file format. */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode().put("schema", SCHEMA).put("name", name).put("description", description);
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
