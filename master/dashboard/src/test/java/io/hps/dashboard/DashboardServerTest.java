package io.hps.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hps.json.Json;
import io.hps.protocol.Batch;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's server over HTTP, without a browser: what it serves, what it refuses, bad files. */
class DashboardServerTest {
  @TempDir
  Path root;
  StudyDirectory study;
  DashboardServer server;
  final HttpClient http = HttpClient.newHttpClient();
  final Instant t = Instant.parse("2026-12-02T10:00:00Z");

  @BeforeEach
  void study() throws Exception {
    study = new StudyDirectory(root.resolve("runs").resolve("demo")).create();
    StudyConfig config = StudyConfig.builder(SearchSpace.parse(Json.MAPPER.readTree("{\"parameters\": {\"model\":"
        + " \"synthetic\", \"epochs\": 2, \"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 0.3}}}"), "t")
        .toJson(), Strategy.RANDOM).name("demo").created(t).trials(3).build();
    DurableFiles.writeJson(study.config(), config, true);
    List<Setting> settings = List.of(setting("s000000", 0.05), setting("s000001", 0.1), setting("s000002", 0.2));
    DurableFiles.writeJson(study.batches().resolve("b000000.json"), new Batch(1, 0, t, 0, settings), true);
    DurableFiles.writeJson(study.results().resolve("s000000.json"), Result.of(settings.get(0), Status.COMPLETE, null,
        "w1", t, t.plusSeconds(3), List.of(new Epoch(1, 1.0, 1.1, 0.5, 1.5), new Epoch(2, 0.5, 0.6, 0.25, 3.0)),
        Map.of()), true);
    Files.writeString(study.results().resolve("s000001.json"), "{\"not\": \"a result\"");
    server = DashboardServer.ofStudy(study.root(), "127.0.0.1", 0).start();
  }

  Setting setting(String id, double lr) {
    return new Setting(id, Integer.parseInt(id.substring(1)), 0, 0, t, new Params(Map.of("model", "synthetic",
        "epochs", 2L, "lr", lr, "seed", 42L)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * {@code path} once {@code ready} holds of it: the server re-reads the study at most twice a second, so a
   * change shows within about half a second (10 s at the most here, then the last answer is returned).
   */
  HttpResponse<String> getWhen(String path, java.util.function.Predicate<HttpResponse<String>> ready)
      throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      HttpResponse<String> r = get(path);
      if (ready.test(r) || System.nanoTime() > deadline) {
        return r;
      }
      Thread.sleep(50);
    }
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSummaryCountsTheStudyAndNamesTheFilesItCouldNotRead() throws Exception {
    HttpResponse<String> r = get("/api/summary");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
    JsonNode s = Json.MAPPER.readTree(r.body());
    assertThat(s.get("counts").get("complete").asInt()).isEqualTo(1);
    assertThat(s.get("counts").get("proposed").asInt()).isEqualTo(3);
    assertThat(s.get("best").get("id").asText()).isEqualTo("s000000");
    assertThat(s.get("problems").get(0).get("file").asText()).isEqualTo("results/s000001.json");
    assertThat(s.get("parameters").get(0).get("log").asBoolean()).isTrue();
    JsonNode rows = Json.MAPPER.readTree(get("/api/settings").body());
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("valError").asDouble()).isEqualTo(0.25);
    assertThat(rows.get(1).get("status").asText()).isEqualTo("proposed");
  }

  /**
   * A study larger than a page: the page gets {@link StudyJson#ROWS} settings (the oldest waiting ones, the best
   * and the latest finished), about as many points of the best-so-far curve, and the CSV gets every setting.
   */
  @Test
  void aLargeStudyIsSentInPartAndItsCsvWhole() throws Exception {
    server.close();
    Path big = root.resolve("runs").resolve("big");
    StudyDirectory bigStudy = new StudyDirectory(big).create();
    DurableFiles.writeJson(bigStudy.config(), study.readConfig().orElseThrow(), false);
    List<Setting> settings = new java.util.ArrayList<>();
    for (int i = 0; i < 2600; i++) {
      settings.add(setting(io.hps.protocol.Ids.setting(i), 0.01 + i * 1e-4));
    }
    DurableFiles.writeJson(bigStudy.batches().resolve("b000000.json"), new Batch(1, 0, t, 0, settings), false);
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 2300; i++) {
      double error = i == 700 ? 0.001 : 0.1 + 0.8 * random.nextDouble();
      DurableFiles.writeJson(bigStudy.results().resolve(settings.get(i).id() + ".json"), Result.of(settings.get(i),
          Status.COMPLETE, null, "w1", t, t.plusSeconds(i), List.of(new Epoch(1, error, error, error, 1.0)), Map.of()),
          false);
    }
    // read on two threads at the first look: the files it cannot take are named as when read one by one
    Files.copy(bigStudy.results().resolve("s000005.json"), bigStudy.results().resolve("s002301.json"));
    Files.writeString(bigStudy.results().resolve("s002302.json"), "{\"damaged\": ");
    server = DashboardServer.ofStudy(big, "127.0.0.1", 0).start();
    JsonNode summary = Json.MAPPER.readTree(get("/api/summary").body());
    assertThat(summary.get("settingsTotal").asInt()).isEqualTo(2600);
    assertThat(summary.get("counts").get("complete").asInt()).isEqualTo(2300);
    java.util.Map<String, String> problems = new java.util.TreeMap<>();
    summary.get("problems").forEach(p -> problems.put(p.get("file").asText(), p.get("reason").asText()));
    assertThat(problems.keySet()).containsExactly("results/s002301.json", "results/s002302.json");
    assertThat(problems.get("results/s002301.json")).isEqualTo("holds the result of s000005");
    JsonNode rows = Json.MAPPER.readTree(get("/api/settings").body());
    assertThat(rows.size()).isEqualTo(StudyJson.ROWS);
    java.util.Set<String> ids = new java.util.HashSet<>();
    rows.forEach(r -> ids.add(r.get("id").asText()));
    assertThat(ids).contains("s002300", "s002599", "s000700", "s002299");
    assertThat(get("/api/settings.csv").body().lines().count()).isEqualTo(2601);
    JsonNode best = Json.MAPPER.readTree(get("/api/best").body());
    assertThat(best.get("evaluated").size()).isBetween(StudyJson.ROWS, StudyJson.ROWS + 20);
    assertThat(best.get("evaluated").get(best.get("evaluated").size() - 1).asInt()).isEqualTo(2300);
    assertThat(best.get("best").get(best.get("best").size() - 1).asDouble()).isEqualTo(0.001);
  }

