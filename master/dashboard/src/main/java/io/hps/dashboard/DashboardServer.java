package io.hps.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hps.json.Json;
import io.hps.study.DurableFiles;
import io.hps.study.Limits;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code hps dashboard}: a read-only web server over one study directory, or every study under a folder.
 * Its own small HTTP server ({@link HttpLoop}: no dependency to keep up to date, and no client can hold it
 * up for another); the page is static files from this jar and uPlot's charts, and it asks for JSON every
 * second. Nothing is ever
 * written into a study; only the files the protocol names can be fetched raw, by patterns, never by a
 * path the browser makes up.
 */
public final class DashboardServer implements AutoCloseable {
  /** Files the raw view may serve, relative to a study: the protocol's own kinds, by name patterns. */
  private static final List<Pattern> RAW = List.of(
      Pattern.compile("(study|master)\\.json"),
      Pattern.compile("(results|pending|progress|stop|requeue)/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\.json"),
      Pattern.compile("claimed/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\.(json|publishing)"),
      Pattern.compile("workers/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\.json"),
      Pattern.compile("batches/b[0-9]{1,9}\\.json"),
      Pattern.compile("quarantine/[A-Za-z0-9_][A-Za-z0-9_.-]{0,120}"));
  private static final Map<String, String> STATIC = Map.of(
      "app.js", "io/hps/dashboard/app.js",
      "app.css", "io/hps/dashboard/app.css",
      "uPlot.iife.min.js", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
      "uPlot.min.css", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css");

  private final Path root;
  private final boolean many;
  private final Map<String, StudyView> views = new TreeMap<>();
  private long lastScan;
  /** Folders under the root that could not be read at the last scan. */
  private List<String> skipped = List.of();
  private final String boundHost;
  private final HttpLoop server;

  private DashboardServer(Path root, boolean many, String host, int port, HttpLoop.Limits limits)
      throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.many = many;
    if (!many) {
      views.put("", new StudyView(new StudyDirectory(this.root), 500));
    }
    this.boundHost = host;
    server = new HttpLoop(new InetSocketAddress(host, port), this::handle, limits);
  }

  /** A dashboard of the study at {@code study}, listening on {@code host:port} (0: any free port). */
  public static DashboardServer ofStudy(Path study, String host, int port) throws IOException {
    return new DashboardServer(study, false, host, port, HttpLoop.Limits.DEFAULT);
  }

  /** The same with other limits on connections, for tests. */
  static DashboardServer ofStudy(Path study, String host, int port, HttpLoop.Limits limits) throws IOException {
    return new DashboardServer(study, false, host, port, limits);
  }

  /** A dashboard of every study under {@code root} (folders with a study.json, up to 3 levels down). */
  public static DashboardServer ofRoot(Path root, String host, int port) throws IOException {
    return new DashboardServer(root, true, host, port, HttpLoop.Limits.DEFAULT);
  }

  /** Reads the studies once (so the first page comes fast) and starts serving. */
  public DashboardServer start() {
    studies().values().forEach(StudyView::snapshot);
    server.start();
    return this;
  }

  /** The address to open in a browser. */
  public URI uri() {
    InetSocketAddress a = server.address();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
  }

  @Override
  public void close() {
    server.close();
  }

  /** The studies shown, by name ("" for the one study of {@code --study}). */
  public synchronized java.util.Set<String> studyNames() {
    return studies().keySet();
  }

