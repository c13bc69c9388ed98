package io.hps.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.Mode;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.strategy.Strategies;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import io.hps.worker.TrainerRegistry;
import io.hps.worker.Worker;
import io.hps.worker.WorkerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (Debian's chromium, driven by Selenium through Debian's chromedriver)
 * while a real study runs: a master and two workers with the synthetic trainer, a parameter value and a
 * stray file name that carry markup.
 */
@Tag("browser")
class DashboardBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final String HOSTILE = "<img src=x onerror=window.__pwned=1>";

  @TempDir
  Path root;
  WebDriver browser;
  DashboardServer dashboard;
  ExecutorService pool;

  @BeforeEach
  void browser() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "SKIPPED: no " + CHROMIUM
        + " or " + DRIVER + " (Debian: apt-get install chromium chromium-driver), so the dashboard is not checked in"
        + " a browser here");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + Files.createDirectories(root.resolve("chromium")), "--window-size=1300,1800");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void close() {
    if (browser != null) {
      browser.quit();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  @Test
  void aRunningStudyIsWatchedLiveAndHostileTextStaysText() throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("live")).create();
    String space = "{\"parameters\": {\"model\": \"open\", \"epochs\": 6, \"epochSeconds\": 0.4,"
        + " \"note\": {\"type\": \"categorical\", \"values\": [\"" + HOSTILE.replace("\"", "\\\"") + "\", \"plain\"]},"
        + " \"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 0.3}, \"m\": {\"type\": \"uniform\", \"low\": 0,"
        + " \"high\": 1}}}";
    StudyConfig config = StudyConfig.builder(SearchSpace.parse(Json.MAPPER.readTree(space), "t").toJson(),
        Strategy.RANDOM).name("live").trials(8).batch(2, Mode.SYNC).lease(60, 2).build();
    DurableFiles.writeJson(study.config(), config, true);
    // A stray file whose name is markup: the master quarantines it, and its name appears in the reason.
    Files.writeString(Files.createDirectories(study.pending()).resolve(HOSTILE + ".json"), "{}");
    StringWriter log = new StringWriter();
    Master master = Master.of(study, config, Strategies.create(Strategy.RANDOM, config.searchSpace(), config),
        Clock.systemUTC(), new PrintWriter(log), new MasterOptions(20, false));
    pool = Executors.newFixedThreadPool(3);
    Future<?> done = pool.submit(master::run);
    for (int w = 1; w <= 2; w++) {
      Worker worker = new Worker(study, new WorkerOptions("w" + w, null, 20, 0, 0, root, 1),
          TrainerRegistry.load(getClass().getClassLoader()).with(new Open(), "test"), Clock.systemUTC(),
          new PrintWriter(log));
      pool.submit(worker::run);
    }

    dashboard = DashboardServer.ofStudy(study.root(), "127.0.0.1", 0).start();
    browser.get(dashboard.uri().toString());

    // A running setting's curve grows while we watch: some setting is seen with more epochs than before.
    await("a running setting", () -> browser.findElements(By.cssSelector("#running li")).stream().findFirst()
        .orElse(null));
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    try {
      await("a running setting's curve to grow", () -> {
        for (WebElement li : browser.findElements(By.cssSelector("#running li"))) {
          int now = Integer.parseInt(li.getAttribute("data-epochs"));
          Integer before = seen.put(li.getAttribute("data-id"), now);
          if (before != null && now > before) {
            return true;
          }
        }
        return null;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; seen " + seen + "; page: " + browser.findElement(By.id("updated"))
          .getText() + " | " + browser.findElement(By.id("curves")).getText(), e);
    }
    assertThat(browser.findElements(By.cssSelector("#curves .uplot"))).as("the curve charts").hasSize(3);

    // The counts change without a reload.
    int complete = count("complete");
    await("more complete settings than " + complete, () -> count("complete") > complete ? true : null);

    // Markup in a parameter value and in a quarantined file's name is shown as text and never runs.
    await("the quarantined file", () -> browser.findElement(By.id("quarantine")).getText().contains(HOSTILE) ? true
        : null);
    await("the hostile parameter value in the table", () -> browser.findElement(By.id("settings")).getText()
        .contains(HOSTILE) ? true : null);
    assertThat(((JavascriptExecutor) browser).executeScript("return window.__pwned === undefined")).isEqualTo(true);
    assertThat(browser.findElements(By.cssSelector("main img"))).as("no element made from the markup").isEmpty();

    // A setting's own page: parameters, curves, the raw result file.
    done.get(120, TimeUnit.SECONDS);
    await("all 8 complete", () -> count("complete") == 8 ? true : null);
    await("the table's 8 rows complete", () -> browser.findElements(By.cssSelector("#settings tr.complete")).size() == 8
        ? true : null);
    long received = ((Number) ((JavascriptExecutor) browser).executeScript("return window.hpsRowsReceived"))
        .longValue();
    long renders = ((Number) ((JavascriptExecutor) browser).executeScript("return window.hpsRenders")).longValue();
    assertThat(renders).as("the page was drawn again as the study went on").isGreaterThan(2);
    assertThat(received).as("table rows received in %d renders: all once, then those that changed", renders)
        .isLessThan(8 * renders);
    browser.findElement(By.cssSelector("#settings a[href='#setting/s000003']")).click();
    WebElement page = await("the setting page", () -> browser.findElements(By.id("settingpage")).stream().findFirst()
        .orElse(null));
    assertThat(page.getText()).contains("Setting s000003: complete").contains("lr");
    await("the raw result", () -> browser.findElement(By.id("raw")).getText().contains("\"id\" : \"s000003\"")
        || browser.findElement(By.id("raw")).getText().contains("\"id\":\"s000003\"") ? true : null);
    assertThat(browser.findElements(By.cssSelector("#curves .uplot"))).hasSize(3);

    browser.get(dashboard.uri().toString());
    await("the overview", () -> browser.findElements(By.cssSelector("#parallel")).stream().findFirst().orElse(null));
    Path shot = Path.of(System.getProperty("hps.root", "../.."), "master", "dashboard", "target",
        "dashboard-screenshot.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }

  /** Writes {@code config} into {@code study} and runs it to its end: the real master and one worker, in-process. */
  void runToTheEnd(StudyDirectory study, StudyConfig config) throws Exception {
    DurableFiles.writeJson(study.config(), config, true);
    StringWriter log = new StringWriter();
    Master master = Master.of(study, config, Strategies.create(config.strategy(), config.searchSpace(), config),
        Clock.systemUTC(), new PrintWriter(log), new MasterOptions(20, false));
    pool = Executors.newFixedThreadPool(2);
    Future<?> done = pool.submit(master::run);
    pool.submit(new Worker(study, new WorkerOptions("w1", null, 20, 0, 0, root, 1),
        TrainerRegistry.load(getClass().getClassLoader()), Clock.systemUTC(), new PrintWriter(log))::run);
    done.get(120, TimeUnit.SECONDS);
  }

  /**
   * A finished TPE study of valError and trainLoss under {@code constraint}, open in the browser with its objectives'
   * charts drawn.
   */
  StudyDirectory twoObjectives(String name, int trials, String constraint) throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve(name)).create();
    String space = "{\"parameters\": {\"model\": \"synthetic\", \"epochs\": 3, \"lr\": {\"type\": \"loguniform\","
        + " \"low\": 0.01, \"high\": 0.3}, \"nf\": {\"type\": \"int\", \"low\": 10, \"high\": 100}}}";
    StudyConfig config = StudyConfig.builder(SearchSpace.parse(Json.MAPPER.readTree(space), "t").toJson(),
        Strategy.TPE).name(name).trials(trials).batch(2, Mode.SYNC).lease(60, 2)
        .objectives(List.of(io.hps.protocol.Objective.parse("valError"), io.hps.protocol.Objective.parse("trainLoss")),
            List.of(io.hps.protocol.Constraint.parse(constraint))).build();
    runToTheEnd(study, config);
    dashboard = DashboardServer.ofStudy(study.root(), "127.0.0.1", 0).start();
    browser.get(dashboard.uri().toString());
    await("the objectives' chart", () -> browser.findElements(By.cssSelector("#tradeoffs .uplot")).size() == 3 ? true
        : null);
    return study;
  }

  /** Issue 27: a study of two objectives and a constraint shows its front, linked, and what matters. */
  @Test
  void severalObjectivesShowTheirFrontAndWhichParametersMatter() throws Exception {
    StudyDirectory study = twoObjectives("mo", 20, "valError<=0.2");
    var expected = io.hps.status.StudyStatus.of(study);
    List<String> links = browser.findElements(By.cssSelector("#front a")).stream().map(WebElement::getText).toList();
    assertThat(links).containsExactlyInAnyOrderElementsOf(expected.tradeoffs().front().stream()
        .map(io.hps.status.StudyStatus.FrontPoint::id).toList());
    assertThat(browser.findElement(By.cssSelector("#tradeoffs h2")).getText())
        .contains("valError, trainLoss").contains("valError<=0.2 (" + expected.tradeoffs().infeasible() + " results");
    JavascriptExecutor js = (JavascriptExecutor) browser;
    // The chart draws every feasible and infeasible result, and the front's points on the front series.
    assertThat(js.executeScript("const p = window.hpsPlots.find(p => p.hpsTitle === 'trainLoss against valError');"
        + " return p.data[3].filter(v => v !== null).length")).isEqualTo((long) links.size());
    assertThat(((Number) js.executeScript("const p = window.hpsPlots.find(p => p.hpsTitle.startsWith('hypervolume of the"
        + " front')); return p.data[1][p.data[1].length - 1]")).doubleValue()).isPositive();
    // Importance: a bar per searched parameter for each objective.
    assertThat(browser.findElements(By.cssSelector("#importance .importance"))).hasSize(2);
    assertThat(browser.findElements(By.cssSelector("#importance .bar"))).hasSize(4);
    // A front link opens the setting's page.
    browser.findElement(By.cssSelector("#front a")).click();
    await("the setting page", () -> browser.getCurrentUrl().contains("#setting/") ? true : null);
    // Issue 29: why the strategy proposed it, computed again from its batch's provenance.
    WebElement why = await("why this setting", () -> browser.findElements(By.id("why-text")).stream().findFirst()
        .orElse(null));
    assertThat(why.getText()).startsWith("TPE");
    assertThat(browser.findElement(By.id("why-check")).getText()).contains("the strategy proposes this very setting");
    Files.write(root.resolve("tradeoffs.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(js.executeScript("return window.hpsErrors")).asList().isEmpty();
  }

  /**
   * A study where no result meets the constraint still draws every chart, and a log axis draws over any range: from
   * a minimum such as 0.00984 uPlot's log axis once looped until "Invalid array length" and drew an empty box.
   */
  @Test
  void noFeasibleResultAndAnyLogRangeStillDraw() throws Exception {
    twoObjectives("nofeas", 12, "valError<=0.0001");
    assertThat(browser.findElement(By.id("front")).getText()).contains("no front yet");
    JavascriptExecutor js = (JavascriptExecutor) browser;
    assertThat(js.executeScript("const p = window.hpsPlots.find(p => p.hpsTitle === 'trainLoss against valError');"
        + " return p.data[2].filter(v => v !== null).length")).as("infeasible points drawn").isNotEqualTo(0L);
    // Log x axes over ranges from 1e-7 to 1e5 wide, the failing one first: each gets tick labels and no error.
    js.executeScript("window.hpsProbe = []; const rnd = (a, b) => Math.pow(10, a + Math.random() * (b - a));"
        + " const ranges = [[0.00984, 0.869]]; for (let i = 0; i < 60; i++) { const lo = rnd(-7, 4);"
        + " ranges.push([lo, lo * rnd(0.01, 3)]); }"
        + " for (const [lo, hi] of ranges) { const box = chart('probe ' + lo + ' ' + hi, { series: [{ label: 'x' },"
        + " { label: 'y', stroke: 'red' }], scales: { x: { time: false, distr: 3, range: padded(true) } } },"
        + " [[lo, (lo + hi) / 2, hi], [1, 2, 3]], 300); document.body.append(box); window.hpsProbe.push(box); }"
        + " drawPending();");
    long drawn = await("the probe charts", () -> {
      Object n = js.executeScript("return window.hpsPlots.filter(p => p.hpsTitle.startsWith('probe')"
          + " && p.axes[0]._values && p.axes[0]._values.length > 0).length");
      return ((Number) n).longValue() == 61 || !((List<?>) js.executeScript("return window.hpsErrors")).isEmpty()
          ? (Long) n : null;
    });
    assertThat(js.executeScript("return window.hpsErrors")).asList().isEmpty();
    assertThat(drawn).isEqualTo(61L);
  }

  @Test
  void chartsReadAtAGlance() throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("done")).create();
    String space = "{\"parameters\": {\"model\": \"synthetic\", \"epochs\": 3, \"lr\": {\"type\": \"loguniform\","
        + " \"low\": 0.01, \"high\": 0.3}, \"bs\": {\"type\": \"int\", \"low\": 16, \"high\": 256, \"log\": true}}}";
    StudyConfig config = StudyConfig.builder(SearchSpace.parse(Json.MAPPER.readTree(space), "t").toJson(),
        Strategy.RANDOM).name("done").trials(3).batch(3, Mode.SYNC).lease(60, 2).build();
    runToTheEnd(study, config);
    // One more setting, claimed by a worker still in its first epoch: no progress file yet.
    io.hps.protocol.Setting late = new io.hps.protocol.Setting("s000099", 99, 0, 99, java.time.Instant.now(),
        new io.hps.space.Params(java.util.Map.of("model", "synthetic", "epochs", 3L, "lr", 0.05, "bs", 64L)));
    DurableFiles.writeJson(study.batches().resolve(io.hps.protocol.Batch.fileName(99)), new io.hps.protocol.Batch(1,
        99, java.time.Instant.now(), 3, List.of(late)), true);
    DurableFiles.writeJson(Files.createDirectories(study.claimed().resolve("w9")).resolve("s000099.json"), late, true);
    // And one running with two epochs so far, drawn among the finished curves.
    io.hps.protocol.Setting going = new io.hps.protocol.Setting("s000098", 98, 0, 98, java.time.Instant.now(),
        new io.hps.space.Params(java.util.Map.of("model", "synthetic", "epochs", 3L, "lr", 0.1, "bs", 32L)));
    DurableFiles.writeJson(study.batches().resolve(io.hps.protocol.Batch.fileName(98)), new io.hps.protocol.Batch(1,
        98, java.time.Instant.now(), 3, List.of(going)), true);
    DurableFiles.writeJson(study.claimed().resolve("w9").resolve("s000098.json"), going, true);
    DurableFiles.writeJson(Files.createDirectories(study.progress()).resolve("s000098.json"), new io.hps.protocol
        .Progress(1, "s000098", "w9", 3, List.of(new io.hps.protocol.Epoch(1, 1.5, 1.4, 0.6, 1.0),
        new io.hps.protocol.Epoch(2, 1.0, 1.1, 0.4, 2.0))), true);

    dashboard = DashboardServer.ofStudy(study.root(), "127.0.0.1", 0).start();
    browser.get(dashboard.uri().toString());
    await("the charts", () -> browser.findElements(By.cssSelector("#scatter .uplot")).size() == 2 ? true : null);
    // The header's "1 running" and the curves panel agree, for a setting with no epoch yet.
    assertThat(count("running")).isEqualTo(2);
    assertThat(browser.findElement(By.id("running")).getText()).contains("s000099 on w9: no epoch finished yet");
    JavascriptExecutor js = (JavascriptExecutor) browser;
    // Whole numbers on axes that count (epochs, settings evaluated): never 1.5.
    @SuppressWarnings("unchecked")
    List<String> epochTicks = (List<String>) js.executeScript("return window.hpsPlots.find(p => p.hpsTitle"
        + " === 'validation error').axes[0]._values");
    @SuppressWarnings("unchecked")
    List<String> evaluatedTicks = (List<String>) js.executeScript("return window.hpsPlots.find(p => p.hpsTitle"
        + " === 'against settings evaluated').axes[0]._values");
    assertThat(epochTicks).isNotEmpty().allMatch(v -> v.matches("\\d+"));
    assertThat(evaluatedTicks).isNotEmpty().allMatch(v -> v.matches("\\d+"));
    // The validation error axis labels each tick apart, however close the curves (uPlot's own labels said 0.056 four
    // times for curves between 0.0559 and 0.0562); its labels are the ones drawn.
    @SuppressWarnings("unchecked")
    List<String> errorTicks = (List<String>) js.executeScript("return window.hpsPlots.find(p => p.hpsTitle"
        + " === 'validation error').axes[1]._values");
    assertThat(errorTicks).isNotEmpty().doesNotHaveDuplicates();
    assertThat(js.executeScript("return tickLabels(null, [0.05590, 0.05595, 0.05600, 0.05605])"))
        .isEqualTo(List.of("0.05590", "0.05595", "0.05600", "0.05605"));
    assertThat(js.executeScript("return tickLabels(null, [0, 0.25, 0.5, 0.75])")).isEqualTo(List.of("0.00", "0.25",
        "0.50", "0.75"));
    // Best so far on a log axis, as everywhere else, with labels between its powers of ten.
    assertThat(js.executeScript("return window.hpsPlots.find(p => p.hpsTitle === 'against settings evaluated')"
        + ".scales.y.distr")).isEqualTo(3L);
    @SuppressWarnings("unchecked")
    List<String> bestTicks = (List<String>) js.executeScript("return window.hpsPlots.find(p => p.hpsTitle"
        + " === 'against settings evaluated').axes[1]._values.filter(v => v !== null && v !== '')");
    assertThat(bestTicks).as("labels of the best-so-far axis").hasSizeGreaterThanOrEqualTo(3);
    // A scatter plot's smallest and largest values sit inside the axes, not on them.
    assertThat(js.executeScript("const p = window.hpsPlots.find(p => p.hpsTitle.startsWith('bs'));"
        + " const xs = p.data[0]; return p.scales.x.min < Math.min(...xs) && p.scales.x.max > Math.max(...xs)"))
        .isEqualTo(true);
    // Running curves have colours of their own, none shared with a finished one.
    @SuppressWarnings("unchecked")
    List<String> strokes = (List<String>) js.executeScript("return window.hpsPlots.find(p => p.hpsTitle"
        + " === 'validation error').series.slice(1).map(s => (s.label.endsWith('(running)') ? 'r:' : 'f:')"
        + " + s._stroke)");
    List<String> finishedColours = strokes.stream().filter(x -> x.startsWith("f:")).map(x -> x.substring(2)).toList();
    assertThat(strokes).as("one running curve among %s", strokes).filteredOn(x -> x.startsWith("r:")).hasSize(1);
    strokes.stream().filter(x -> x.startsWith("r:")).forEach(r -> assertThat(finishedColours).doesNotContain(
        r.substring(2)));
  }

  /** The synthetic curves from a trainer that declares no parameters, so any name (a hostile one) trains. */
  static final class Open implements io.hps.trainer.Trainer {
    @Override
    public String model() {
      return "open";
    }

    @Override
    public io.hps.trainer.Outcome train(io.hps.trainer.Trial trial, io.hps.trainer.EpochSink sink) throws Exception {
      return new io.hps.synthetic.SyntheticTrainer().train(trial, sink);
    }
  }

  int count(String status) {
    List<WebElement> e = browser.findElements(By.cssSelector("[data-count='" + status + "']"));
    return e.isEmpty() ? -1 : Integer.parseInt(e.get(0).getText().trim());
  }

  /** Polls {@code what} until it is not null, for up to 60 s. */
  static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < end) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (RuntimeException e) {
        last = e; // the page was being redrawn
      }
      Thread.sleep(100);
    }
    throw new AssertionError("waited 60 s for " + what, last);
  }
}
