package org.wagateway.provider.greenapi;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code gateway.greenapi.*} settings: Green API's webhook. */
@ConfigurationProperties("gateway.greenapi")
public class GreenApiProperties {

    /** The token Green API sends as Authorization: Bearer; unset means the endpoint refuses everything (503). */
    private String token;
    /** Addresses or CIDR ranges webhooks may come from; empty: any (the secret still applies). */
    private List<String> allowedSourceIps = new ArrayList<>();

    public List<String> getAllowedSourceIps() { return allowedSourceIps; }
    public void setAllowedSourceIps(List<String> value) { this.allowedSourceIps = value; }
    public String getToken() { return token; }
    public void setToken(String token) { this.token = token; }
}
