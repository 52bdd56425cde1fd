package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium and its chromedriver for the browser test, installed with apt when missing and the test runs
 * as root; when they are missing and cannot be installed the test fails (a console nobody checked in a browser is
 * the blank page this test exists to catch). Both are given to Selenium by path, so Selenium Manager never
 * downloads a browser or a driver.
 */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Where the browser tests keep what the browser showed. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Chromium() {
    }

    static void ensureInstalled() throws IOException, InterruptedException {
        if (installed()) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            fail(BROWSER + " or " + DRIVER + " is missing and this user cannot install them: as root, run "
                    + "apt-get install -y chromium chromium-driver");
        }
        run(List.of("apt-get", "update"));
        run(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"));
        if (!installed()) {
            fail("apt-get install chromium chromium-driver did not provide " + BROWSER + " and " + DRIVER);
        }
    }

    private static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed; install chromium and chromium-driver by hand");
        }
    }

    /** A headless Chromium with a fresh profile under {@code profile}, talking to nothing but the test's pages. */
    static ChromeDriver start(Path profile) throws IOException {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--window-size=1440,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** {@link #start(Path)} with a profile of its own under {@code target/chromium-profiles}. */
    static ChromeDriver startWithFreshProfile() throws IOException {
        return start(Path.of("target", "chromium-profiles", UUID.randomUUID().toString()));
    }

    /** What the browser shows now, as {@code target/screenshots/<name>}. */
    static void screenshot(ChromeDriver browser, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Opens {@code page}, waits for the gateway's login form (a screenshot of it either way) and submits the user's
     * name and password; the caller waits for what the page shows next.
     */
    static void submitLogin(ChromeDriver browser, WebDriverWait wait, String page, String screenshot, String user,
                            String password) throws IOException {
        browser.get(page);
        try {
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        } finally {
            screenshot(browser, screenshot);
        }
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }
}
