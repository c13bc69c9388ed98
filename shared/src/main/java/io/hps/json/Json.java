package io.hps.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The project's single {@link ObjectMapper}: strict on input (unknown fields, trailing tokens and
 * duplicate keys are errors), pretty and ISO-dated on output. Non-finite doubles are written as the
 * strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} and read back from them.
 */
public final class Json {
  /** The mapper; thread-safe once configured. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      // added after jsr310's module, so its Instant reader comes first (and hands it what it does not read)
      .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("hps-instants")
          .addDeserializer(java.time.Instant.class, new IsoInstants()))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build());
  }

  private Json() {}

  /**
   * Jackson's complaint without its internals: {@code line 3, column 5: Unexpected character ('}' ...)}
   * (where the parser was, then what it found), for errors about a file a user wrote.
   */
  public static String problem(com.fasterxml.jackson.core.JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    // Jackson appends "at [Source: ...; line: 1, column: 5]" and sometimes a second line of hints.
    message = message.lines().findFirst().orElse(message).trim()
        // Nested locations ("start marker at [Source: REDACTED (...); line: 1, column: 1]") without the source.
        .replaceAll("\\[Source: [^\\]]*?; (line: \\d+, column: \\d+)\\]", "[$1]");
    var at = e.getLocation();
    return at == null || at.getLineNr() < 1 ? message : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": "
        + message;
  }
}
