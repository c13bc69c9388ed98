package io.hps.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
  /** jsr310's reader alone: what the project's mapper read before its own instants. */
  private static final ObjectMapper PLAIN = JsonMapper.builder().addModule(new JavaTimeModule()).build();

  private static String read(ObjectMapper mapper, String json) {
    try {
      return String.valueOf(mapper.readValue(json, Instant.class));
    } catch (Exception e) {
      return "refused";
    }
  }

  @Test
  void readsWhatJsr310ReadsAndRefusesWhatItRefuses() {
    List<String> texts = new ArrayList<>(List.of("2026-12-08T02:47:20.207821427Z", "2026-12-08T02:47:20Z",
        "2026-12-08T02:47:20.1Z", "2026-12-08T02:47:20.120Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-08T24:00:00Z",
        "2026-12-08T23:60:00Z", "2026-12-31T23:59:60Z", "2026-12-08T02:47:20.Z", "2026-12-08T02:47:20.1234567890Z",
        "2026-12-08t02:47:20z", "2026-12-08T02:47:20+01:00", "2026-12-08T02:47:20.5+01:00", "+12026-12-08T02:47:20Z",
        " 2026-12-08T02:47:20Z", "2026-12-08T02:47:20Z ", "2026-12-08T02:47", "2026-1208T02:47:20.000Z",
        "2026-12-08T02:4a:20Z", "2026-12-08T02:47:20.12a4Z", "-026-12-08T02:47:20Z", "2026-12-08T02:47:20.-1Z",
        "", "x"));
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000));
      if (i % 3 == 0) {
        t = Instant.ofEpochSecond(t.getEpochSecond(), (t.getNano() / 1000) * 1000); // fewer digits
      }
      texts.add(t.toString());
    }
    for (String text : texts) {
      String json = "\"" + text + "\"";
      assertThat(read(Json.MAPPER, json)).as(text).isEqualTo(read(PLAIN, json));
    }
    for (String json : List.of("0", "1733626040", "1733626040.5", "null", "[]", "{}")) {
      assertThat(read(Json.MAPPER, json)).as(json).isEqualTo(read(PLAIN, json));
    }
  }

  @Test
  void theProjectsMapperReadsInstantsWithIt() throws Exception {
    var context = ((com.fasterxml.jackson.databind.deser.DefaultDeserializationContext) Json.MAPPER
        .getDeserializationContext()).createInstance(Json.MAPPER.getDeserializationConfig(), null, null);
    assertThat(context.findRootValueDeserializer(Json.MAPPER.constructType(Instant.class)))
        .isInstanceOf(IsoInstants.class);
  }

  @Test
  void theFastPathTakesTheProtocolsFormAndNothingElse() {
    assertThat(IsoInstants.parse("2026-12-08T02:47:20.207821427Z"))
        .isEqualTo(Instant.parse("2026-12-08T02:47:20.207821427Z"));
    assertThat(IsoInstants.parse("2026-12-08T02:47:20Z")).isEqualTo(Instant.parse("2026-12-08T02:47:20Z"));
    // left to jsr310: a leap second, an offset, lower case, a date that does not exist
    assertThat(IsoInstants.parse("2026-12-31T23:59:60Z")).isNull();
    assertThat(IsoInstants.parse("2026-12-08T02:47:20+01:00")).isNull();
    assertThat(IsoInstants.parse("2026-12-08t02:47:20z")).isNull();
    assertThat(IsoInstants.parse("2023-02-29T12:00:00Z")).isNull();
  }
}
