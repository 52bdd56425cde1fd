package org.wagateway.provider.meta;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code gateway.meta.*} settings: Meta's WhatsApp Cloud API webhook. */
@ConfigurationProperties("gateway.meta")
public class MetaProperties {

    /**
     * The verify token entered in Meta's webhook settings; Meta's subscription handshake (GET) must present it.
     * Unset means the handshake is refused (503).
     */
    private String verifyToken;
    /**
     * The Meta app's secret: each POST's X-Hub-Signature-256 is the HMAC-SHA256 of its body keyed with it. Unset
     * means the endpoint refuses every POST (503).
     */
    private String appSecret;
    /** Addresses or CIDR ranges webhooks may come from; empty: any (the signature still applies). */
    private List<String> allowedSourceIps = new ArrayList<>();

    public String getVerifyToken() { return verifyToken; }
    public void setVerifyToken(String verifyToken) { this.verifyToken = verifyToken; }
    public String getAppSecret() { return appSecret; }
    public void setAppSecret(String appSecret) { this.appSecret = appSecret; }
    public List<String> getAllowedSourceIps() { return allowedSourceIps; }
    public void setAllowedSourceIps(List<String> value) { this.allowedSourceIps = value; }
}
