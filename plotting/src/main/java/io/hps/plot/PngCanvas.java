package io.hps.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** A {@link Canvas} that draws into an image with Java2D (antialiased), for PNG files. */
final class PngCanvas implements Canvas {
  private final BufferedImage image;
  private final Graphics2D g;

  PngCanvas(int width, int height) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
  }

  @Override
  public void rect(double x, double y, double width, double height, Color stroke, Color fill) {
    Rectangle2D r = new Rectangle2D.Double(x, y, width, height);
    if (fill != null) {
      g.setColor(fill);
      g.fill(r);
    }
    if (stroke != null) {
      g.setColor(stroke);
      g.setStroke(new BasicStroke(1f));
      g.draw(r);
    }
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, Color colour, double width, float[] dash) {
    g.setColor(colour);
    g.setStroke(stroke(width, dash));
    g.draw(new Line2D.Double(x1, y1, x2, y2));
  }

  @Override
  public void path(double[] xs, double[] ys, Color colour, double width, float[] dash, String title) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < xs.length; i++) {
      if (i == 0) {
        p.moveTo(xs[i], ys[i]);
      } else {
        p.lineTo(xs[i], ys[i]);
      }
    }
    g.setColor(colour);
    g.setStroke(stroke(width, dash));
    g.draw(p);
  }

  @Override
  public void marker(Marker marker, double x, double y, Color colour, String title) {
    g.setColor(colour);
    switch (marker) {
      case DOT, POINT -> {
        double r = marker == Marker.DOT ? 2.5 : 4;
        g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
      }
      case CROSS -> {
        g.setStroke(new BasicStroke(2f));
        g.draw(new Line2D.Double(x - 4, y - 4, x + 4, y + 4));
        g.draw(new Line2D.Double(x - 4, y + 4, x + 4, y - 4));
      }
      case TRIANGLE -> {
        Path2D.Double t = new Path2D.Double();
        t.moveTo(x, y - 5);
        t.lineTo(x + 6, y + 5);
        t.lineTo(x - 6, y + 5);
        t.closePath();
        g.fill(t);
      }
      case RING -> {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(2.5f));
        g.draw(new Ellipse2D.Double(x - 8, y - 8, 16, 16));
      }
    }
  }

  @Override
  public void text(double x, double y, String text, Anchor anchor, double size, boolean bold, boolean vertical) {
    Font font = new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size);
    g.setFont(font);
    g.setColor(Color.BLACK);
    double w = Canvas.width(text, size, bold);
    double shift = anchor == Anchor.START ? 0 : anchor == Anchor.MIDDLE ? -w / 2 : -w;
    if (vertical) {
      var saved = g.getTransform();
      g.rotate(-Math.PI / 2, x, y);
      g.drawString(text, (float) (x + shift), (float) y);
      g.setTransform(saved);
    } else {
      g.drawString(text, (float) (x + shift), (float) y);
    }
  }

  @Override
  public void clip(double x, double y, double width, double height) {
    g.setClip(new Rectangle2D.Double(x, y, width, height));
  }

  @Override
  public void unclip() {
    g.setClip(null);
  }

  BufferedImage image() {
    return image;
  }

  private static BasicStroke stroke(double width, float[] dash) {
    // Round ends for curves; square-cut ends for thick bars (a timeline's), which must end where they end.
    return dash == null || dash.length == 0 ? new BasicStroke((float) width, width > 4 ? BasicStroke.CAP_BUTT
        : BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND) : new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10,
        dash, 0);
  }
}
