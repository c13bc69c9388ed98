package io.hps.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.hps.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SearchSpaceTest {
  static final Path TEST_DATA = Path.of(System.getProperty("hps.root", ".."), "test-data");

  static SearchSpace parse(String json) throws Exception {
    return SearchSpace.parse(Json.MAPPER.readTree(json), "x.json");
  }

  @Test
  void gridPointsAreBuiltOneByOneInTheOrderOfTheWholeGrid() throws Exception {
    SearchSpace space = parse("{\"parameters\":{\"opt\":[\"sgd\",\"adam\"],\"beta\":{\"type\":\"uniform\","
        + "\"low\":0,\"high\":1,\"steps\":3,\"when\":{\"opt\":\"adam\"}},\"lr\":[0.1,0.2],\"bs\":{\"type\":\"int\","
        + "\"low\":16,\"high\":256,\"log\":true,\"steps\":3}}}");
    List<Params> all = space.grid();
    assertThat(space.gridSize()).isEqualTo(all.size()).isEqualTo(2 * 3 + 2 * 3 * 3);
    for (int k = 0; k < all.size(); k++) {
      assertThat(space.gridPoint(k)).as("point " + k).isEqualTo(all.get(k));
    }
    assertThatThrownBy(() -> space.gridPoint(all.size())).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aHugeGridIsCountedAndIndexedWithoutBeingBuilt() throws Exception {
    StringBuilder json = new StringBuilder("{\"parameters\":{");
    for (int i = 0; i < 8; i++) {
      json.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{\"type\":\"uniform\",\"low\":0,\"high\":1,"
          + "\"steps\":1000}");
    }
    SearchSpace space = parse(json.append("}}").toString());
    long start = System.nanoTime();
    assertThat(space.gridSize()).isEqualTo(Long.MAX_VALUE); // 1000^8 = 1e24 saturates
    SearchSpace small = parse(json.toString().replace("\"steps\":1000", "\"steps\":100").replace("p7", "q7"));
    assertThat(small.gridSize()).isEqualTo(10_000_000_000_000_000L);
    assertThat(small.gridPoint(small.gridSize() - 1).values()).containsEntry("p0", 1.0).containsEntry("q7", 1.0);
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(1.0);
    assertThatThrownBy(() -> parse("{\"parameters\":{\"x\":{\"type\":\"uniform\",\"low\":0,\"high\":1,"
        + "\"steps\":2000000000}}}")).hasMessageContaining("at most 10000 values");
    String many = "[" + "1,".repeat(10_000) + "1]";
    assertThatThrownBy(() -> parse("{\"parameters\":{\"c\":" + many + "}}")).hasMessageContaining("at most 10000");
  }

  @Test
  void onlyRegularFilesOfAtMostOneMebibyteAreReadAsSpaces(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path fifo = dir.resolve("fifo.json");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
    assertThatThrownBy(() -> SearchSpace.read(fifo)).hasMessageContaining("not a regular file");
    assertThatThrownBy(() -> SearchSpace.read(dir.resolve("none.json"))).hasMessageContaining("no such file");
    Path big = dir.resolve("big.json");
    Files.writeString(big, "{\"parameters\":{\"x\":[" + "1,".repeat(600_000) + "1]}}");
    assertThatThrownBy(() -> SearchSpace.read(big)).hasMessageContaining("at most 1048576");
  }

  @Test
  void decodesEveryDistributionInsideItsRange() throws Exception {
    SearchSpace space = parse("{\"parameters\":{\"model\":\"cnn\",\"nf\":{\"type\":\"int\",\"low\":10,\"high\":100},"
        + "\"lr\":{\"type\":\"loguniform\",\"low\":0.01,\"high\":0.316},\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1},"
        + "\"bs\":{\"type\":\"int\",\"low\":16,\"high\":256,\"log\":true},\"opt\":[\"sgd\",\"adam\"]}}");
    assertThat(space.dimensions()).isEqualTo(5);
    Random random = new Random(1);
    Set<Object> bsSeen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      double[] u = random.doubles(5).toArray();
      Params p = space.decode(u);
      assertThat(p.getString("model")).isEqualTo("cnn");
      assertThat(p.getInt("nf")).isBetween(10, 100);
      assertThat(p.getDouble("lr")).isBetween(0.01, 0.316);
      assertThat(p.getDouble("m")).isBetween(0.0, 1.0);
      assertThat(p.getInt("bs")).isBetween(16, 256);
      assertThat(p.get("bs")).isInstanceOf(Long.class);
      bsSeen.add(p.get("bs"));
      assertThat(p.getString("opt")).isIn("sgd", "adam");
    }
    assertThat(bsSeen).contains(16L, 256L);
    // log scale: a quarter of the unit interval covers a quarter of the octaves, [16, 32)
    assertThat(space.decode(new double[] {0, 0, 0, 0.2, 0}).getInt("bs")).isLessThan(32);
    assertThat(space.decode(new double[] {0, 0.5, 0, 0, 0}).getDouble("lr")).isCloseTo(Math.sqrt(0.01 * 0.316),
        org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void conditionalParametersExistOnlyUnderTheirChoice() throws Exception {
    SearchSpace space = SearchSpace.read(TEST_DATA.resolve("spaces/hyperrec-conditional.json"));
    for (int i = 0; i < 500; i++) {
      Params p = space.decode(new Random(i).doubles(space.dimensions()).toArray());
      assertThat(p.has("m")).isEqualTo(p.getString("optimizer").equals("sgd"));
      assertThat(p.has("beta1")).isEqualTo(p.getString("optimizer").equals("adam"));
      assertThat(p.has("stepEvery")).isEqualTo(p.getString("scheduler").equals("step"));
      assertThat(p.has("warmup")).isEqualTo(!p.getString("scheduler").equals("none"));
    }
  }

  @Test
  void gridIsExactWithConditionalBranches() throws Exception {
    SearchSpace space = SearchSpace.read(TEST_DATA.resolve("spaces/hyperrec-conditional.json"));
    List<Params> grid = space.grid();
    // bs 2 x lr 3 x optimizer (sgd: m 2, adam: beta1 1, rmsprop: 1) x scheduler (none 1, step 2, cosine 1)
    assertThat(grid).hasSize(2 * 3 * (2 + 1 + 1) * (1 + 2 + 1));
    assertThat(new HashSet<>(grid)).hasSameSizeAs(grid);
    assertThat(grid.get(0).values()).containsEntry("bs", 32L).containsEntry("optimizer", "sgd")
        .containsEntry("m", 0.0).containsEntry("scheduler", "none").doesNotContainKey("beta1");
    assertThat(grid.get(1).getString("scheduler")).isEqualTo("step");
    assertThat(grid).allSatisfy(p -> assertThat(p.getDouble("lr")).isBetween(1e-4, 0.1 + 1e-12));
    assertThat(grid.stream().map(p -> p.getDouble("lr")).distinct().sorted())
        .containsExactly(1e-4, Math.sqrt(1e-4 * 1e-1), 1e-1);
  }

  @Test
  void gridOfAnUnsteppedRangeSaysWhatToDo() throws Exception {
    SearchSpace space = parse("{\"parameters\":{\"lr\":{\"type\":\"uniform\",\"low\":0,\"high\":1}}}");
    assertThatThrownBy(space::grid).hasMessageContaining("'lr' is a range").hasMessageContaining("--set lr=");
  }

  @Test
  void setFixesARangeKeepsItsConditionAndAddsNewNames() throws Exception {
    SearchSpace space = SearchSpace.read(TEST_DATA.resolve("spaces/hyperrec-conditional.json"))
        .withSet("lr=0.05").withSet("optimizer=sgd").withSet("epochSeconds=0.5").withSet("m=0.5");
    assertThat(space.dimensions()).isEqualTo(4); // bs, beta1, scheduler, stepEvery
    Params p = space.decode(new double[space.dimensions()]);
    assertThat(p.values()).containsEntry("lr", 0.05).containsEntry("optimizer", "sgd").containsEntry("m", 0.5)
        .containsEntry("epochSeconds", 0.5).doesNotContainKey("beta1");
    assertThat(space.withSet("model=cnn").decode(new double[space.dimensions()]).getString("model")).isEqualTo("cnn");
    assertThatThrownBy(() -> space.withSet("lr")).hasMessageContaining("NAME=VALUE");
  }

  @Test
  void writesBackTheSameSpace() throws Exception {
    SearchSpace space = SearchSpace.read(TEST_DATA.resolve("spaces/hyperrec-conditional.json"));
    JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(space.toJson()));
    SearchSpace again = SearchSpace.parse(json, "again");
    assertThat(again).isEqualTo(space);
    assertThat(again.grid()).isEqualTo(space.grid());
  }

  static Stream<Path> shippedSpaces() throws Exception {
    return Stream.concat(Files.list(TEST_DATA.resolve("spaces")), Files.list(Path.of(System.getProperty("hps.root", ".."), "search-spaces")))
        .filter(p -> p.toString().endsWith(".json"));
  }

  @ParameterizedTest
  @MethodSource("shippedSpaces")
  void everyShippedSpaceStillParses(Path file) {
    SearchSpace space = SearchSpace.read(file);
    assertThat(space.parameters()).isNotEmpty();
    space.decode(new double[space.dimensions()]);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"parameters\":{}}|'parameters' must be a non-empty object",
      "{\"parameters\":{\"lr\":{\"type\":\"uniform\",\"low\":1,\"high\":0}}}|parameter 'lr': 'low' (1.0) must be below 'high'",
      "{\"parameters\":{\"lr\":{\"type\":\"loguniform\",\"low\":0,\"high\":1}}}|parameter 'lr': a log-scale range needs 'low' > 0",
      "{\"parameters\":{\"lr\":{\"type\":\"normal\",\"low\":0,\"high\":1}}}|parameter 'lr': unknown type 'normal'",
      "{\"parameters\":{\"lr\":{\"type\":\"uniform\",\"low\":0}}}|parameter 'lr': type 'uniform' needs 'high'",
      "{\"parameters\":{\"lr\":{\"type\":\"uniform\",\"low\":0,\"high\":1,\"hi\":2}}}|parameter 'lr': unknown field 'hi'",
      "{\"parameters\":{\"nf\":{\"type\":\"int\",\"low\":1.5,\"high\":4}}}|parameter 'nf': an int range needs integer",
      "{\"parameters\":{\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1,\"when\":{\"opt\":\"sgd\"}}}}|'when' names 'opt', which must be declared before it",
      "{\"parameters\":{\"opt\":[\"sgd\"],\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1,\"when\":{\"opt\":\"adam\"}}}}|'when' value \"adam\" is not one of opt's values",
      "{\"parameters\":{\"x\":[]}}|parameter 'x': the value list must be a non-empty list",
      "{\"parameters\":{\"9x\":1}}|parameter '9x': names use letters",
      "{\"parameters\":{\"x\":1},\"extra\":2}|unknown field 'extra'",
      "{\"schema\":2,\"parameters\":{\"x\":1}}|'schema' is 2",
      "[1,2]|must hold a JSON object"})
  void badFilesAreRejectedWithFileAndField(String json, String message) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(SpaceException.class).hasMessageStartingWith("x.json: ")
        .hasMessageContaining(message);
  }

  @Test
  void unreadableFileIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"parameters\": {\"lr\": 0.1,}");
    assertThatThrownBy(() -> SearchSpace.read(file)).hasMessageContaining("broken.json");
    Files.writeString(file, "{\"parameters\": {\"lr\": 0.1, \"lr\": 0.2}}");
    assertThatThrownBy(() -> SearchSpace.read(file)).hasMessageContaining("broken.json")
        .hasMessageContaining("Duplicate field 'lr'");
  }

  @Test
  void paramsRejectNonScalarsAndBadNames() {
    assertThatThrownBy(() -> new Params(Map.of("a b", 1))).hasMessageContaining("bad parameter name");
    assertThatThrownBy(() -> new Params(Map.of("a", List.of(1)))).hasMessageContaining("string, number or boolean");
    assertThatThrownBy(() -> new Params(Map.of("nf", 1.5)).getInt("nf")).hasMessageContaining("integer");
  }

  @Test
  void aCommandMayUseTheSeedEverySettingHasButNoUndeclaredName() throws Exception {
    SearchSpace space = parse("{\"command\": [\"train\", \"--seed\", \"{seed}\", \"--lr={lr}\"], \"parameters\":"
        + " {\"model\": \"command\", \"lr\": 0.1}}");
    assertThat(new CommandTemplate(space.command()).expand(new Params(java.util.Map.of("lr", 0.1, "seed", 43L))))
        .containsExactly("train", "--seed", "43", "--lr=0.1");
    assertThatThrownBy(() -> parse("{\"command\": [\"train\", \"{sed}\"], \"parameters\": {\"model\":"
        + " \"command\"}}")).hasMessageContaining("placeholder {sed}");
  }

  @Test
  void differencesBetweenTwoSpacesNameEachParameterWithBothDeclarations() throws Exception {
    SearchSpace a = parse("{\"parameters\": {\"model\": \"x\", \"lr\": [0.1, 0.2], \"bs\": 32}}");
    SearchSpace b = parse("{\"parameters\": {\"model\": \"x\", \"lr\": [0.1, 0.3], \"m\": 0.9}}");
    assertThat(a.differences(b, "study.json", "the file")).containsExactly(
        "'lr' is [0.1,0.2] in study.json but [0.1,0.3] from the file",
        "'bs' is 32 in study.json but missing from the file",
        "'m' is missing from study.json but 0.9 from the file");
    assertThat(a.differences(a, "study.json", "the file")).isEmpty();
  }
}
