package org.wagateway.provider.meta;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code gateway.meta.*} settings of Meta's WhatsApp Cloud API. Like {@code GatewayProperties}: each key a
 * field, its javadoc the description, its initialiser the only default.
 */
@ConfigurationProperties("gateway.meta")
public class MetaProperties {

    /** The Graph API's base URL with its version; the media step asks {@code <graph-url>/<media-id>} for a
     *  media's short-lived download link. */
    private String graphUrl = "https://graph.facebook.com/v23.0";
    /** The access token (GATEWAY_META_ACCESS_TOKEN) sent as {@code Authorization: Bearer} to the Graph API and
     *  to the download link it returns, nowhere else; never logged. Unset: Meta's media are not downloaded
     *  (status failed). */
    private String accessToken;

    public String getGraphUrl() { return graphUrl; }
    public void setGraphUrl(String graphUrl) { this.graphUrl = graphUrl; }
    public String getAccessToken() { return accessToken; }
    public void setAccessToken(String accessToken) { this.accessToken = accessToken; }
}
