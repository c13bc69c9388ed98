package io.hps.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hps.json.Json;
import io.hps.space.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolFilesTest {
  static final Path PROTOCOL = Path.of(System.getProperty("hps.root", ".."), "test-data", "protocol");

  @Test
  void oldExampleFilesStillParse() throws Exception {
    Setting setting = Json.MAPPER.readValue(Files.readString(PROTOCOL.resolve("setting-v1.json")), Setting.class);
    assertThat(setting.attempt()).isEqualTo(2);
    assertThat(setting.history()).singleElement().extracting(Attempt::worker).isEqualTo("node7-1234");
    assertThat(setting.params().getInt("nf")).isEqualTo(32);
    Result result = Json.MAPPER.readValue(Files.readString(PROTOCOL.resolve("result-v1.json")), Result.class);
    assertThat(result.status()).isEqualTo(Status.DIVERGED);
    assertThat(result.epochs().get(1).trainLoss()).isNaN();
    assertThat(result.epochs().get(1).valLoss()).isInfinite();
    assertThat(result.objective()).contains(0.9);
    assertThat(result.params()).isEqualTo(setting.params());
  }

  @Test
  void aHalvingSettingFromBeforeBudgetsKeepsItsBookkeepingInParamsAndTrainsItsEpochs() throws Exception {
    Setting old = Json.MAPPER.readValue(Files.readString(PROTOCOL.resolve("setting-halving-v1.json")), Setting.class);
    assertThat(old.budget()).isNull();
    assertThat(old.lineage()).isNull();
    assertThat(old.epochs()).isEqualTo(3);
    assertThat(old.params().getString("parent")).isEqualTo("s000004");
  }

  @Test
  void aHalvingSettingCarriesItsBudgetAndLineageOutsideParams() throws Exception {
    String text = Files.readString(PROTOCOL.resolve("setting-halving-v2.json"));
    Setting setting = Json.MAPPER.readValue(text, Setting.class);
    assertThat(setting.epochs()).as("the budget, not params.epochs").isEqualTo(3);
    assertThat(setting.params().getInt("epochs")).isEqualTo(9);
    assertThat(setting.lineage()).isEqualTo(new Lineage(1, null, "s000004"));
    assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(setting))).isEqualTo(Json.MAPPER.readTree(text));
    Result result = Result.of(setting, Status.COMPLETE, null, "w", setting.created(), setting.created(),
        List.of(new Epoch(1, 1, 1, 0.5, 1)), Map.of());
    assertThat(result.budget()).isEqualTo(3);
    assertThat(result.plannedEpochs()).isEqualTo(3);
    Result back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(result), Result.class);
    assertThat(back.lineage()).isEqualTo(setting.lineage());
    // a setting without them writes neither field, so files of other strategies are unchanged
    Setting plain = new Setting("s000001", 1, 0, 0, setting.created(), new Params(Map.of("epochs", 2)));
    assertThat(Json.MAPPER.writeValueAsString(plain)).doesNotContain("budget", "lineage");
    assertThat(Json.MAPPER.writeValueAsString(Result.of(plain, Status.COMPLETE, null, "w", null, setting.created(),
        List.of(new Epoch(1, 1, 1, 0.5, 1)), Map.of()))).doesNotContain("budget", "lineage").contains("\"claimed\"");
  }

  @Test
  void resultsRoundTripWithNonFiniteLosses() throws Exception {
    Setting setting = new Setting("s000001", 1, 0, 0, Instant.parse("2026-01-01T00:00:00Z"),
        new Params(Map.of("lr", 2.0)));
    Result result = Result.of(setting, Status.DIVERGED, "NaN", "w1", Instant.parse("2026-01-01T00:00:01Z"),
        Instant.parse("2026-01-01T00:00:02Z"), List.of(new Epoch(1, Double.NaN, Double.POSITIVE_INFINITY, 0.9, 1.5)),
        Map.of("numFreeParameters", 1234));
    String json = Json.MAPPER.writeValueAsString(result);
    assertThat(json).contains("\"NaN\"").contains("\"Infinity\"").contains("\"schema\" : 1");
    assertThat(Json.MAPPER.readValue(json, Result.class)).isEqualTo(result);
  }

  @Test
  void unknownFieldsAndBadValuesAreRejected() throws Exception {
    String good = Files.readString(PROTOCOL.resolve("setting-v1.json"));
    assertThatThrownBy(() -> Json.MAPPER.readValue(good.replace("\"point\"", "\"extra\" : 1, \"point\""),
        Setting.class)).isInstanceOf(UnrecognizedPropertyException.class);
    assertThatThrownBy(() -> Json.MAPPER.readValue(good.replace("s000003", "../etc"), Setting.class))
        .hasMessageContaining("not a safe id");
    assertThatThrownBy(() -> Json.MAPPER.readValue(good.replace("\"schema\" : 1", "\"schema\" : 7"), Setting.class))
        .hasMessageContaining("schema 7 is not supported");
    String result = Files.readString(PROTOCOL.resolve("result-v1.json"));
    assertThatThrownBy(() -> Json.MAPPER.readValue(result.replace("\"epoch\" : 2", "\"epoch\" : 3"), Result.class))
        .hasMessageContaining("numbered 1, 2");
    assertThatThrownBy(() -> Json.MAPPER.readValue(result.replace("\"valError\" : 0.61", "\"valError\" : 1.61"),
        Result.class)).hasMessageContaining("valError must lie in [0, 1]");
  }

  @Test
  void idsThatCouldEscapeTheDirectoryAreRefused() {
    for (String bad : List.of("..", "a/b", ".hidden", "a..b", "", "x".repeat(65), "a\\b")) {
      assertThatThrownBy(() -> Ids.check("id", bad)).hasMessageContaining("not a safe id");
    }
    assertThat(Ids.check("id", "node-7_1.x")).isEqualTo("node-7_1.x");
  }
}
