package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wagateway.Fixtures;

/**
 * The ops console at {@code /ops/} as a person uses it, in a real (headless) Chromium: the admin logs in, finds the
 * message the CRM refused on the CRM dead-letter queue, reads its canonical JSON, and replays it once the CRM takes
 * it again, and finds its journey (accepted … dead-lettered, replayed, delivered) in the search; the viewer sees the same with every action disabled; a message's text that is markup stays text; a
 * session's POST without the XSRF token is refused. Screenshots go to {@code target/screenshots}.
 */
class OpsConsoleBrowserTest extends GatewayTestSupport {

    private static final String DLQ_CRM = "whatsapp.dlq.crm";
    private static final String MARKUP = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";

    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    static void chromium() throws Exception {
        Chromium.ensureInstalled();
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Chromium.startWithFreshProfile();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        drain(DLQ_CRM);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        drain(DLQ_CRM);
    }

    @Test
    void theAdminReadsADeadLetterAndReplaysItOnceTheCrmTakesIt() throws Exception {
        String id = crmRefuses("Добрый день 👋");

        logIn("admin", ADMIN_PASSWORD);
        WebElement row = deadLetterRow(id);
        assertThat(row.getText()).contains("greenapi", "text", "422", "unknown chat");
        waitForText(By.id("depth-" + DLQ_CRM), "1");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("admin (admin)");
        assertThat(browser.findElement(By.id("hawtio-link")).getAttribute("href")).endsWith("/actuator/hawtio/");
        assertThat(browser.findElement(By.id("breaker")).getText()).startsWith("closed");
        screenshot("ops-console.png");

        openJson(id);
        assertThat(browser.findElement(By.id("message-json")).getText()).contains("\"id\": \"" + id + "\"")
                .contains("Добрый день 👋");
        screenshot("ops-console-json.png");
        browser.findElement(By.id("message-close")).click();

        CRM.removeStub(CRM.getSingleStubMapping(stubId(id)));
        click(By.cssSelector(rowSelector(id) + " button.replay-one"));

        waitForText(By.id("depth-" + DLQ_CRM), "0");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(rowSelector(id)), 0));
        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);
        assertThat(crmRequests(id)).allSatisfy(request ->
                assertThat(request.getHeader("Idempotency-Key")).isEqualTo(id));
        assertThat(browser.findElement(By.id("action-status")).getText()).startsWith("Replayed 1 to whatsapp.gateway.crm");
        screenshot("ops-console-replayed.png");

        // the search shows the message's journey, which ends with the CRM's delivery after the replay
        browser.findElement(By.cssSelector("#search input[name=id]")).sendKeys(id);
        By lastEvent = By.cssSelector("#search-results .found[data-id='" + id + "'] ol.timeline li:last-child");
        try {
            wait.until(driver -> {
                driver.findElement(By.id("search-button")).click();
                List<WebElement> last = driver.findElements(lastEvent);
                return !last.isEmpty() && last.get(0).getText().contains("crm → delivered");
            });
        } finally {
            screenshot("ops-console-search.png");
        }
        String journey = browser.findElement(By.cssSelector("#search-results .found[data-id='" + id + "']")).getText();
        assertThat(journey).contains("accepted", "dead-lettered", "replayed", "crm → delivered");
    }

    @Test
    void theViewerSeesStagesAndDeadLettersWithEveryActionDisabled() throws Exception {
        String id = crmRefuses("viewer");

        logIn("viewer", VIEWER_PASSWORD);
        deadLetterRow(id);
        try {
            assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("viewer (viewer)");
            assertThat(browser.findElements(By.cssSelector("#stages tbody tr"))).hasSize(8);
            for (String action : List.of("replay-selected", "replay-all", "discard-selected", "discard-all")) {
                assertThat(browser.findElement(By.id(action)).isEnabled()).as(action + " offered to the viewer")
                        .isFalse();
            }
            for (String action : List.of("replay-one", "discard-one")) {
                assertThat(browser.findElement(By.cssSelector(rowSelector(id) + " button." + action)).isEnabled())
                        .as(action + " offered to the viewer").isFalse();
            }
        } finally {
            screenshot("ops-console-viewer.png");
        }
        Map<String, String> viewer = new HashMap<>(VIEWER);
        viewer.put("Content-Type", "application/json");
        HttpResponse<String> replay = post("/admin/dead-letters/crm/replay", "", viewer);
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(json(replay).path("error").asText()).isEqualTo("forbidden");
        assertThat(crmRequests(id)).hasSize(1);
    }

    @Test
    void aMessageWhoseTextIsMarkupShowsAsText() throws Exception {
        String id = crmRefuses(MARKUP);

        logIn("admin", ADMIN_PASSWORD);
        deadLetterRow(id);
        openJson(id);
        try {
            WebElement json = browser.findElement(By.id("message-json"));
            assertThat(json.getText()).contains("<script>window.__xss=2</script>", "<img src=x onerror=");
            assertThat(json.findElements(By.xpath(".//*"))).as("elements inside the JSON view").isEmpty();
            assertThat(browser.findElements(By.cssSelector("img"))).isEmpty();
            assertThat(browser.executeScript("return window.__xss === undefined")).isEqualTo(true);
        } finally {
            screenshot("ops-console-markup.png");
        }
    }

    @Test
    void aSessionsPostWithoutTheXsrfTokenIsRefused() throws Exception {
        String id = crmRefuses("csrf");

        logIn("admin", ADMIN_PASSWORD);
        deadLetterRow(id);
        // what a page of another site could make this browser send: the session cookie, no X-XSRF-TOKEN
        Object answer = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/admin/dead-letters/crm/discard?confirm=" + DLQ_CRM + "', {method: 'POST',"
                + " credentials: 'include'}).then(r => r.text().then(t => done(r.status + ' ' + t)));");

        assertThat(String.valueOf(answer)).startsWith("403 ").contains("csrf_token_invalid");
        assertThat(browser.findElements(By.cssSelector(rowSelector(id)))).hasSize(1);
    }

    /** A Green API text message with this text, which the CRM refuses with a 422: on the CRM dead-letter queue. */
    private String crmRefuses(String text) {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        ((ObjectNode) sample.at("/messageData/textMessageData")).put("textMessage", text);
        String id = "greenapi:" + sample.get("idMessage").asText();
        refusal(id);
        assertThat(postGreenApi(sample).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !crmRequests(id).isEmpty()
                && receiveNothingYet(id));
        return id;
    }

    private static void refusal(String id) {
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withId(stubId(id))
                .withHeader("Idempotency-Key", equalTo(id))
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"unknown chat\"}")));
    }

    private static UUID stubId(String id) {
        return UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The message is on the CRM dead-letter queue (browsed, left there). */
    private boolean receiveNothingYet(String id) {
        Boolean there = jms.browseSelected(DLQ_CRM, "JMSCorrelationID = '" + id + "'",
                (session, browser) -> browser.getEnumeration().hasMoreElements());
        return Boolean.TRUE.equals(there);
    }

    private void logIn(String user, String password) throws Exception {
        Chromium.submitLogin(browser, wait, url("/ops"), "ops-login.png", user, password);
        wait.until(ExpectedConditions.urlContains("/ops/"));
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    }

    private static String rowSelector(String canonicalId) {
        return "#dead-letters tr[data-canonical-id='" + canonicalId + "']";
    }

    private WebElement deadLetterRow(String canonicalId) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(rowSelector(canonicalId))));
    }

    private void openJson(String canonicalId) {
        click(By.cssSelector(rowSelector(canonicalId) + " button.view"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message-dialog")));
        wait.until(driver -> driver.findElement(By.id("message-json")).getText().contains(canonicalId));
    }

    /** Clicks an element the page may have just drawn again (the console refreshes every few seconds). */
    private void click(By element) {
        wait.until(driver -> {
            driver.findElement(element).click();
            return true;
        });
    }

    private void waitForText(By element, String text) {
        wait.until(driver -> driver.findElement(element).getText().equals(text));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private void screenshot(String name) throws Exception {
        Chromium.screenshot(browser, name);
    }

    private void drain(String queue) {
        jms.setReceiveTimeout(200);
        while (jms.receive(queue) != null) {
            // dropped
        }
    }
}
