package io.hps.scenario;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How the report and the raw tables write numbers: one style for each, everywhere. */
final class Numbers {
  private Numbers() {}

  /**
   * For reading: four significant digits without trailing zeros (0.09, 0.735, 12.5), powers of ten past
   * 1e5 and below 1e-4 (1.42e9, 3e-6); non-finite numbers as NaN, inf, -inf.
   */
  static String shown(double v) {
    return format(v, 4);
  }

  /** For the raw tables: the same with six significant digits. */
  static String raw(double v) {
    return format(v, 6);
  }

  private static String format(double v, int digits) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v != 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-4)) {
      String s = String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
      String mantissa = s.substring(0, s.indexOf('e'));
      int exponent = Integer.parseInt(s.substring(s.indexOf('e') + 1));
      if (mantissa.contains(".")) {
        mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
      }
      return mantissa + "e" + exponent;
    }
    return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
  }

  /** Seconds for reading: one decimal from 1 s up (4.3, 36.2), two significant digits below (0.36, 0.034). */
  static String seconds(double s) {
    if (Double.isFinite(s) && s != 0 && Math.abs(s) < 1) {
      return new BigDecimal(s).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.1f", s);
  }
}
