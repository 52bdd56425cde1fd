package org.wagateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.wagateway.bench.Log.log;

/**
 * The gateway seen from outside: its broker's queues through Jolokia (the ops account), its flight recorder and
 * its threads' CPU time through jcmd.
 */
final class GatewayProbe {

    private static final Pattern QUEUE_SIZE = Pattern.compile(
            "destinationName=([^,\"]+)[^\"]*\"\\s*:\\s*\\{\\s*\"QueueSize\"\\s*:\\s*(\\d+)");

    private final Conf conf;
    private final int port;

    GatewayProbe(Conf conf, int port) {
        this.conf = conf;
        this.port = port;
    }

    void jcmd(String... command) {
        String output = jcmdOutput(command);
        if (output != null) {
            log("jcmd " + String.join(" ", command) + ": " + output.replace('\n', ' '));
        }
    }

    /** What jcmd printed for the command; null when it could not run or failed. */
    String jcmdOutput(String... command) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        List<String> cmd = new ArrayList<>(List.of(jcmd, conf.get("gateway-pid")));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log("jcmd " + String.join(" ", command) + " did not end");
                return null;
            }
            if (p.exitValue() != 0) {
                log("jcmd " + String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output.replace('\n', ' '));
                return null;
            }
            return output;
        } catch (IOException | InterruptedException e) {
            log("jcmd failed: " + e);
            return null;
        }
    }

    /** The gateway's threads with their CPU time so far ({@code jcmd Thread.print}); empty when unavailable. */
    Map<String, ThreadCpu.Sample> threads() {
        if (!conf.has("gateway-pid")) {
            return Map.of();
        }
        return ThreadCpu.parse(jcmdOutput("Thread.print"));
    }

    /** The gateway broker's non-empty queues (Jolokia, ops account); null when they cannot be read. */
    Map<String, Long> brokerQueues() {
        String user = conf.get("admin-user", "admin");
        String password = conf.get("admin-password");
        String broker = conf.get("broker-name", "bench");
        if (password == null) {
            return null;
        }
        String auth = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
        try (Conn c = new Conn(port)) {
            Conn.Resp r = c.get("/actuator/jolokia/read/org.apache.activemq:type=Broker,brokerName=" + broker
                    + ",destinationType=Queue,destinationName=*/QueueSize", auth);
            if (r.status() != 200) {
                log("Jolokia answered " + r.status());
                return null;
            }
            Map<String, Long> sizes = new TreeMap<>();
            Matcher m = QUEUE_SIZE.matcher(new String(r.body(), StandardCharsets.UTF_8));
            while (m.find()) {
                long size = Long.parseLong(m.group(2));
                if (size > 0) {
                    sizes.put(m.group(1), size);
                }
            }
            return sizes;
        } catch (IOException | RuntimeException e) {
            log("cannot read the broker's queues: " + e);
            return null;
        }
    }
}
