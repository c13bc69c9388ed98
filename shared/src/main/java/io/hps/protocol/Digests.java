package io.hps.protocol;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * {@code digests.json}: the digests (see {@link Provenance#digest}) of the results the master accepted after
 * its last batch, written when the study finishes or stops, so that {@code hps verify} has a digest of every
 * accepted result: the batches' provenance holds the others. Only the master writes it, and only
 * {@code hps verify} reads it.
 */
public record Digests(int schema, Instant created, Map<String, String> digests) {
  public Digests {
    Ids.schema(schema);
    Objects.requireNonNull(created, "created");
    digests = digests == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(digests));
    digests.keySet().forEach(id -> Ids.check("setting id", id));
  }
}
