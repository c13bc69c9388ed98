package io.hps.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants the protocol's files hold ({@code 2026-12-08T02:47:20.207821427Z}: UTC, four-digit year,
 * up to nine digits of fraction) without {@link java.time.format.DateTimeFormatter}, which was a fifth of the
 * time of reading a result file (README, Scaling); any other form (an offset, a number, a leap second, a
 * malformed date) goes to jsr310's {@link InstantDeserializer}, which reads or refuses it as before.
 */
final class IsoInstants extends StdScalarDeserializer<Instant> implements ContextualDeserializer {
  private final JsonDeserializer<?> fallback;

  IsoInstants() {
    this(InstantDeserializer.INSTANT);
  }

  private IsoInstants(JsonDeserializer<?> fallback) {
    super(Instant.class);
    this.fallback = fallback;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
      throws JsonMappingException {
    JsonDeserializer<?> contextual = fallback instanceof ContextualDeserializer c
        ? c.createContextual(ctxt, property) : fallback;
    return contextual == fallback ? this : new IsoInstants(contextual);
  }

  @Override
  public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.hasToken(JsonToken.VALUE_STRING)) {
      Instant t = parse(p.getText());
      if (t != null) {
        return t;
      }
    }
    return (Instant) fallback.deserialize(p, ctxt);
  }

  /** {@code text} as an instant when it has exactly the form {@code yyyy-MM-ddTHH:mm:ss[.f...]Z}; else null. */
  static Instant parse(String text) {
    int n = text.length();
    if (n < 20 || n == 21 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z'
        || n > 20 && text.charAt(19) != '.') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (n > 20) {
      nanos = digits(text, 20, n - 1);
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59 || nanos < 0) {
      return null;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    } catch (DateTimeException e) {
      return null; // the fallback gives its own message
    }
  }

  /** The decimal number in {@code text[from, to)}, or -1 when a character there is not an ASCII digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
