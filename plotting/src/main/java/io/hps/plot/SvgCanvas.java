package io.hps.plot;

import java.awt.Color;
import java.util.Locale;

/** A {@link Canvas} that writes SVG elements, text as text. */
final class SvgCanvas implements Canvas {
  private final StringBuilder svg = new StringBuilder();
  private int clips;
  private boolean clipped;

  SvgCanvas(int width, int height) {
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
  }

  @Override
  public void rect(double x, double y, double width, double height, Color stroke, Color fill) {
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\""
        + " stroke=\"%s\"/>%n", x, y, width, height, colour(fill), colour(stroke)));
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, Color colour, double width, float[] dash) {
    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
        + " stroke-width=\"%s\"%s/>%n", x1, y1, x2, y2, colour(colour), number(width), dash(dash)));
  }

  @Override
  public void path(double[] xs, double[] ys, Color colour, double width, float[] dash, String title) {
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < xs.length; i++) {
      d.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "M" : " L", xs[i], ys[i]));
    }
    svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s>%s</path>%n",
        d, colour(colour), number(width), dash(dash), tooltip(title)));
  }

  @Override
  public void marker(Marker marker, double x, double y, Color colour, String title) {
    String c = colour(colour);
    String tip = tooltip(title);
    switch (marker) {
      case DOT, POINT -> svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\""
          + " fill=\"%s\">%s</circle>%n", x, y, marker == Marker.DOT ? "2.5" : "4", c, tip));
      case CROSS -> svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f,%.1f l8,8 m0,-8 l-8,8\" stroke=\"%s\""
          + " stroke-width=\"2\">%s</path>%n", x - 4, y - 4, c, tip));
      case TRIANGLE -> svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f,%.1f l6,10 h-12 z\" fill=\"%s\">%s"
          + "</path>%n", x, y - 5, c, tip));
      case RING -> svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"none\""
          + " stroke=\"black\" stroke-width=\"2.5\">%s</circle>%n", x, y, tip));
    }
  }

  @Override
  public void text(double x, double y, String text, Anchor anchor, double size, boolean bold, boolean vertical) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%s\"%s%s>%s"
        + "</text>%n", x, y, anchor.name().toLowerCase(Locale.ROOT), number(size),
        bold ? " font-weight=\"bold\"" : "", vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"",
        x, y) : "", escape(text)));
  }

  @Override
  public void clip(double x, double y, double width, double height) {
    clips++;
    svg.append(String.format(Locale.ROOT, "<clipPath id=\"clip%d\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
        + " height=\"%.1f\"/></clipPath>%n<g clip-path=\"url(#clip%d)\">%n", clips, x, y, width, height, clips));
    clipped = true;
  }

  @Override
  public void unclip() {
    if (clipped) {
      svg.append("</g>\n");
      clipped = false;
    }
  }

  /** The document, closed. */
  String document() {
    unclip();
    return svg + "</svg>\n";
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String tooltip(String title) {
    return title == null || title.isEmpty() ? "" : "<title>" + escape(title) + "</title>";
  }

  private static String colour(Color c) {
    return c == null ? "none" : String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }

  private static String dash(float[] dash) {
    if (dash == null || dash.length == 0) {
      return "";
    }
    StringBuilder d = new StringBuilder();
    for (float f : dash) {
      d.append(d.length() == 0 ? "" : ",").append(number(f));
    }
    return " stroke-dasharray=\"" + d + "\"";
  }

  private static String number(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d).replaceAll("0+$", "");
  }
}