  private synchronized Map<String, StudyView> studies() {
    if (!many || System.currentTimeMillis() - lastScan < 5000) {
      return new TreeMap<>(views);
    }
    lastScan = System.currentTimeMillis();
    TreeSet<String> found = new TreeSet<>();
    List<String> unreadable = new ArrayList<>();
    try {
      Files.walkFileTree(root, java.util.Set.of(), 3, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
          if (p.getFileName().toString().equals("study.json") && a.isRegularFile()) {
            String name = root.relativize(p.getParent()).toString().replace('\\', '/');
            found.add(name.isEmpty() ? "." : name);
          }
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) {
          unreadable.add(root.relativize(p) + ": " + e.getClass().getSimpleName()); // skipped, listed
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      unreadable.add(root + ": " + e.getMessage());
    }
    skipped = List.copyOf(unreadable);
    views.keySet().retainAll(found);
    answers.keySet().retainAll(views.values());
    pageRows.keySet().retainAll(views.values());
    for (String name : found) {
      views.computeIfAbsent(name, n -> new StudyView(new StudyDirectory(n.equals(".") ? root : root.resolve(n)), 500));
    }
    return new TreeMap<>(views);
  }

  private HttpLoop.Response handle(HttpLoop.Request r) throws IOException {
    if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
      return send(405, "text/plain", "read only: GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
    }
    if (!hostAllowed(r.header("Host"))) {
      // A page of another site that reaches this port through its own DNS name (DNS rebinding) is refused.
      return send(403, "text/plain; charset=utf-8", "unknown Host header\n".getBytes(StandardCharsets.UTF_8));
    }
    String path = r.uri().getPath();
    Map<String, String> q = query(r.uri().getRawQuery());
    if (path.equals("/") || path.equals("/index.html")) {
      return send(200, "text/html; charset=utf-8", resource("io/hps/dashboard/index.html"));
    } else if (path.startsWith("/static/") && STATIC.containsKey(path.substring(8))) {
      String name = path.substring(8);
      return send(200, name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
          resource(STATIC.get(name)));
    } else if (path.equals("/api/studies")) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("many", many);
      o.put("root", root.toString());
      ArrayNode skippedNode = o.putArray("unreadable");
      skipped.forEach(skippedNode::add);
      ArrayNode list = o.putArray("studies");
      for (var e : studies().entrySet()) {
        ObjectNode s = StudyJson.summary(e.getKey(), e.getValue().snapshot());
        s.remove("parameters");
        s.remove("problems");
        list.add(s);
      }
      return json(o);
    } else if (path.startsWith("/api/") || path.equals("/raw")) {
      StudyView view = studies().get(many ? q.getOrDefault("study", "") : "");
      if (view == null) {
        return send(404, "text/plain; charset=utf-8", "no such study\n".getBytes(StandardCharsets.UTF_8));
      }
      return api(path, q, view);
    }
    return send(404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The answers computed from one snapshot of a study, by request: many clients polling at once (many
   * browser tabs, a script) cost one computation per snapshot, not one each.
   */
  private record Answers(StudyView.Snapshot snapshot, java.util.concurrent.ConcurrentHashMap<String, HttpLoop.Response>
      byRequest) {
    static final int MOST = 32; // distinct requests kept per snapshot; others are computed each time
  }

  private final Map<StudyView, Answers> answers = new java.util.concurrent.ConcurrentHashMap<>();
  /** Each study's recent settings tables, for pages that ask only for what changed. */
  private final Map<StudyView, PageRows> pageRows = new java.util.concurrent.ConcurrentHashMap<>();

  /** A page's {@code since} version; -1 (every row) when it is not a number. */
  private static long version(String since) {
    try {
      return Long.parseLong(since);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private HttpLoop.Response api(String path, Map<String, String> q, StudyView view) throws IOException {
    if (path.equals("/raw")) {
      return raw(view.root(), q.getOrDefault("file", "")); // a file as it is now, never kept
    }
    StudyView.Snapshot s = view.snapshot();
    Answers a = answers.compute(view, (v, old) -> old != null && old.snapshot() == s ? old
        : new Answers(s, new java.util.concurrent.ConcurrentHashMap<>()));
    String key = path + "?" + new TreeMap<>(q);
    if (a.byRequest().size() >= Answers.MOST && !a.byRequest().containsKey(key)) {
      return answer(path, q, view, s);
    }
    try {
      return a.byRequest().computeIfAbsent(key, k -> {
        try {
          return answer(path, q, view, s);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private HttpLoop.Response answer(String path, Map<String, String> q, StudyView view, StudyView.Snapshot s)
      throws IOException {
    String name = many ? q.get("study") : view.root().getFileName().toString();
    return switch (path) {
      case "/api/summary" -> json(StudyJson.summary(name, s));
      case "/api/settings" -> q.containsKey("since")
          ? json(pageRows.computeIfAbsent(view, v -> new PageRows()).delta(s.version(),
              StudyJson.settings(s, StudyJson.ROWS), version(q.get("since"))))
          : json(StudyJson.settings(s, StudyJson.ROWS));
      case "/api/settings.csv" -> {
        HttpLoop.Response csv = send(200, "text/csv; charset=utf-8",
            csv(StudyJson.settings(s)).getBytes(StandardCharsets.UTF_8));
        csv.headers().put("Content-Disposition", "attachment; filename=\"settings.csv\"");
        yield csv;
      }
      case "/api/curves" -> {
        String ids = q.getOrDefault("ids", "");
        String best = q.getOrDefault("best", "10");
        yield json(StudyJson.curves(s, ids.isEmpty() ? List.of() : Arrays.stream(ids.split(",")).distinct().limit(200)
            .toList(),
            best.matches("[0-9]{1,4}") ? Integer.parseInt(best) : 10));
      }
      case "/api/best" -> json(StudyJson.bestSoFar(s));
      case "/api/tradeoffs" -> json(StudyJson.tradeoffs(s));
      case "/api/timeline" -> json(StudyJson.timeline(s));
      case "/api/quarantine" -> json(Json.MAPPER.valueToTree(s.quarantine()));
      case "/api/slurm" -> {
        JsonNode jobs = null;
        try {
          jobs = s.slurmJobs() == null ? null : Json.MAPPER.readTree(s.slurmJobs());
        } catch (IOException e) {
          jobs = JsonNodeFactory.instance.textNode("slurm/jobs.json is not JSON: " + e.getMessage());
        }
        yield json(jobs == null ? JsonNodeFactory.instance.nullNode() : jobs);
      }
      case "/api/setting" -> {
        ObjectNode o = StudyJson.setting(s, q.getOrDefault("id", ""));
        if (o != null) {
          StudyJson.explain(o, view.root(), s);
        }
        yield o == null ? send(404, "text/plain; charset=utf-8", "no such setting\n".getBytes(StandardCharsets.UTF_8))
            : json(o);
      }
      default -> send(404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
    };
  }

  /** A protocol file of the study as text, if its name matches one of the {@link #RAW} patterns. */
  private static HttpLoop.Response raw(Path study, String file) {
    boolean allowed = !file.contains("..") && RAW.stream().anyMatch(p -> p.matcher(file).matches());
    Path target = allowed ? study.resolve(file).normalize() : null;
    if (!allowed || !target.startsWith(study)) {
      return send(403, "text/plain; charset=utf-8", ("not a study file this page shows: " + file + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    String text;
    try {
      // readSmall refuses symbolic links and what is not a regular file; each parent is checked too.
      for (Path p = target.getParent(); p != null && p.startsWith(study) && !p.equals(study); p = p.getParent()) {
        if (Files.isSymbolicLink(p)) {
          throw new IOException("a folder on the way is a symbolic link");
        }
      }
      text = DurableFiles.readSmall(target, Limits.RESULT);
    } catch (java.nio.file.NoSuchFileException e) {
      return send(404, "text/plain; charset=utf-8", ("gone: " + file + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return send(403, "text/plain; charset=utf-8", (file + ": " + e.getMessage() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    return send(200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** The settings table as CSV: fixed columns, then one per parameter. */
  static String csv(ArrayNode rows) {
    List<String> fixed = List.of("id", "status", "worker", "epochs", "budget", "valError", "seconds", "attempt",
        "finished");
    TreeSet<String> params = new TreeSet<>();
    rows.forEach(r -> {
      if (r.has("params")) {
        r.get("params").fieldNames().forEachRemaining(params::add);
      }
    });
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(fixed);
    params.forEach(p -> header.add("param." + p));
    out.append(String.join(",", header.stream().map(DashboardServer::cell).toList())).append('\n');
    for (JsonNode r : rows) {
      List<String> cells = new ArrayList<>();
      for (String f : fixed) {
        cells.add(cell(r.has(f) && !r.get(f).isNull() ? r.get(f).asText() : ""));
      }
      for (String p : params) {
        JsonNode v = r.path("params").get(p);
        cells.add(cell(v == null || v.isNull() ? "" : v.asText()));
      }
      out.append(String.join(",", cells)).append('\n');
    }
    return out.toString();
  }

  /**
   * A CSV cell, quoted when it must be; one that starts with = + - @, a tab or a return and is not a plain
   * number is prefixed with ' so a spreadsheet shows it as text instead of running it.
   */
  private static String cell(String v) {
    String s = !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0
        && !v.matches("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?") ? "'" + v : v;
    return s.matches("[^,\"\\r\\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** The Host header names this server: localhost, a loopback address, or the address it listens on. */
  private boolean hostAllowed(String host) {
    if (boundHost.equals("0.0.0.0") || boundHost.equals("::")) {
      return true; // served to the network on purpose (--host): any name of this machine
    }
    if (host == null) {
      return false;
    }
    String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
        : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
    return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]") || name.equals(boundHost)
        || name.equals("[" + boundHost + "]");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing from the jar: " + name);
      }
      return in.readAllBytes();
    }
  }

  private static HttpLoop.Response json(JsonNode node) throws IOException {
    return send(200, "application/json; charset=utf-8", Json.MAPPER.writer()
        .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node));
  }

  private static HttpLoop.Response send(int code, String type, byte[] body) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", type);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Cache-Control", "no-store");
    h.put("Referrer-Policy", "no-referrer");
    // Only this server's scripts run; data is shown as text by the page, never as markup.
    h.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
        + " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    return new HttpLoop.Response(code, h, body);
  }
}
