package io.hps.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hps.json.Json;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Curves from a surrogate model run as a program: it reads one JSON object of parameters per line on
 * standard input and answers each with one line {@code {"valErrors": [...], "seconds": [...]}} (the
 * validation error after each epoch, and the cumulative seconds; seconds may be absent), or
 * {@code {"error": "..."}}. Answers are cached: a surrogate is deterministic. Close it to end the program.
 */
public final class SurrogateCurves implements Curves, AutoCloseable {
  private final SearchSpace space;
  private final int maxEpochs;
  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private final Map<Params, Recorded.Run> cache = new HashMap<>();
  private final List<String> command;

  public SurrogateCurves(List<String> command, SearchSpace space, int maxEpochs) throws IOException {
    this.command = List.copyOf(command);
    this.space = space;
    this.maxEpochs = maxEpochs;
    this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  @Override
  public SearchSpace space() {
    return space;
  }

  @Override
  public int maxEpochs() {
    return maxEpochs;
  }

  @Override
  public Recorded.Run answer(Params params) {
    return cache.computeIfAbsent(params, this::ask);
  }

  private Recorded.Run ask(Params params) {
    String line;
    try {
      in.write(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(params.values()));
      in.newLine();
      in.flush();
      line = out.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("the surrogate " + command + " stopped answering (" + e.getMessage() + ")", e);
    }
    if (line == null) {
      throw new IllegalStateException("the surrogate " + command + " exited without answering " + params);
    }
    JsonNode answer;
    try {
      answer = Json.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException("the surrogate answered a line that is not JSON: " + line, e);
    }
    if (answer.has("error")) {
      throw new IllegalStateException("the surrogate could not answer " + params + ": " + answer.get("error").asText());
    }
    double[] errors = numbers(answer.get("valErrors"), "valErrors");
    double[] seconds = answer.has("seconds") ? numbers(answer.get("seconds"), "seconds") : new double[errors.length];
    if (errors.length == 0 || seconds.length != errors.length) {
      throw new IllegalStateException("the surrogate's answer needs as many 'seconds' as 'valErrors' (at least one): "
          + line);
    }
    return new Recorded.Run("surrogate", params, errors, seconds);
  }

  private static double[] numbers(JsonNode node, String what) {
    if (node == null || !node.isArray()) {
      throw new IllegalStateException("the surrogate's answer has no '" + what + "' list");
    }
    double[] values = new double[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = node.get(i).asDouble(Double.NaN);
    }
    return values;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // the program is gone already: nothing to tell it
    }
    process.destroy();
  }
}
