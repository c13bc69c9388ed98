package io.hps.space;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the JSON of a space file into parameters, with errors that name the file and the field. */
final class SpaceReader {
  private static final Set<String> TOP = Set.of("schema", "name", "description", "command", "parameters");
  private static final Set<String> KEYS = Set.of("type", "low", "high", "log", "grid", "steps", "values", "value",
      "when", "description");

  private final String source;

  SpaceReader(String source) {
    this.source = source;
  }

  SearchSpace read(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw error("the file must hold a JSON object with a \"parameters\" object");
    }
    root.fieldNames().forEachRemaining(key -> {
      if (!TOP.contains(key)) {
        throw error("unknown field '" + key + "' (allowed: " + TOP + ")");
      }
    });
    JsonNode schema = root.get("schema");
    if (schema != null && (!schema.canConvertToInt() || schema.asInt() != SearchSpace.SCHEMA)) {
      throw error("'schema' is " + schema + "; this version reads schema " + SearchSpace.SCHEMA);
    }
    JsonNode parameters = root.get("parameters");
    if (parameters == null || !parameters.isObject() || parameters.isEmpty()) {
      throw error("'parameters' must be a non-empty object of name: value or name: {\"type\": ...}");
    }
    List<Parameter> list = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = parameters.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      try {
        list.add(parameter(field.getKey(), field.getValue()));
      } catch (IllegalArgumentException e) {
        throw error("parameter '" + field.getKey() + "': " + e.getMessage());
      }
    }
    List<String> command = command(root.get("command"));
    try {
      return new SearchSpace(text(root, "name", ""), text(root, "description", ""), command, list);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  private Parameter parameter(String name, JsonNode node) {
    if (!Params.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("names use letters, digits and _, starting with a letter");
    }
    if (node.isValueNode()) {
      return new Fixed(name, scalar(node), Condition.ALWAYS);
    }
    if (node.isArray()) {
      return new Categorical(name, scalars(node, "the value list"), Condition.ALWAYS);
    }
    node.fieldNames().forEachRemaining(key -> {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown field '" + key + "' (allowed: " + KEYS + ")");
      }
    });
    Condition when = condition(node.get("when"));
    String type = text(node, "type", null);
    if (type == null) {
      throw new IllegalArgumentException("needs a 'type': fixed, uniform, loguniform, int or categorical");
    }
    switch (type) {
      case "fixed":
        require(node, "value");
        return new Fixed(name, scalar(node.get("value")), when);
      case "categorical":
        require(node, "values");
        return new Categorical(name, scalars(node.get("values"), "'values'"), when);
      case "uniform":
      case "loguniform":
      case "int":
        require(node, "low");
        require(node, "high");
        Range.Kind kind = Range.Kind.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        boolean log = node.has("log") && bool(node.get("log"), "'log'");
        List<Object> grid = node.has("grid") ? scalars(node.get("grid"), "'grid'") : List.of();
        int steps = node.has("steps") ? integer(node.get("steps"), "'steps'") : 0;
        return new Range(name, kind, number(node.get("low"), "'low'"), number(node.get("high"), "'high'"), log, grid,
            steps, when);
      default:
        throw new IllegalArgumentException("unknown type '" + type
            + "' (use fixed, uniform, loguniform, int or categorical)");
    }
  }

  /** The {@code command} trainer's program and arguments: a non-empty list of strings. */
  private List<String> command(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      throw error("'command' must be a non-empty list of strings, the program first: [\"python3\", \"train.py\","
          + " \"--lr\", \"{lr}\"]");
    }
    List<String> words = new ArrayList<>();
    for (JsonNode word : node) {
      if (!word.isTextual()) {
        throw error("'command' must list strings; " + word + " is not one (quote numbers: \"" + word + "\")");
      }
      words.add(word.asText());
    }
    if (words.get(0).isBlank()) {
      throw error("'command' starts with the program to run, not an empty string");
    }
    return words;
  }

  private Condition condition(JsonNode node) {
    if (node == null) {
      return Condition.ALWAYS;
    }
    if (!node.isObject() || node.isEmpty()) {
      throw new IllegalArgumentException("'when' must be an object such as {\"optimizer\": \"adam\"}");
    }
    Map<String, List<Object>> requires = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> requires.put(e.getKey(),
        e.getValue().isArray() ? scalars(e.getValue(), "'when." + e.getKey() + "'") : List.of(scalar(e.getValue()))));
    return new Condition(requires);
  }

  private static void require(JsonNode node, String key) {
    if (!node.has(key)) {
      throw new IllegalArgumentException("type '" + node.get("type").asText() + "' needs '" + key + "'");
    }
  }

  private static Object scalar(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    throw new IllegalArgumentException("values must be strings, numbers or booleans, not " + node);
  }

  private static List<Object> scalars(JsonNode node, String what) {
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(what + " must be a non-empty list");
    }
    List<Object> values = new ArrayList<>();
    node.forEach(v -> values.add(scalar(v)));
    return values;
  }

  private static double number(JsonNode node, String what) {
    if (!node.isNumber()) {
      throw new IllegalArgumentException(what + " must be a number, not " + node);
    }
    return node.asDouble();
  }

  private static int integer(JsonNode node, String what) {
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new IllegalArgumentException(what + " must be an integer, not " + node);
    }
    return node.asInt();
  }

  private static boolean bool(JsonNode node, String what) {
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(what + " must be true or false, not " + node);
    }
    return node.asBoolean();
  }

  private static String text(JsonNode node, String key, String fallback) {
    JsonNode value = node.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + key + "' must be a string, not " + value);
    }
    return value.asText();
  }

  private SpaceException error(String message) {
    return new SpaceException(source + ": " + message);
  }
}
