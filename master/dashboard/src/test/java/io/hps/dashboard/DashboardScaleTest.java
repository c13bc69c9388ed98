package io.hps.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A benchmark, not a timed test: how fast the dashboard shows a big study. Runs only when given one,
 * {@code -Dhps.dashboard.study=DIR} (README, Dashboard, says how the 10,000-setting study is made), and
 * prints the figures.
 */
@Tag("browser")
class DashboardScaleTest {
  @Test
  void measureTheFirstViewOfABigStudy() throws Exception {
    String dir = System.getProperty("hps.dashboard.study");
    Assumptions.assumeTrue(dir != null, "SKIPPED: a benchmark; run it with -Dhps.dashboard.study=DIR");
    Assumptions.assumeTrue(Files.isExecutable(DashboardBrowserTest.CHROMIUM), "SKIPPED: no chromium");
    long t0 = System.nanoTime();
    try (DashboardServer server = DashboardServer.ofStudy(Path.of(dir), "127.0.0.1", 0).start()) {
      double read = (System.nanoTime() - t0) / 1e9;
      HttpClient http = HttpClient.newHttpClient();
      double poll = 0;
      for (int i = 0; i < 5; i++) {
        Thread.sleep(600); // past the refresh interval: each poll looks at the directory again
        long t = System.nanoTime();
        http.send(HttpRequest.newBuilder(server.uri().resolve("/api/summary")).build(),
            HttpResponse.BodyHandlers.ofString());
        poll += (System.nanoTime() - t) / 1e6 / 5;
      }
      long t = System.nanoTime();
      int bytes = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/settings")).build(),
          HttpResponse.BodyHandlers.ofString()).body().length();
      double table = (System.nanoTime() - t) / 1e6;
      String full = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/settings?since=-1")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      long version = io.hps.json.Json.MAPPER.readTree(full).get("version").asLong();
      int delta = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/settings?since=" + version)).build(),
          HttpResponse.BodyHandlers.ofString()).body().length();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(DashboardBrowserTest.CHROMIUM.toFile());
      options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + Files.createTempDirectory("chromium"), "--window-size=1300,1800");
      ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
          .usingDriverExecutable(DashboardBrowserTest.DRIVER.toFile()).usingAnyFreePort().build(), options);
      try {
        browser.get(server.uri().toString());
        Object first = DashboardBrowserTest.await("the first view", () ->
            ((JavascriptExecutor) browser).executeScript("return window.hpsFirstView"));
        System.out.printf("dashboard of %s: read at start %.2f s; a poll (summary, directory looked at again) %.1f ms;"
            + " the settings table %.0f ms (%d kB; asked again at its version: %d kB, the ids of its rows and no row);"
            + " first view drawn in the browser %.0f ms after navigation%n", dir, read, poll, table, bytes / 1024,
            delta / 1024, ((Number) first).doubleValue());
        assertThat(((Number) first).doubleValue()).isPositive();
      } finally {
        browser.quit();
      }
    }
  }

}
