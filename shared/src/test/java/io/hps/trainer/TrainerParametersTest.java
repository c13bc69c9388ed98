package io.hps.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.json.Json;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trainer's declared parameters: what they refuse in a space and in a setting, and the defaults they give. */
class TrainerParametersTest {
  static final TrainerParameters CNN = TrainerParameters.of(
      TrainerParameter.integer("nf", 1, 4096, 32L, "filters"),
      TrainerParameter.real("lr", 0, Double.POSITIVE_INFINITY, 0.05, "learning rate").aboveMin(),
      TrainerParameter.real("dropout", 0, 1, 0.5, "dropout").belowMax(),
      TrainerParameter.choice("momentum", List.of("nesterov", "classic"), "nesterov", "kind of momentum"),
      TrainerParameter.text("dataset", "mnist", "data"));

  static SearchSpace space(String parameters) throws Exception {
    return SearchSpace.parse(Json.MAPPER.readTree("{\"parameters\": {" + parameters + "}}"), "t.json");
  }

  @Test
  void aSpaceThatSuitsTheTrainerHasNoProblems() throws Exception {
    assertThat(CNN.problems(space("\"model\": \"cnn\", \"epochs\": 3, \"nf\": {\"type\": \"int\", \"low\": 1,"
        + " \"high\": 64}, \"lr\": {\"type\": \"loguniform\", \"low\": 0.001, \"high\": 1}, \"momentum\":"
        + " [\"nesterov\", \"classic\"], \"dropout\": 0.25"), "cnn")).isEmpty();
  }

  @Test
  void namesItDoesNotReadAndValuesItCannotTakeAreEachNamed() throws Exception {
    assertThat(CNN.problems(space("\"model\": \"cnn\", \"learningRate\": 0.1, \"nf\": {\"type\": \"uniform\","
        + " \"low\": 1, \"high\": 64}, \"lr\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}, \"momentum\":"
        + " [\"nesterov\", \"adam\"], \"dropout\": 1, \"dataset\": 7"), "cnn")).containsExactly(
        "parameter 'learningRate' is not read by the trainer 'cnn', which reads nf, lr, dropout, momentum, dataset,"
            + " model, epochs, seed",
        "parameter 'nf' must be a whole number, but the space draws it from a uniform range: use {\"type\": \"int\","
            + " ...}",
        "parameter 'lr' must be > 0, but the space draws it from [0, 1]",
        "parameter 'momentum' must be one of \"nesterov\" or \"classic\", not \"adam\"",
        "parameter 'dropout' must be >= 0 and < 1, not 1",
        "parameter 'dataset' must be a string, not 7");
    assertThat(CNN.problems(space("\"model\": \"cnn\", \"NF\": 8, \"drpout\": 0.1"), "cnn"))
        .allMatch(p -> p.contains("did you mean")).hasSize(2);
  }

  @Test
  void parametersOfAnotherModelAreNotThisTrainersBusiness() throws Exception {
    SearchSpace both = space("\"model\": [\"cnn\", \"other\"], \"nf\": 8, \"depth\": {\"type\": \"int\", \"low\": 2,"
        + " \"high\": 4, \"when\": {\"model\": \"other\"}}");
    assertThat(CNN.problems(both, "cnn")).isEmpty();
  }

  @Test
  void anUndeclaredTrainerAcceptsAnyNameButTheProtocolsOwnAreCheckedForEveryStudy() throws Exception {
    SearchSpace s = space("\"model\": \"mine\", \"anything\": 3, \"epochs\": 0, \"seed\": 1.5");
    assertThat(TrainerParameters.UNDECLARED.problems(s, "mine")).isEmpty();
    assertThat(TrainerParameters.protocolProblems(s)).containsExactly(
        "parameter 'epochs' (the number of epochs to train) must be 1 to 1000000, not 0",
        "parameter 'seed' (the training seed) must be a whole number, not 1.5");
    assertThat(TrainerParameters.UNDECLARED.problems(new Params(Map.of("model", "mine", "epochs", 0L))))
        .containsExactly("parameter 'epochs' must be 1 to 1000000, not 0");
  }

  @Test
  void aSettingIsCheckedValueByValueAndDefaultsComeFromTheDeclaration() {
    Params p = new Params(Map.of("model", "cnn", "lr", 0.1, "seed", 3L));
    assertThat(CNN.problems(p)).isEmpty();
    assertThat(CNN.getInt(p, "nf")).isEqualTo(32);
    assertThat(CNN.getDouble(p, "lr")).isEqualTo(0.1);
    assertThat(CNN.getString(p, "momentum")).isEqualTo("nesterov");
    assertThat(CNN.problems(p.with("nf", 2.5))).containsExactly("parameter 'nf' must be a whole number, not 2.5");
    assertThatThrownBy(() -> CNN.getInt(p, "undeclared")).hasMessageContaining("not declared by this trainer");
    assertThatThrownBy(() -> TrainerParameter.integer("bs", 1, 10, 0L, "batch")).hasMessageContaining(
        "the default 0 is not allowed: it must be 1 to 10, not 0");
  }
}
