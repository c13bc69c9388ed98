package io.hps.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page: headings, paragraphs, tables and PNG figures embedded as data URIs, so
 * the report opens offline and travels as one file.
 */
final class Html {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  Html(String title) {
    this.title = title;
    heading(1, title);
  }

  Html heading(int level, String text) {
    body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
    return this;
  }

  Html paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  Html code(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  Html figure(Path png, String caption) throws IOException {
    String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
    body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,").append(data)
        .append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
    return this;
  }

  Html table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      row.forEach(cell -> body.append("<td>").append(escape(cell)).append("</td>"));
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  void write(Path file) throws IOException {
    String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
        + "img{max-width:100%;border:1px solid #ddd}figure{margin:1.5em 0}figcaption{color:#555;font-size:90%}"
        + "table{border-collapse:collapse;font-size:85%}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        + "th{background:#f0f0f0}pre{background:#f6f6f6;padding:.5em;overflow-x:auto}</style></head>\n<body>\n"
        + body + "</body></html>\n";
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, page);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
