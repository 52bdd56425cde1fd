package org.wagateway.provider.kazinfoteh;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code gateway.kazinfoteh.*} settings: Kazinfoteh's webhook and how its payloads are read. */
@ConfigurationProperties("gateway.kazinfoteh")
public class KazinfotehProperties {

    /** The key Kazinfoteh sends in X-API-KEY; unset means the endpoint refuses everything (503). */
    private String apiKey;
    /** Zone of Kazinfoteh's receivedAt, which carries none. */
    private String timezone = "Asia/Almaty";
    /** Addresses or CIDR ranges webhooks may come from; empty: any (the secret still applies). */
    private List<String> allowedSourceIps = new ArrayList<>();

    public List<String> getAllowedSourceIps() { return allowedSourceIps; }
    public void setAllowedSourceIps(List<String> value) { this.allowedSourceIps = value; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String apiKey) { this.apiKey = apiKey; }
    public String getTimezone() { return timezone; }
    public void setTimezone(String timezone) { this.timezone = timezone; }
}
