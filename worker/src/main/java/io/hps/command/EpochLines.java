package io.hps.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hps.protocol.Epoch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a program's epoch lines into epochs: one JSON object per line with {@code epoch} (1, 2, ... in
 * order), {@code trainLoss}, {@code valLoss} and {@code valError} (snake_case works too), optional
 * {@code trainSeconds} and {@code valSeconds}, and any further numbers as metrics. Numbers may be
 * {@code NaN} or {@code Infinity}, bare (as Python's json module writes them) or as strings. hps stamps
 * {@code elapsedSeconds}. A bad line is an error that names the line and what is wrong with it.
 */
final class EpochLines {
  /** The prefix of an epoch line on standard output. */
  static final String STDOUT_PREFIX = "HPS_EPOCH ";
  private static final ObjectMapper LENIENT = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Map<String, String> ALIASES = Map.of("train_loss", "trainLoss", "val_loss", "valLoss",
      "val_error", "valError", "train_seconds", "trainSeconds", "val_seconds", "valSeconds");
  private static final Set<String> REQUIRED = Set.of("trainLoss", "valLoss", "valError");

  private final Integer budget;
  /** Epochs of the checkpoint the program was offered to resume from (0: none). */
  private final int resumable;
  private int last;

  /** Lines of a trial that should have {@code budget} epochs (null: not known). */
  EpochLines(Integer budget) {
    this(budget, 0);
  }

  /**
   * The same, for a program offered a checkpoint of {@code resumable} epochs: its first epoch is 1 (it
   * trained from scratch) or {@code resumable + 1} (it resumed).
   */
  EpochLines(Integer budget, int resumable) {
    this.budget = budget;
    this.resumable = resumable;
  }

  /** The number of the last epoch accepted. */
  int last() {
    return last;
  }

  /** Parses one line; {@code where} names it in errors ("line 3 of epochs.jsonl"). */
  Epoch parse(String line, String where, double elapsedSeconds) {
    JsonNode node;
    try {
      node = LENIENT.readTree(line);
    } catch (JsonProcessingException e) {
      throw bad(where, "is not a JSON object: " + e.getOriginalMessage(), line);
    }
    if (node == null || !node.isObject()) {
      throw bad(where, "is not a JSON object", line);
    }
    Map<String, Double> values = new LinkedHashMap<>();
    Integer epoch = null;
    for (var it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      String name = ALIASES.getOrDefault(field.getKey(), field.getKey());
      if (name.equals("epoch")) {
        if (!field.getValue().canConvertToInt() || !field.getValue().isIntegralNumber()) {
          throw bad(where, "'epoch' must be an integer, not " + field.getValue(), line);
        }
        epoch = field.getValue().asInt();
      } else if (!name.equals("elapsedSeconds") && !name.equals("elapsed_seconds")) {
        values.put(name, number(field.getValue(), name, where, line));
      }
    }
    if (epoch == null) {
      throw bad(where, "has no 'epoch' (each line needs epoch, trainLoss, valLoss, valError)", line);
    }
    for (String name : REQUIRED) {
      if (!values.containsKey(name)) {
        throw bad(where, "has no '" + name + "' (each line needs epoch, trainLoss, valLoss, valError)", line);
      }
    }
    if (last == 0 && resumable > 0 && epoch == resumable + 1) {
      last = resumable; // the program resumed from the checkpoint
    }
    if (epoch != last + 1) {
      throw bad(where, "is epoch " + epoch + " but epoch " + (last + 1) + " was expected next (epochs are"
          + " numbered 1, 2, ... in order, each once" + (resumable > 0 && last == 0 ? "; or from " + (resumable + 1)
          + " after resuming from $HPS_RESUME_DIR" : "") + ")", line);
    }
    if (budget != null && epoch > budget) {
      throw bad(where, "is epoch " + epoch + ", past the setting's budget of " + budget + " epochs", line);
    }
    Double trainSeconds = values.remove("trainSeconds");
    Double valSeconds = values.remove("valSeconds");
    double trainLoss = values.remove("trainLoss");
    double valLoss = values.remove("valLoss");
    double valError = values.remove("valError");
    Epoch parsed;
    try {
      parsed = new Epoch(epoch, trainLoss, valLoss, valError, elapsedSeconds, trainSeconds, valSeconds, values);
    } catch (IllegalArgumentException e) {
      throw bad(where, e.getMessage(), line);
    }
    last = epoch;
    return parsed;
  }

  private static double number(JsonNode value, String name, String where, String line) {
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isTextual()) {
      switch (value.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw bad(where, "'" + name + "' must be a number, not " + value, line);
  }

  private static IllegalArgumentException bad(String where, String what, String line) {
    String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
    return new IllegalArgumentException(where + " " + what + ": " + shown);
  }
}
