package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a batch's proposals were computed from, so that {@code hps verify} can compute them again: the
 * version of hps and the study's strategy, seed and settings (a digest of {@code study.json} as the master
 * read it), the point the seed stream stood at ({@code first}: the points proposed before; point
 * {@code first + i} is the batch's i-th), how many points were asked for, the results the strategy saw and
 * the settings then in flight (ids, see {@link IdRanges}; every setting proposed before the batch is in
 * one of the two), the attempt of each seen result that was not its setting's first, and a digest of each
 * result this batch's proposals were the first to see (its accepted content, see
 * {@link #digest(Object)}).
 *
 * @param hps the version of hps that proposed
 * @param strategy the study's strategy (as in study.json)
 * @param seed the study's seed
 * @param study digest of the study's configuration but for what a resume may change and proposals do not
 *     depend on (batch, mode, lease, retries), with {@code trials} as it was then
 * @param trials the study's trials when this batch was proposed (a resume may raise them)
 * @param first points proposed before this batch: the seed stream's position
 * @param asked points asked of the strategy (it may propose fewer)
 * @param seen ids of the results the strategy saw
 * @param attempts attempt numbers of seen results past their first attempt (absent when none)
 * @param inFlight ids of the settings proposed before without a result yet
 * @param digests digest of each result first seen by this batch (absent when none)
 */
public record Provenance(String hps, String strategy, long seed, String study, int trials, int first, int asked,
    String seen,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> attempts, String inFlight,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> digests) {
  public Provenance {
    Objects.requireNonNull(hps, "hps");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(study, "study");
    if (first < 0 || asked < 1 || trials < 1) {
      throw new IllegalArgumentException("provenance: first must be >= 0, asked and trials >= 1");
    }
    seen = seen == null ? "" : seen;
    inFlight = inFlight == null ? "" : inFlight;
    IdRanges.check(seen); // refuses a malformed list now rather than in hps verify
    IdRanges.check(inFlight);
    // Sorted, so that the same provenance is always written the same way.
    attempts = attempts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attempts));
    digests = digests == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(digests));
  }

  /** The ids of the seen results, in order. */
  public List<String> seenIds() {
    return IdRanges.decode(seen);
  }

  /** The ids of the settings in flight, in order. */
  public List<String> inFlightIds() {
    return IdRanges.decode(inFlight);
  }

  /**
   * The digest hps records of a file's content as read (a result, a study's configuration): the first 16
   * hex digits of the SHA-256 of its canonical JSON (see {@link #canonical}), so that a change of a value is
   * caught and a change of white space or of the order of fields is not, in any process.
   */
  public static String digest(Object content) {
    try {
      byte[] json = canonical(content).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(json);
      return java.util.HexFormat.of().formatHex(hash, 0, 8);
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest " + content.getClass().getSimpleName(), e);
    }
  }

  /**
   * The canonical JSON of {@code content}: as hps writes it (non-finite numbers as strings, times in ISO-8601),
   * then without white space and with the keys of every object sorted (Unicode code point order), so that it
   * does not depend on the order a file or a process happened to hold its fields in.
   */
  public static String canonical(Object content) throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode tree = io.hps.json.Json.MAPPER.valueToTree(content);
    java.io.StringWriter out = new java.io.StringWriter();
    // One generator for the whole tree, without the mapper's indentation: a digest per accepted result, so
    // not a generator per value.
    try (com.fasterxml.jackson.core.JsonGenerator json = io.hps.json.Json.MAPPER.getFactory().createGenerator(out)) {
      write(tree, json, io.hps.json.Json.MAPPER.getSerializerProviderInstance());
    }
    return out.toString();
  }

  private static void write(com.fasterxml.jackson.databind.JsonNode node,
      com.fasterxml.jackson.core.JsonGenerator json, com.fasterxml.jackson.databind.SerializerProvider values)
      throws java.io.IOException {
    if (node.isObject()) {
      java.util.TreeMap<String, com.fasterxml.jackson.databind.JsonNode> sorted = new java.util.TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
      json.writeStartObject();
      for (var e : sorted.entrySet()) {
        json.writeFieldName(e.getKey());
        write(e.getValue(), json, values);
      }
      json.writeEndObject();
    } else if (node.isArray()) {
      json.writeStartArray();
      for (int i = 0; i < node.size(); i++) {
        write(node.get(i), json, values);
      }
      json.writeEndArray();
    } else {
      // as the mapper writes a value, without its writeTree (which would indent: INDENT_OUTPUT)
      node.serialize(json, values);
    }
  }
}
