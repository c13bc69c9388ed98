package io.hps.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every strategy promises; each implementation's test extends this. */
abstract class StrategyContract {
  static final String SPACE = "{\"parameters\":{\"model\":\"synthetic\","
      + "\"nf\":{\"type\":\"int\",\"low\":10,\"high\":100,\"grid\":[10,50,100]},"
      + "\"lr\":{\"type\":\"loguniform\",\"low\":0.01,\"high\":0.316,\"steps\":4},"
      + "\"opt\":[\"sgd\",\"adam\"],"
      + "\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1,\"grid\":[0,0.5,0.9],\"when\":{\"opt\":\"sgd\"}}}}";

  static SearchSpace space() throws Exception {
    return SearchSpace.parse(Json.MAPPER.readTree(SPACE), "contract");
  }

  abstract SearchStrategy create(SearchSpace space, long seed);

  @Test
  void sameSeedSameProposalsWhateverTheBatching() throws Exception {
    SearchStrategy a = create(space(), 7);
    SearchStrategy b = create(space(), 7);
    List<Params> oneGo = a.propose(0, List.of(), 12);
    List<Params> inSteps = new ArrayList<>();
    for (int i = 0; i < 12; i += 5) {
      inSteps.addAll(b.propose(i, List.of(), Math.min(5, 12 - i)));
    }
    assertThat(inSteps).isEqualTo(oneGo);
  }

  @Test
  void proposalsStayInsideTheSpace() throws Exception {
    for (Params p : create(space(), 3).propose(0, List.of(), 200)) {
      assertThat(p.getInt("nf")).isBetween(10, 100);
      assertThat(p.getDouble("lr")).isBetween(0.01, 0.316);
      assertThat(p.getString("opt")).isIn("sgd", "adam");
      assertThat(p.has("m")).isEqualTo(p.getString("opt").equals("sgd"));
      if (p.has("m")) {
        assertThat(p.getDouble("m")).isBetween(0.0, 1.0);
      }
    }
  }
}
