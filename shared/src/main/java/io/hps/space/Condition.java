package io.hps.space;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When a conditional parameter exists: every named categorical parent must be active and hold one of
 * the listed values. An empty condition always holds.
 */
public record Condition(Map<String, List<Object>> requires) {
  public static final Condition ALWAYS = new Condition(Map.of());

  public Condition {
    Map<String, List<Object>> copy = new LinkedHashMap<>();
    requires.forEach((parent, values) -> copy.put(parent, List.copyOf(values)));
    requires = Collections.unmodifiableMap(copy);
  }

  /** Whether the condition holds for the values decided so far. */
  public boolean holds(Map<String, Object> decided) {
    for (Map.Entry<String, List<Object>> entry : requires.entrySet()) {
      Object actual = decided.get(entry.getKey());
      if (actual == null || entry.getValue().stream().noneMatch(v -> Values.same(v, actual))) {
        return false;
      }
    }
    return true;
  }
}
