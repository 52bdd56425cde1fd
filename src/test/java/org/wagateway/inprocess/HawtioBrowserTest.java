package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.Fixtures;

/**
 * Hawtio as a person sees it, in a real (headless) Chromium: log in on the form, the Camel routes, the broker's
 * queues in the JMX tree with the message just received, and not one refused Jolokia request on the way.
 * Screenshots go to {@code target/screenshots}.
 */
class HawtioBrowserTest extends GatewayTestSupport {

    private static final List<String> ROUTES = List.of("dispatch", "deliver", "deliver-crm", "fetch-media",
            "accept-webhook", "greenapi-webhook", "kazinfoteh-webhook");

    @Autowired
    JolokiaAnswers jolokia;

    @Autowired
    BrokerService broker;

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
        jolokia.clear();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private void screenshot(String name) throws Exception {
        Chromium.screenshot(browser, name);
    }

    private void logIn(String user, String password) throws Exception {
        Chromium.submitLogin(browser, wait, url("/actuator/hawtio/"), "hawtio-login.png", user, password);
        wait.until(ExpectedConditions.urlContains("/actuator/hawtio"));
    }

    private String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** Clicks the innermost element showing exactly this text (a tree node, a tab, an operation). */
    private void click(String label) {
        By element = By.xpath("(//*[normalize-space(text())='" + label + "'])[last()]");
        wait.until(ExpectedConditions.elementToBeClickable(element)).click();
    }

    private void waitForText(String text) {
        wait.until(driver -> driver.findElement(By.tagName("body")).getText().contains(text));
    }

    @Test
    void aPersonSeesTheRoutesAndTheQueuesInHawtio() throws Exception {
        // earlier tests of this gateway leave messages on whatsapp.in.text: the browse result starts with ours
        jms.setReceiveTimeout(200);
        while (jms.receive("whatsapp.in.text") != null) {
            // drained
        }
        ObjectNode webhook = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        assertThat(postKazinfoteh(webhook).statusCode()).isEqualTo(200);
        String id = "kazinfoteh:" + webhook.get("id").asText();

        logIn("admin", ADMIN_PASSWORD);
        browser.get(url("/actuator/hawtio/camel/routes"));
        try {
            // the routes table (the tree on the left lists the ids before the table has its rows)
            waitForText("Started");
        } finally {
            screenshot("hawtio-routes.png");
        }
        assertThat(text()).contains(ROUTES);

        browser.get(url("/actuator/hawtio/jmx"));
        try {
            // JMX tree: org.apache.activemq > Broker > gateway-test > Queue > whatsapp.in.text (this gateway's
            // broker: other tests' gateways in the same JVM have theirs in the same tree)
            click("Expand all");
            String node = "org.apache.activemq-Broker-" + broker.getBrokerName() + "-Queue-whatsapp.in.text";
            wait.until(ExpectedConditions.elementToBeClickable(
                    By.xpath("(//li[@id='" + node + "']//button)[1]"))).click();
            waitForText("QueueSize");
        } finally {
            screenshot("hawtio-queues.png");
        }
        try {
            click("Operations");
            wait.until(ExpectedConditions.elementToBeClickable(
                    By.xpath("//button[starts-with(@aria-labelledby, 'operation browse() ')]"))).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Execute']")))
                    .click();
            waitForText(id);
        } finally {
            screenshot("hawtio-queue-browse.png");
        }

        assertThat(jolokia.answers()).as("Jolokia answers the browser got").isPositive();
        assertThat(jolokia.refused()).as("refused Jolokia requests").isEmpty();
    }

    @Test
    void theViewerSeesTheRoutesWithTheirActionsGreyedOut() throws Exception {
        logIn("viewer", VIEWER_PASSWORD);
        browser.get(url("/actuator/hawtio/camel/routes"));
        try {
            waitForText("Started");
            browser.findElement(By.xpath("(//input[@type='checkbox'])[2]")).click();
        } finally {
            screenshot("hawtio-routes-viewer.png");
        }
        assertThat(text()).contains(ROUTES);
        for (String action : List.of("Start", "Stop")) {
            WebElement button = browser.findElement(By.xpath("//button[normalize-space()='" + action + "']"));
            assertThat(button.isEnabled()).as(action + " offered to the viewer").isFalse();
        }

        assertThat(jolokia.answers()).as("Jolokia answers the browser got").isPositive();
        assertThat(jolokia.refused()).as("refused Jolokia requests").isEmpty();
    }
}
