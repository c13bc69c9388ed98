package io.hps.trainer;

import java.util.Arrays;
import java.util.Locale;

/** The kinds of network a setting's {@code model} parameter names. */
public enum Model {
  SYNTHETIC, CNN, DENSE;

  /** The model named by a setting, with an error that lists the known ones. */
  public static Model parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown model '" + text + "' (known: "
          + Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList() + ")");
    }
  }
}
