package io.hps.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes figures as PNG (for reports) and SVG (for editing: real text elements), both drawn by one
 * {@link FigurePainter}, so they show the same ticks, labels and legend.
 */
public final class Charts {
  /** Ten distinguishable colours (the Tableau 10 palette). */
  static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf)};

  /** Line styles for {@link Series#style()}: solid, dashed, dotted, dash-dot. */
  static final int STYLES = FigurePainter.DASHES.length;

  private Charts() {}

  /** Writes {@code <name>.png} and {@code <name>.svg} into {@code dir}; returns the files written. */
  public static List<Path> write(Figure figure, Path dir) throws IOException {
    Files.createDirectories(dir);
    FigurePainter painter = new FigurePainter(figure);
    PngCanvas png = new PngCanvas(FigurePainter.WIDTH, painter.height());
    painter.paint(png);
    Path pngFile = dir.resolve(figure.name() + ".png");
    javax.imageio.ImageIO.write(png.image(), "png", pngFile.toFile());
    SvgCanvas svg = new SvgCanvas(FigurePainter.WIDTH, painter.height());
    new FigurePainter(figure).paint(svg);
    Path svgFile = dir.resolve(figure.name() + ".svg");
    Files.writeString(svgFile, svg.document(), java.nio.charset.StandardCharsets.UTF_8);
    return List.of(pngFile, svgFile);
  }
}