  @Test
  void aPollAfterAChangeGetsOnlyTheRowsThatDiffer() throws Exception {
    JsonNode first = Json.MAPPER.readTree(get("/api/settings?since=-1").body());
    assertThat(first.get("since").isNull()).as("no version: every row").isTrue();
    assertThat(first.get("rows").size()).isEqualTo(first.get("ids").size()).isGreaterThan(1);
    long v = first.get("version").asLong();
    JsonNode same = Json.MAPPER.readTree(get("/api/settings?since=" + v).body());
    assertThat(same.get("rows")).as("nothing changed").isEmpty();
    assertThat(same.get("ids")).isEqualTo(first.get("ids"));
    Setting third = setting("s000002", 0.2);
    DurableFiles.writeJson(study.results().resolve("s000002.json"), Result.of(third, Status.COMPLETE, null, "w2", t,
        t.plusSeconds(9), List.of(new Epoch(1, 1.0, 1.0, 0.1, 2.0)), Map.of()), true);
    getWhen("/api/summary", r -> r.body().contains("\"complete\":2"));
    JsonNode delta = Json.MAPPER.readTree(get("/api/settings?since=" + v).body());
    assertThat(delta.get("since").asLong()).isEqualTo(v);
    assertThat(delta.get("version").asLong()).isGreaterThan(v);
    assertThat(delta.get("rows")).hasSize(1);
    assertThat(delta.get("rows").get(0).get("id").asText()).isEqualTo("s000002");
    assertThat(delta.get("rows").get(0).get("status").asText()).isEqualTo("complete");
    // the rows a page has after merging are the rows of a page that asked for all of them
    java.util.Map<String, JsonNode> merged = new java.util.HashMap<>();
    first.get("rows").forEach(r -> merged.put(r.get("id").asText(), r));
    delta.get("rows").forEach(r -> merged.put(r.get("id").asText(), r));
    JsonNode whole = Json.MAPPER.readTree(get("/api/settings").body());
    List<JsonNode> rebuilt = new java.util.ArrayList<>();
    delta.get("ids").forEach(id -> rebuilt.add(merged.get(id.asText())));
    assertThat(rebuilt).containsExactlyElementsOf(whole);
    assertThat(Json.MAPPER.readTree(get("/api/settings?since=123456").body()).get("rows"))
        .as("a version the server does not know: every row").hasSize(whole.size());
    assertThat(Json.MAPPER.readTree(get("/api/settings?since=abc").body()).get("since").isNull()).isTrue();
  }

  @Test
  void newResultsAreSeenOnTheNextPollWithoutRereadingTheOldOnes() throws Exception {
    long v = Json.MAPPER.readTree(get("/api/summary").body()).get("version").asLong();
    Setting third = setting("s000002", 0.2);
    DurableFiles.writeJson(study.results().resolve("s000002.json"), Result.of(third, Status.COMPLETE, null, "w2", t,
        t.plusSeconds(9), List.of(new Epoch(1, 1.0, 1.0, 0.1, 2.0)), Map.of()), true);
    // An old result replaced behind the server's back (never done by hps) is not read again: it was read once.
    Files.writeString(study.results().resolve("s000000.json"), "{}");
    JsonNode s = Json.MAPPER.readTree(getWhen("/api/summary", r -> r.body().contains("\"complete\":2")).body());
    assertThat(s.get("version").asLong()).isGreaterThan(v);
    assertThat(s.get("counts").get("complete").asInt()).isEqualTo(2);
    assertThat(s.get("best").get("id").asText()).isEqualTo("s000002");
  }

