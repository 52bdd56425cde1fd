package org.wagateway.provider.meta;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code gateway.meta.*} settings of Meta's WhatsApp Cloud API: its webhook (handshake, signature, sources)
 * and its media (Graph API). Like every properties class: each key a field, its javadoc the description, its
 * initialiser the only default.
 */
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
    /** The Graph API's base URL with its version; the media step asks {@code <graph-url>/<media-id>} for a
     *  media's short-lived download link. */
    private String graphUrl = "https://graph.facebook.com/v23.0";
    /** The access token (GATEWAY_META_ACCESS_TOKEN) sent as {@code Authorization: Bearer} to the Graph API and
     *  to the download link it returns, nowhere else; never logged. Unset: Meta's media are not downloaded
     *  (status failed). */
    private String accessToken;

    public String getVerifyToken() { return verifyToken; }
    public void setVerifyToken(String verifyToken) { this.verifyToken = verifyToken; }
    public String getAppSecret() { return appSecret; }
    public void setAppSecret(String appSecret) { this.appSecret = appSecret; }
    public List<String> getAllowedSourceIps() { return allowedSourceIps; }
    public void setAllowedSourceIps(List<String> value) { this.allowedSourceIps = value; }
    public String getGraphUrl() { return graphUrl; }
    public void setGraphUrl(String graphUrl) { this.graphUrl = graphUrl; }
    public String getAccessToken() { return accessToken; }
    public void setAccessToken(String accessToken) { this.accessToken = accessToken; }
}
