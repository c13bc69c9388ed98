package io.hps.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one search space differs from another, in words a user can act on: which parameters are missing,
 * extra or declared otherwise (with both declarations, in the space-file format), and whether the command
 * or the order of the parameters differ (points are decoded in parameter order).
 */
final class SpaceDiff {
  private SpaceDiff() {}

  /** The differences of {@code given} from {@code stored}; empty when they are the same space. */
  static List<String> of(SearchSpace stored, SearchSpace given, String storedName, String givenName) {
    List<String> out = new ArrayList<>();
    Map<String, Parameter> a = byName(stored);
    Map<String, Parameter> b = byName(given);
    Set<String> names = new LinkedHashSet<>(a.keySet());
    names.addAll(b.keySet());
    for (String name : names) {
      Parameter was = a.get(name);
      Parameter is = b.get(name);
      if (was == null) {
        out.add("'" + name + "' is missing from " + storedName + " but " + shown(is) + " from " + givenName);
      } else if (is == null) {
        out.add("'" + name + "' is " + shown(was) + " in " + storedName + " but missing from " + givenName);
      } else if (!was.equals(is)) {
        out.add("'" + name + "' is " + shown(was) + " in " + storedName + " but " + shown(is) + " from " + givenName);
      }
    }
    if (out.isEmpty() && !stored.parameters().equals(given.parameters())) {
      out.add("the parameters are in another order (" + storedName + ": " + String.join(", ", a.keySet()) + "; "
          + givenName + ": " + String.join(", ", b.keySet()) + ")");
    }
    if (!stored.command().equals(given.command())) {
      out.add("'command' is " + stored.command() + " in " + storedName + " but " + given.command() + " from "
          + givenName);
    }
    return out;
  }

  private static Map<String, Parameter> byName(SearchSpace space) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    space.parameters().forEach(p -> out.put(p.name(), p));
    return out;
  }

  private static String shown(Parameter p) {
    return SpaceWriter.toJson(p).toString();
  }
}
