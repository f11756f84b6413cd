package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium: an operator opens it on a running service with dead
 * letters, filters, opens one, sees a hostile body and header as plain text, has a bad edit
 * refused, replays a fixed body, sees it handled and the audit row written. Saves screenshots of
 * the main views; with {@code -Dferry.docs.write=true} they also replace those in docs/images.
 */
class ConsoleBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path profile;

  private ShopService shop;
  private ConsoleServer server;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM),
        "Browser tests skipped: "
            + CHROMIUM
            + " is absent (apt-get install chromium chromium-driver)");
    shop = new ShopService().withDeadLetters();
    server = FerryConsole.builder(shop.bus).operator("alice").build().serve();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath());
    // The system's chromedriver, named explicitly: Selenium Manager never downloads anything.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 960));
    wait = new WebDriverWait(browser, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (shop != null) {
      shop.close();
    }
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#dead-letters tbody tr"));
  }

  private void awaitRows(int n) {
    wait.until(d -> rows().size() == n);
  }

  private Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private String hostileId() {
    return shop.bus.deadLetters().list(DeadLetterQuery.all()).stream()
        .filter(d -> new String(d.envelope().body()).contains("<script>"))
        .map(DeadLetter::id)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void operatorFiltersOpensEditsAndReplaysADeadLetterAndSeesTheAudit() throws Exception {
    browser.get(server.operatorUrl());
    awaitRows(5);
    assertThat(browser.getCurrentUrl()).doesNotContain("token");
    wait.until(d -> !d.findElement(By.id("gauges")).getText().isEmpty());
    assertThat(browser.findElement(By.id("gauges")).getText()).contains("Dead letters: 5");
    assertThat(browser.findElements(By.cssSelector("#groups tbody tr"))).hasSize(2);
    screenshot("console-dead-letters.png");

    browser.findElement(By.id("f-messageType")).sendKeys(ShopService.SHIP_TYPE);
    browser.findElement(By.id("apply-filter")).click();
    awaitRows(3);
    assertThat(browser.findElements(By.cssSelector("#groups tbody tr"))).hasSize(1);

    String id = hostileId();
    browser.findElement(By.cssSelector("#dead-letters tr[data-id='" + id + "']")).click();
    WebElement body = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("d-body")));
    assertThat(body.getText()).contains("<script>window.pwned=1</script>");
    assertThat(browser.findElement(By.id("d-headers")).getText())
        .contains("<img src=x onerror=window.pwned=2>")
        .contains("api-key [redacted]")
        .doesNotContain("s3cr3t");
    assertThat(browser.findElement(By.id("d-stack")).getText())
        .contains("warehouse rejected quantity 0");
    // Shown as text, the markup never ran and never became elements.
    assertThat(js("return window.pwned === undefined")).isEqualTo(true);
    assertThat(browser.findElements(By.cssSelector("#detail script, #detail img"))).isEmpty();
    js("document.getElementById('d-headers').scrollIntoView()");
    screenshot("console-detail.png");

    WebElement edit = browser.findElement(By.id("edit-body"));
    edit.clear();
    edit.sendKeys("{\"orderId\": \"o-fixed\", \"quantity\": \"lots\"}");
    browser.findElement(By.id("replay-edited")).click();
    WebElement message =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("d-message")));
    assertThat(message.getText()).contains("not a valid " + ShopService.SHIP_TYPE);
    assertThat(shop.bus.deadLetters().find(id)).isPresent();
    js("document.getElementById('d-body').scrollIntoView()");
    screenshot("console-edit-refused.png");

    edit.clear();
    edit.sendKeys("{\"orderId\": \"o-fixed\", \"quantity\": 1}");
    browser.findElement(By.id("replay-edited")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Replayed"));
    await().atMost(Duration.ofSeconds(10)).until(() -> shop.shipped.contains("o-fixed"));
    assertThat(shop.bus.deadLetters().find(id)).isEmpty();
    awaitRows(2);

    browser.findElement(By.id("tab-audit")).click();
    wait.until(d -> !d.findElements(By.cssSelector("#audit tbody tr")).isEmpty());
    List<WebElement> audit = browser.findElements(By.cssSelector("#audit tbody tr"));
    assertThat(audit.get(0).getText())
        .contains("alice (web)")
        .contains("replay-edited")
        .contains(id)
        .contains("replayed with an edited body");
    assertThat(audit.get(1).getText()).contains("rejected:");
    screenshot("console-audit.png");
  }

  @Test
  void operatorReplaysAGroupAndPurgesASelection() {
    browser.get(server.operatorUrl());
    awaitRows(5);
    WebElement charges =
        browser.findElements(By.cssSelector("#groups tbody tr")).stream()
            .filter(r -> r.getText().contains("java.lang.IllegalArgumentException"))
            .findFirst()
            .orElseThrow();
    charges.findElement(By.cssSelector("button.group-replay")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Replayed 2"));
    shop.awaitDeadLetters(5); // the card is still declined: both are back

    List<WebElement> boxes = browser.findElements(By.cssSelector("#dead-letters input.select"));
    boxes.get(0).click();
    boxes.get(1).click();
    browser.findElement(By.id("purge-selected")).click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Purged 2"));
    awaitRows(3);
    assertThat(shop.bus.deadLetters().count()).isEqualTo(3);
  }

  private void screenshot(String name) throws IOException {
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Path out = Path.of("target", "screenshots", name);
    Files.createDirectories(out.getParent());
    Files.copy(shot.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    if (Boolean.getBoolean("ferry.docs.write")) {
      Path docs = Path.of("..", "docs", "images", name);
      Files.createDirectories(docs.getParent());
      Files.copy(shot.toPath(), docs, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
