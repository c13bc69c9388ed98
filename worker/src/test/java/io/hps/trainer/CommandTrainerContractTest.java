package io.hps.trainer;

import io.hps.command.CommandTrainer;
import java.util.List;
import java.util.Map;

/**
 * The command trainer with a shell script that prints a curve made up from its seed ({@code {{ }}} are
 * literal braces in a command template). It saves the epoch reached as its checkpoint and resumes from one
 * whose epoch is what {@code HPS_RESUME_EPOCHS} says.
 */
class CommandTrainerContractTest extends TrainerContract {
  static final String SCRIPT = "e=1; "
      + "if [ -n \"$HPS_RESUME_DIR\" ]; then s=$(cat \"$HPS_RESUME_DIR/state\" 2>/dev/null); "
      + "if [ \"$s\" = \"$HPS_RESUME_EPOCHS\" ]; then e=$((s+1)); fi; fi; "
      + "while [ $e -le $HPS_EPOCHS ]; do "
      + "if [ \"$1\" = big ]; then loss='\"NaN\"'; else loss=$(awk -v e=$e -v s=$HPS_SEED 'BEGIN{{print 1/(e+s/100)}}'); fi; "
      + "echo \"HPS_EPOCH {{\\\"epoch\\\": $e, \\\"trainLoss\\\": $loss, \\\"valLoss\\\": 0.5,"
      + " \\\"valError\\\": 0.2}}\"; e=$((e+1)); sleep 0.05; done; "
      + "if [ -n \"$HPS_CHECKPOINT_DIR\" ]; then echo $HPS_EPOCHS > \"$HPS_CHECKPOINT_DIR/state\"; fi";

  @Override
  protected Trainer trainer() {
    return new CommandTrainer(List.of("sh", "-c", SCRIPT, "sh", "{size}"));
  }

  @Override
  protected Map<String, Object> good() {
    return Map.of("size", "small");
  }

  @Override
  protected Map<String, Object> diverging() {
    return Map.of("size", "big");
  }

  @Override
  protected Map<String, Object> bad() {
    return Map.of("lr", 0.1); // no {size} for the placeholder
  }
}