  @Test
  void onlyTheProtocolsOwnFilesCanBeFetchedRaw() throws Exception {
    assertThat(get("/raw?file=results/s000000.json").body()).contains("\"s000000\"");
    assertThat(get("/raw?file=study.json").statusCode()).isEqualTo(200);
    for (String bad : List.of("../../etc/passwd", "results/../../../etc/passwd", "/etc/passwd", "results",
        "results/s000000.json/..", "logs/run.log", "%2e%2e/x", "results/s000000.json%00")) {
      assertThat(get("/raw?file=" + bad.replace("/", "%2F")).statusCode()).as(bad).isEqualTo(403);
    }
    Path outside = Files.writeString(root.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(study.results().resolve("s000009.json"), outside);
    HttpResponse<String> link = get("/raw?file=results/s000009.json");
    assertThat(link.statusCode()).isEqualTo(403);
    assertThat(link.body()).doesNotContain("secret");
    assertThat(get("/static/../pom.xml").statusCode()).isEqualTo(404);
    assertThat(get("/static/app.js").body()).contains("textContent");
  }

  /** Issue 26: a claim or progress file that is whole but wrong is shown as a problem, not silently left out. */
  @Test
  void aDamagedClaimOrProgressFileIsAProblemToSee() throws Exception {
    Path claims = Files.createDirectories(study.claimed("w9"));
    Files.writeString(claims.resolve("s000002.json"), "{\"not\": \"a setting\"}");
    Files.createDirectories(study.progress());
    Files.writeString(study.progress().resolve("s000002.json"), "[1, 2]");
    JsonNode s = Json.MAPPER.readTree(getWhen("/api/summary", r -> r.body().contains("claimed/w9")).body());
    assertThat(s.get("problems").toString()).contains("claimed/w9/s000002.json").contains("progress/s000002.json");
  }

  @Test
  void aLinkAmongTheClaimsIsAProblemNotARunningSetting() throws Exception {
    Path claims = Files.createDirectories(study.claimed("evil"));
    Files.createSymbolicLink(claims.resolve("s000002.json"), Path.of("/etc/passwd"));
    JsonNode s = Json.MAPPER.readTree(getWhen("/api/summary", r -> r.body().contains("claimed/evil")).body());
    assertThat(s.get("counts").get("running").asInt()).isZero();
    assertThat(s.get("problems").toString()).contains("claimed/evil/s000002.json").contains("not a regular file");
  }

  @Test
  void itIsReadOnlyAndRefusesOtherSitesNames() throws Exception {
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/summary"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(statusWithHost("evil.example:" + server.uri().getPort())).isEqualTo(403); // DNS rebinding
    assertThat(statusWithHost("localhost:" + server.uri().getPort())).isEqualTo(200);
  }

  /** The status of GET /api/summary with this Host header (java.net.http will not send another one). */
  int statusWithHost(String host) throws Exception {
    try (java.net.Socket socket = new java.net.Socket(server.uri().getHost(), server.uri().getPort())) {
      socket.getOutputStream().write(("GET /api/summary HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  @Test
  void theCsvHasOneRowPerSettingAndDefusesFormulas() throws Exception {
    Setting evil = new Setting("s000002", 2, 0, 0, t, new Params(Map.of("model", "=HYPERLINK(\"x\")", "epochs", 2L,
        "lr", 0.2, "seed", 42L, "note", "-2+3")));
    DurableFiles.writeJson(study.results().resolve("s000002.json"), Result.of(evil, Status.FAILED, "no", "w2", t, t,
        List.of(), Map.of()), true);
    HttpResponse<String> csv = getWhen("/api/settings.csv", r -> r.body().contains("HYPERLINK"));
    assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("settings.csv");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(0)).startsWith("id,status,worker,epochs,budget,valError")
        .contains(",param.epochs,").contains(",param.lr,");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(3)).contains("\"'=HYPERLINK(\"\"x\"\")\"").doesNotContain(",=HYPERLINK")
        .contains(",'-2+3").contains(",0.2,");
  }

  @Test
  void aRootListsItsStudies() throws Exception {
    server.close();
    server = DashboardServer.ofRoot(root, "127.0.0.1", 0).start();
    JsonNode list = Json.MAPPER.readTree(get("/api/studies").body());
    assertThat(list.get("many").asBoolean()).isTrue();
    assertThat(list.get("studies")).singleElement().satisfies(s ->
        assertThat(s.get("study").asText()).isEqualTo("runs/demo"));
    assertThat(get("/api/summary?study=runs%2Fdemo").statusCode()).isEqualTo(200);
    assertThat(get("/api/summary?study=..%2F..").statusCode()).isEqualTo(404);
  }
}
