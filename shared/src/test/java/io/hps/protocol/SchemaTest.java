package io.hps.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.hps.json.Json;
import io.hps.space.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** shared/schemas/protocol.schema.json says what the records read and write, field for field. */
class SchemaTest {
  static final Path SCHEMA = Path.of(System.getProperty("hps.root", ".."), "shared", "schemas",
      "protocol.schema.json");
  static final Map<String, Class<? extends Record>> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("setting", Setting.class);
    KINDS.put("result", Result.class);
    KINDS.put("epoch", Epoch.class);
    KINDS.put("attempt", Attempt.class);
    KINDS.put("study", StudyConfig.class);
    KINDS.put("master", MasterStatus.class);
    KINDS.put("worker", WorkerStatus.class);
    KINDS.put("batch", Batch.class);
    KINDS.put("progress", Progress.class);
    KINDS.put("stop", StopRequest.class);
    KINDS.put("resume", Resume.class);
    KINDS.put("checkpointManifest", CheckpointManifest.class);
    KINDS.put("provenance", Provenance.class);
    KINDS.put("digests", Digests.class);
  }

  final Instant t = Instant.parse("2026-11-22T20:04:31.123456Z");
  final Setting setting = new Setting(1, "s000017", 17, 0, 4, 2, t, new Params(Map.of("model", "cnn", "lr", 0.05,
      "nf", 32, "nesterov", true)), List.of(new Attempt(1, null, "no file for the setting was found", t)));

  @Test
  void everyRecordHasADefinitionWithTheSameFields() throws Exception {
    JsonNode defs = Json.MAPPER.readTree(SCHEMA.toFile()).get("$defs");
    KINDS.forEach((kind, type) -> {
      JsonNode def = defs.get(kind);
      assertThat(def).as(kind).isNotNull();
      TreeSet<String> schemaFields = new TreeSet<>();
      def.get("properties").fieldNames().forEachRemaining(schemaFields::add);
      TreeSet<String> recordFields = new TreeSet<>(Arrays.stream(type.getRecordComponents())
          .map(java.lang.reflect.RecordComponent::getName).toList());
      assertThat(schemaFields).as(kind).isEqualTo(recordFields);
      assertThat(def.get("additionalProperties").asBoolean(true)).as(kind + " rejects unknown fields").isFalse();
    });
  }

  @Test
  void filesTheRecordsWriteAreValid() throws Exception {
    Result result = Result.of(setting, Status.DIVERGED, "loss became NaN in epoch 2", "node7-4242", t, t,
        List.of(new Epoch(1, 0.7, 0.3, 0.09, 4.1, 3.0, 1.1, Map.of("accuracy", 0.91)),
            new Epoch(2, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, 8.0)), Map.of("framework", "dl4j"));
    ObjectNode space = (ObjectNode) Json.MAPPER.readTree("{\"parameters\": {\"lr\": [0.1, 0.2]}}");
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("setting", setting);
    files.put("result", result);
    files.put("study", StudyConfig.builder(space, Strategy.RANDOM).name("demo").created(t).trials(10).batch(2, Mode.SYNC)
        .stop(Stopping.MEDIAN, new StopOptions(3, null, 1.5)).halving(3, 1)
        .objectives(List.of(Objective.parse("valError"), Objective.parse("accuracy:max")),
            List.of(Constraint.parse("numFreeParameters<=200000"))).build());
    files.put("master", new MasterStatus(1, "node7", 4242, t, t, MasterPhase.RUNNING));
    files.put("worker", new WorkerStatus(1, "node7-4242", "node7", 4242, "cpu", t, t, WorkerState.TRAINING, "s000017", 3, 5));
    files.put("batch", new Batch(1, 4, t, 12, List.of(setting), new Provenance("0.1.0", "tpe", 42, "0123456789abcdef",
        40, 17, 2, "s000000-s000012,s000014", Map.of("s000003", 2), "s000013,s000015-s000016",
        Map.of("s000014", "fedcba9876543210"))));
    files.put("digests", new Digests(1, t, Map.of("s000016", "0123456789abcdef")));
    files.put("progress", new Progress(1, "s000017", "node7-4242", 10, result.epochs(), 2));
    files.put("stop", new StopRequest(1, "s000017", "median rule", 3, t, "node7-4242", 2));
    for (Map.Entry<String, Object> file : files.entrySet()) {
      String json = compact(file.getValue());
      assertThat(errors(file.getKey(), json)).as(file.getKey() + ": " + json).isEmpty();
      Json.MAPPER.readValue(json, file.getValue().getClass()); // and the record reads it back
    }
    // A promoted setting of a study with checkpoints, its resumed result, the manifest of what it saved.
    Resume resume = new Resume("s000004", "checkpoints/s000004/a1-node7-4242", 3);
    Setting promoted = setting.planned(9, new Lineage(1, null, "s000004")).checkpointed(true, resume);
    Result resumed = Result.of(promoted, Status.COMPLETE, null, "node7-4242", t, t,
        List.of(new Epoch(4, 0.5, 0.3, 0.09, 4.1), new Epoch(5, 0.4, 0.3, 0.08, 8.0)), Map.of())
        .withCheckpoint("checkpoints/s000017/a2-node7-4242");
    assertThat(resumed.resumed()).isEqualTo(resume);
    Map<String, Object> checkpointed = new LinkedHashMap<>();
    checkpointed.put("setting", promoted);
    checkpointed.put("result", resumed);
    checkpointed.put("study", StudyConfig.builder(space, Strategy.SUCCESSIVE_HALVING).name("sh").created(t)
        .checkpoints(true).build());
    checkpointed.put("checkpointManifest", new CheckpointManifest(1, "s000017", 2, "node7-4242", 9, t));
    for (Map.Entry<String, Object> file : checkpointed.entrySet()) {
      String json = compact(file.getValue());
      assertThat(errors(file.getKey(), json)).as(file.getKey() + ": " + json).isEmpty();
      assertThat(Json.MAPPER.readValue(json, file.getValue().getClass())).isEqualTo(file.getValue());
    }
    String escaping = compact(promoted).replace("checkpoints/s000004/a1-node7-4242", "checkpoints/../../etc");
    assertThat(errors("setting", escaping)).isNotEmpty();
    assertThatThrownBy(() -> Json.MAPPER.readValue(escaping, Setting.class)).hasMessageContaining("checkpoint path");
    String failedByMaster = compact(Result.of(setting, Status.FAILED, "retry budget spent",
        "master", null, t, List.of(), Map.of()));
    assertThat(errors("result", failedByMaster)).isEmpty();
  }

  @Test
  void filesTheRecordsRefuseAreInvalidToo() throws Exception {
    String good = compact(setting);
    String[] bad = {
        good.replace("\"attempt\":2", "\"attempt\":0"),
        good.replace("\"point\":17,", "\"point\":17,\"colour\":\"red\","),
        good.replace("\"id\":\"s000017\"", "\"id\":\"../s1\""),
        good.replace("\"created\":\"2026-11-22T20:04:31.123456Z\"", "\"created\":\"yesterday\""),
        good.replace("\"schema\":1", "\"schema\":2")};
    for (String json : bad) {
      assertThat(errors("setting", json)).as(json).isNotEmpty();
      assertThatThrownBy(() -> Json.MAPPER.readValue(json, Setting.class)).as(json).isInstanceOf(Exception.class);
    }
    Result complete = Result.of(setting, Status.COMPLETE, null, "w", t, t, List.of(new Epoch(1, 1, 1, 0.5, 1)),
        Map.of());
    String noEpochs = compact(complete).replaceAll("\"epochs\":\\[[^\\]]*\\]", "\"epochs\":[]");
    assertThat(errors("result", noEpochs)).isNotEmpty();
    assertThatThrownBy(() -> Json.MAPPER.readValue(noEpochs, Result.class)).hasMessageContaining("at least one epoch");
    String failedWithoutReason = compact(complete).replace("\"complete\"", "\"failed\"");
    assertThat(errors("result", failedWithoutReason)).isNotEmpty();
  }

  @Test
  void theShippedExampleFilesAreValid() throws Exception {
    assertThat(errors("setting", Files.readString(ProtocolFilesTest.PROTOCOL.resolve("setting-v1.json")))).isEmpty();
    assertThat(errors("result", Files.readString(ProtocolFilesTest.PROTOCOL.resolve("result-v1.json")))).isEmpty();
  }

  static String compact(Object value) throws Exception {
    return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(value);
  }

  /** Validation messages of {@code json} against {@code $defs/<kind>}. */
  static List<String> errors(String kind, String json) throws Exception {
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(SCHEMA.toFile());
    root.put("$ref", "#/$defs/" + kind);
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(compact(root), InputFormat.JSON);
    return schema.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
  }
}
