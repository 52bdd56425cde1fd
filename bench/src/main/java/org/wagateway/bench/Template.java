package org.wagateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A fixture with its provider message id (and media link) replaced by tokens. */
final class Template {
    final String provider;
    final String path;
    final String authHeader;
    final String body;
    final String mediaExt;

    Template(String provider, String authHeader, String body, String mediaExt) {
        this.provider = provider;
        this.path = "/webhooks/" + provider;
        this.authHeader = authHeader;
        this.body = body;
        this.mediaExt = mediaExt;
    }

    String providerId(String runTag, long n) {
        return provider.equals("kazinfoteh") ? "bench-" + runTag + "-" + n
                : ("B" + runTag + Long.toHexString(n)).toUpperCase(Locale.ROOT);
    }

    private static String setString(String json, String field, String value) {
        Pattern p = Pattern.compile("(\"" + Pattern.quote(field) + "\"\\s*:\\s*)\"[^\"]*\"");
        Matcher m = p.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("fixture without \"" + field + "\"");
        }
        return m.replaceFirst(Matcher.quoteReplacement(m.group(1) + "\"" + value + "\""));
    }

    static Template kaz(Path fixtures, String key, String file, String mediaExt) throws IOException {
        String json = Files.readString(fixtures.resolve("kazinfoteh").resolve(file));
        json = setString(json, "id", "@@ID@@");
        if (json.contains("\"msgId\"")) {
            json = setString(json, "msgId", "@@ID@@-m");
        }
        if (mediaExt != null) {
            json = setString(json, "msgAttachmentUrl", "@@URL@@");
        }
        return new Template("kazinfoteh", "X-API-KEY: " + key, json, mediaExt);
    }

    static Template green(Path fixtures, String token, String file, String mediaExt) throws IOException {
        String json = Files.readString(fixtures.resolve("greenapi").resolve(file));
        json = setString(json, "idMessage", "@@ID@@");
        if (mediaExt != null) {
            json = setString(json, "downloadUrl", "@@URL@@");
        }
        return new Template("greenapi", "Authorization: Bearer " + token, json, mediaExt);
    }

    /**
     * Twenty slots, used in turn: 16 text (80 %), 2 media (10 %: a JPEG image, a PDF document), 2 statuses
     * (10 %); half from each provider.
     */
    static Template[] mix(Path fixtures, String kazKey, String greenToken) throws IOException {
        Template kText = kaz(fixtures, kazKey, "text.json", null);
        Template kImage = kaz(fixtures, kazKey, "image.json", "jpg");
        Template kStatus = kaz(fixtures, kazKey, "status.json", null);
        Template gText = green(fixtures, greenToken, "text-message.json", null);
        Template gExt = green(fixtures, greenToken, "extended-text-message.json", null);
        Template gGroup = green(fixtures, greenToken, "extended-text-message-group.json", null);
        Template gQuoted = green(fixtures, greenToken, "quoted-message.json", null);
        Template gDoc = green(fixtures, greenToken, "document-message.json", "pdf");
        Template gStatus = green(fixtures, greenToken, "outgoing-message-status.json", null);
        return new Template[] {
            kText, gText, kText, gExt, kImage, gGroup, kText, gText, kStatus, gQuoted,
            kText, gText, kText, gExt, gDoc, kText, gText, kText, gStatus, gGroup};
    }
}
