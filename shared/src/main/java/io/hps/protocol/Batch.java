package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code batches/b<number>.json}: the master's durable record of the settings it proposed in one round,
 * written before any of them appears in {@code pending/}, and how many results it had seen then. A
 * restarted master rebuilds its state from these files and the results. {@code provenance} says what the
 * proposals were computed from (absent in batches of older versions and of other masters).
 */
public record Batch(int schema, int batch, Instant created, int resultsSeen, List<Setting> settings,
    @JsonInclude(JsonInclude.Include.NON_NULL) Provenance provenance) {
  public Batch {
    Ids.schema(schema);
    Objects.requireNonNull(created, "created");
    settings = List.copyOf(settings);
    if (batch < 0 || settings.isEmpty()) {
      throw new IllegalArgumentException("a batch has a number >= 0 and at least one setting");
    }
  }

  public Batch(int schema, int batch, Instant created, int resultsSeen, List<Setting> settings) {
    this(schema, batch, created, resultsSeen, settings, null);
  }

  /** The file name of batch {@code number}. */
  public static String fileName(int number) {
    return String.format("b%06d.json", number);
  }
}
