package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The advertisement (click-to-WhatsApp ad or post) a message came from: its id, kind ({@code ad}, {@code post}),
 * link, media type, preview link, where it ran ({@code conversionSource}, e.g. {@code FB_Ads}) and the app the
 * customer came from ({@code entryPointConversionApp}, e.g. {@code instagram}); the ad's {@code headline} and
 * {@code body} and the click id Meta gives to attribute the conversation to the ad ({@code clickId}, Meta's
 * {@code ctwa_clid}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Referral(String sourceId, String sourceType, String sourceUrl, String mediaType, String thumbnailUrl,
                       String conversionSource, String entryPointConversionApp, Boolean showAdAttribution,
                       Boolean containsAutoReply, String previewType, String headline, String body,
                       String clickId) {

    /** A referral without the ad's own texts and click id (Green API gives none). */
    public Referral(String sourceId, String sourceType, String sourceUrl, String mediaType, String thumbnailUrl,
                    String conversionSource, String entryPointConversionApp, Boolean showAdAttribution,
                    Boolean containsAutoReply, String previewType) {
        this(sourceId, sourceType, sourceUrl, mediaType, thumbnailUrl, conversionSource, entryPointConversionApp,
                showAdAttribution, containsAutoReply, previewType, null, null, null);
    }
}
