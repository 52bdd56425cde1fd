package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The advertisement (click-to-WhatsApp ad or post) a message came from: its id, kind ({@code ad}, {@code post}),
 * link, media type, preview link, where it ran ({@code conversionSource}, e.g. {@code FB_Ads}) and the app the
 * customer came from ({@code entryPointConversionApp}, e.g. {@code instagram}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Referral(String sourceId, String sourceType, String sourceUrl, String mediaType, String thumbnailUrl,
                       String conversionSource, String entryPointConversionApp, Boolean showAdAttribution,
                       Boolean containsAutoReply, String previewType) {
}
