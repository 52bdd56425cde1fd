package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/**
 * Thousands of broken bodies to each webhook, from a fixed seed so a failure can be replayed: random bytes,
 * truncated samples, deep nesting, huge numbers, bodies over the size limit, scalars. Every answer is a 4xx with
 * a JSON error (never a 5xx), and the gateway stays up with its memory bounded.
 */
class WebhookFuzzTest extends GatewayTestSupport {

    private static final int BODIES_PER_PROVIDER = 2_000;

    @Test
    void brokenBodiesAreRefusedWithA4xxAndTheGatewayStaysUp() throws Exception {
        Random random = new Random(20261121L);
        List<String> samples = List.of(Fixtures.text("kazinfoteh/text.json"), Fixtures.text("kazinfoteh/image.json"),
                Fixtures.text("greenapi/text-message.json"), Fixtures.text("greenapi/extended-text-message-group.json"));
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < BODIES_PER_PROVIDER; i++) {
            bodies.add(broken(random, samples.get(random.nextInt(samples.size()))));
        }
        long heapBefore = usedHeapAfterGc();

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> failures = new ArrayList<>();
        try {
            for (byte[] body : bodies) {
                for (String provider : List.of("kazinfoteh", "greenapi")) {
                    failures.add(pool.submit(() -> check(client, provider, body)));
                }
            }
            List<String> problems = new ArrayList<>();
            for (Future<String> failure : failures) {
                String problem = failure.get();
                if (problem != null) {
                    problems.add(problem);
                }
            }
            assertThat(problems).as("answers that were not a 4xx").isEmpty();
        } finally {
            pool.shutdownNow();
        }

        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth in bytes").isLessThan(256L * 1024 * 1024);
    }

    private String check(HttpClient client, String provider, byte[] body) throws Exception {
        Map<String, String> secret = provider.equals("greenapi")
                ? Map.of("Authorization", "Bearer " + GREENAPI_TOKEN) : Map.of("X-API-KEY", KAZINFOTEH_KEY);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/" + provider))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        secret.forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 400 && status < 500 && response.body().contains("\"status\":\"rejected\"")) {
            return null;
        }
        String head = new String(body, 0, Math.min(body.length, 80), StandardCharsets.ISO_8859_1);
        return provider + " " + status + " for " + head.replaceAll("\\p{Cntrl}", "?");
    }

    /** A body the webhook must refuse, one way or another: not a JSON object, or over the size limit. */
    private static byte[] broken(Random random, String sample) {
        if (random.nextInt(100) == 0) {
            return overTheLimit(random, sample);
        }
        return switch (random.nextInt(7)) {
            case 0 -> randomBytes(random, 1 + random.nextInt(4096));
            case 1 -> sample.substring(0, 1 + random.nextInt(sample.length() - 2)).getBytes(StandardCharsets.UTF_8);
            case 2 -> nested(random.nextBoolean() ? "[" : "{\"a\":", 2_000 + random.nextInt(20_000));
            case 3 -> ("{\"id\": 1" + "0".repeat(2_000 + random.nextInt(50_000)) + "}").getBytes(StandardCharsets.UTF_8);
            case 4 -> List.of("42", "-0.5e9", "true", "null", "\"text\"", "[]", "[1,2,3]", "", " ")
                    .get(random.nextInt(9)).getBytes(StandardCharsets.UTF_8);
            case 5 -> flip(random, sample.getBytes(StandardCharsets.UTF_8));
            default -> ("[" + sample + "," + sample + "]").getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A sample with a text past the 1 MiB body limit (few of them: each is a megabyte or two on the wire). */
    private static byte[] overTheLimit(Random random, String sample) {
        String padding = "\"pad\":\"" + "я".repeat(600_000 + random.nextInt(400_000)) + "\",";
        int brace = sample.indexOf('{');
        return (sample.substring(0, brace + 1) + padding + sample.substring(brace + 1)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        bytes[0] = (byte) '{';
        return bytes;
    }

    private static byte[] nested(String open, int depth) {
        return open.repeat(depth).getBytes(StandardCharsets.UTF_8);
    }

    /** The sample with its closing brace gone and a few bytes overwritten by invalid UTF-8. */
    private static byte[] flip(Random random, byte[] sample) {
        byte[] bytes = java.util.Arrays.copyOf(sample, sample.length - 2);
        for (int i = 0; i < 3; i++) {
            bytes[1 + random.nextInt(bytes.length - 1)] = (byte) (0x80 | random.nextInt(0x40));
        }
        return bytes;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
