package io.hps.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hps.json.Json;

/** Writes a parameter back in the space-file format, shortest form first. */
final class SpaceWriter {
  private SpaceWriter() {}

  static JsonNode toJson(Parameter p) {
    boolean always = p.when().requires().isEmpty();
    if (p instanceof Fixed f && always) {
      return Json.MAPPER.valueToTree(f.value());
    }
    if (p instanceof Categorical c && always) {
      return SearchSpace.array(c.values());
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (p instanceof Fixed f) {
      node.put("type", "fixed").set("value", Json.MAPPER.valueToTree(f.value()));
    } else if (p instanceof Categorical c) {
      node.put("type", "categorical").set("values", SearchSpace.array(c.values()));
    } else if (p instanceof Range r) {
      node.put("type", r.kind().json);
      if (r.kind() == Range.Kind.INT) {
        node.put("low", (long) r.low()).put("high", (long) r.high());
      } else {
        node.put("low", r.low()).put("high", r.high());
      }
      if (r.log() && r.kind() == Range.Kind.INT) {
        node.put("log", true);
      }
      if (!r.gridValues().isEmpty()) {
        node.set("grid", SearchSpace.array(r.gridValues()));
      }
      if (r.steps() > 0) {
        node.put("steps", r.steps());
      }
    }
    if (!always) {
      ObjectNode when = node.putObject("when");
      p.when().requires().forEach((parent, values) ->
          when.set(parent, values.size() == 1 ? Json.MAPPER.valueToTree(values.get(0)) : SearchSpace.array(values)));
    }
    return node;
  }
}
