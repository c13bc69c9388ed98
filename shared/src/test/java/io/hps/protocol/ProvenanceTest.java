package io.hps.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.json.Json;
import io.hps.space.Params;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
  @Test
  void idRangesGiveBackTheIdsInTheirOrder() {
    assertThat(IdRanges.encode(List.of())).isEmpty();
    assertThat(IdRanges.encode(List.of("s000000", "s000001", "s000002", "s000004", "s000003", "trial-7", "s000005")))
        .isEqualTo("s000000-s000002,s000004,s000003,trial-7,s000005");
    assertThat(IdRanges.encode(List.of("s999999", "s1000000", "s1000001"))).isEqualTo("s999999-s1000001");
    assertThat(IdRanges.decode("s999998-s1000000")).containsExactly("s999998", "s999999", "s1000000");
    // s0000017 is not the master's spelling of 17: written as it is, not folded into a range
    assertThat(IdRanges.encode(List.of("s000016", "s0000017"))).isEqualTo("s000016,s0000017");
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 200; round++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0, n = random.nextInt(40); i < n; i++) {
        ids.add(random.nextInt(10) == 0 ? "w" + random.nextInt(5) : Ids.setting(random.nextInt(30)));
      }
      assertThat(IdRanges.decode(IdRanges.encode(ids))).isEqualTo(ids);
    }
    assertThatThrownBy(() -> IdRanges.decode("s000005-s000002")).hasMessageContaining("does not go up");
    // Reading a provenance checks its ranges without expanding them (every reader of batches reads it): this one
    // would be 900 million ids.
    assertThat(new Provenance("0.1.0", "tpe", 1, "0123456789abcdef", 1, 1, 1, "s000000-s900000000", Map.of(), "",
        Map.of()).seen()).isEqualTo("s000000-s900000000");
    assertThatThrownBy(() -> IdRanges.check("s000000-s0000001")).hasMessageContaining("not of two master ids");
    assertThatThrownBy(() -> IdRanges.decode("s000001,,s000002")).hasMessageContaining("not a safe id");
    assertThatThrownBy(() -> IdRanges.decode("../x")).hasMessageContaining("not a safe id");
  }

  @Test
  void aBatchWithoutProvenanceStillReadsAndOneWithItReadsBack() throws Exception {
    Instant t = Instant.parse("2026-11-22T20:04:31Z");
    Setting s = new Setting("s000003", 3, 0, 1, t, new Params(Map.of("lr", 0.1, "seed", 42)));
    String old = "{\"schema\": 1, \"batch\": 1, \"created\": \"2026-11-22T20:04:31Z\", \"resultsSeen\": 3, \"settings\": ["
        + Json.MAPPER.writeValueAsString(s) + "]}";
    assertThat(Json.MAPPER.readValue(old, Batch.class).provenance()).isNull();
    Batch batch = new Batch(1, 1, t, 3, List.of(s), new Provenance("0.1.0", "tpe", 42, "0123456789abcdef", 20, 3, 1,
        "s000000-s000002", Map.of(), "", Map.of("s000002", "0011223344556677")));
    String json = Json.MAPPER.writeValueAsString(batch);
    assertThat(json).doesNotContain("attempts").contains("\"seen\" : \"s000000-s000002\"");
    Batch back = Json.MAPPER.readValue(json, Batch.class);
    assertThat(back).isEqualTo(batch);
    assertThat(back.provenance().seenIds()).containsExactly("s000000", "s000001", "s000002");
    assertThat(back.provenance().inFlightIds()).isEmpty();
    assertThatThrownBy(() -> Json.MAPPER.readValue(json.replace("s000000-s000002", "s000002-s000000"), Batch.class))
        .hasMessageContaining("does not go up");
  }

  /**
   * A result's {@code info} is an immutable map whose iteration order differs from one JVM to the next: a digest
   * that followed it made a CNN study's results "changed" in every {@code hps verify}. Four JVMs must agree.
   */
  @Test
  void everyProcessComputesTheSameDigest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Instant t = Instant.parse("2026-11-22T20:04:31Z");
    Setting s = new Setting("s000003", 3, 0, 1, t, new Params(Map.of("lr", 0.1, "seed", 42)));
    Map<String, Object> info = new java.util.LinkedHashMap<>();
    for (String key : List.of("framework", "device", "threads", "numFreeParameters", "checkpointSeconds",
        "restoreSeconds", "trainImages", "valImages", "dataSeconds", "backend")) {
      info.put(key, key.length());
    }
    Result r = Result.of(s, Status.COMPLETE, null, "w1", t, t, List.of(new Epoch(1, 0.5, 0.4, 0.1, 1.0)), info);
    java.nio.file.Path file = dir.resolve("s000003.json");
    Json.MAPPER.writeValue(file.toFile(), r);
    java.util.Set<String> digests = new java.util.TreeSet<>();
    for (int i = 0; i < 4; i++) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), DigestMain.class.getName(), file.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      assertThat(p.waitFor()).as(out).isZero();
      digests.add(out);
    }
    assertThat(digests).containsExactly(Provenance.digest(r));
  }

  @Test
  void aDigestFollowsTheValuesNotTheWhiteSpace() throws Exception {
    Instant t = Instant.parse("2026-11-22T20:04:31Z");
    Setting s = new Setting("s000003", 3, 0, 1, t, new Params(Map.of("lr", 0.1, "seed", 42)));
    Result r = Result.of(s, Status.COMPLETE, null, "w1", t, t, List.of(new Epoch(1, 0.5, 0.4, 0.1, 1.0)), Map.of());
    String json = Json.MAPPER.writeValueAsString(r);
    Result compact = Json.MAPPER.readValue(json.replaceAll("\\s+", ""), Result.class);
    assertThat(Provenance.digest(compact)).isEqualTo(Provenance.digest(r)).hasSize(16);
    // Keys written in another order (a tool that sorts them) are the same content.
    Map<String, Object> sorted = new java.util.TreeMap<>(Json.MAPPER.readValue(json, Map.class));
    assertThat(Provenance.digest(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(sorted), Result.class)))
        .isEqualTo(Provenance.digest(r));
    Result edited = Json.MAPPER.readValue(json.replace("0.1", "0.01"), Result.class);
    assertThat(Provenance.digest(edited)).isNotEqualTo(Provenance.digest(r));
  }
}
