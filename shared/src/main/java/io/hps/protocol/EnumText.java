package io.hps.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one way an enum of the protocol is written as text (in JSON files and on the command line): its
 * name in lower case with {@code -} for {@code _} ({@code SUCCESSIVE_HALVING} is
 * {@code successive-halving}); read back exactly so (the command line lower-cases first), with an error
 * that lists the allowed values.
 */
public final class EnumText {
  private EnumText() {}

  public static String text(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The constant of {@code type} written as {@code text}.
   *
   * @param what what the value is, for the error ("mode", "stopping rule")
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
    for (E value : type.getEnumConstants()) {
      if (text(value).equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + text + "' ("
        + Arrays.stream(type.getEnumConstants()).map(EnumText::text).collect(Collectors.joining(", ")) + ")");
  }
}
