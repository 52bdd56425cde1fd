package org.wagateway.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Histogram buckets on {@code http_server_requests_seconds} for the webhook endpoints only, so that
 * {@code histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{uri=~"/webhooks/.*"}[5m])))}
 * gives their latency percentiles. Fixed buckets ({@link #BUCKETS}, 13 and {@code +Inf}) instead of Micrometer's
 * percentile histogram (about 70 per series): a webhook is answered in milliseconds. Every other endpoint
 * (actuator, Hawtio, Jolokia, media links) gets the one bound {@link #OTHER_BOUND} and {@code +Inf}: Prometheus
 * takes one type per metric name, so the timer is a histogram for every URI, cheap where nobody asks for
 * percentiles.
 */
@Component
public class WebhookLatencyHistogram implements MeterFilter {

    /** The Spring MVC timer every HTTP request is recorded in. */
    static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    static final String WEBHOOK_URI_PREFIX = "/webhooks/";
    /** From a quick answer to the longest a provider waits for one. */
    static final Duration[] BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private static final DistributionStatisticConfig WEBHOOK = DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(Stream.of(BUCKETS).mapToDouble(Duration::toNanos).toArray())
            .build();
    /** The one bucket bound of the endpoints that are not webhooks: "answered within 10 s". */
    static final Duration OTHER_BOUND = Duration.ofSeconds(10);
    private static final DistributionStatisticConfig OTHER = DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(OTHER_BOUND.toNanos())
            .build();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
            return config;
        }
        String uri = id.getTag("uri");
        return (uri != null && uri.startsWith(WEBHOOK_URI_PREFIX) ? WEBHOOK : OTHER).merge(config);
    }
}
