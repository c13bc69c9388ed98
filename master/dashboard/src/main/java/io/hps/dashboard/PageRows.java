package io.hps.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings table a page was sent at its last few versions, so that a poll after a change gets only the rows
 * that differ ({@code /api/settings?since=V}): a study of 100,000 settings sends a page of 2,000 rows (570 kB),
 * of which one result changes one or two. A page that asks with a version no longer kept (or none) gets every row.
 */
final class PageRows {
  /** Versions kept: a page that polls twice a second is rarely more than one behind. */
  static final int KEPT = 16;

  private final Map<Long, Map<String, String>> byVersion = new LinkedHashMap<>();

  /**
   * The answer to a page that has the table of version {@code since} (-1: none): the version of {@code rows},
   * the ids of its rows in order, and the rows that page lacks or has otherwise; {@code since} is null when
   * every row is sent.
   */
  synchronized ObjectNode delta(long version, ArrayNode rows, long since) {
    Map<String, String> now = new LinkedHashMap<>();
    rows.forEach(r -> now.put(r.get("id").asText(), r.toString()));
    // a version's rows are a function of what it counts (StudyView's fingerprint): the first page of it stands
    byVersion.putIfAbsent(version, now);
    while (byVersion.size() > KEPT) {
      byVersion.remove(byVersion.keySet().iterator().next());
    }
    Map<String, String> had = since < 0 ? null : byVersion.get(since);
    boolean whole = had == null;
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("version", version);
    if (whole) {
      out.putNull("since");
    } else {
      out.put("since", since);
    }
    ArrayNode ids = out.putArray("ids");
    ArrayNode changed = out.putArray("rows");
    for (JsonNode r : rows) {
      String id = r.get("id").asText();
      ids.add(id);
      if (whole || !now.get(id).equals(had.get(id))) {
        changed.add(r);
      }
    }
    return out;
  }
}
