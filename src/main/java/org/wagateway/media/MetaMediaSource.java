package org.wagateway.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wagateway.canonical.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MediaStatus;
import org.wagateway.media.MediaDownloader.Attempt;
import org.wagateway.provider.meta.MetaProperties;

/**
 * Meta's attachments: the webhook names a media id, not a link. Each try is two requests, both through the
 * downloader's guard (allow-list, address checks, redirects, size and time limits): {@code GET
 * <gateway.meta.graph-url>/<mediaId>} answers JSON with a short-lived {@code url} (and {@code sha256},
 * {@code file_size}, {@code mime_type}), then {@code GET <url>} gives the bytes. Both carry
 * {@code Authorization: Bearer <gateway.meta.access-token>}, each only to its own origin (a redirect elsewhere
 * goes without it), and never over http when the Graph URL is https. A retry asks the Graph API again, as its
 * links expire within minutes.
 *
 * <p>The bytes' SHA-256 must equal what Meta announced (the message's {@code declaredSha256} and the lookup's
 * {@code sha256}; Meta writes it in base64, hex is read too); a mismatch is a failed download and nothing is
 * stored. A {@code file_size} over {@code gateway.media.max-bytes} is too_large before any byte is fetched.
 * Failure texts name hosts and statuses, never the token nor the links' query strings.
 */
@Component
public class MetaMediaSource implements MediaSource {

    private static final Logger LOG = LoggerFactory.getLogger(MetaMediaSource.class);
    /** Largest Graph API answer read: its JSON is a few hundred bytes. */
    static final int LOOKUP_LIMIT = 64 * 1024;
    /** Meta's media ids are digits; anything that could leave the path segment ({@code /}, {@code ..}, {@code ?})
     *  would point the token at another Graph API object. */
    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetaProperties meta;
    private final MediaProperties properties;
    private final MediaDownloader downloader;

    public MetaMediaSource(MetaProperties meta, MediaProperties properties, MediaDownloader downloader) {
        this.meta = meta;
        this.properties = properties;
        this.downloader = downloader;
    }

    @Override
    public boolean canFetch(Media media) {
        return media.mediaId() != null && !media.mediaId().isBlank();
    }

    @Override
    public DownloadResult download(Media media) {
        String token = meta.getAccessToken();
        if (token == null || token.isBlank()) {
            return DownloadResult.notDownloaded(MediaStatus.FAILED, "gateway.meta.access-token is not set", 0);
        }
        String id = media.mediaId() == null ? "" : media.mediaId().strip();
        if (!MEDIA_ID.matcher(id).matches()) {
            return DownloadResult.notDownloaded(MediaStatus.REFUSED, "not a valid Meta media id", 0);
        }
        URI lookup = lookupLink(id);
        if (lookup == null) {
            return DownloadResult.notDownloaded(MediaStatus.REFUSED, "gateway.meta.graph-url is not a valid link", 0);
        }
        List<byte[]> announced = new ArrayList<>();
        if (media.declaredSha256() != null && !media.declaredSha256().isBlank()) {
            byte[] declared = sha256Bytes(media.declaredSha256());
            if (declared == null) {
                return DownloadResult.notDownloaded(MediaStatus.FAILED,
                        "the sha256 Meta announced is not a SHA-256 in base64 or hex", 0);
            }
            announced.add(declared);
        }
        BearerToken graph = BearerToken.forOrigin(token, lookup);
        return downloader.downloadInTries(MediaDownloader.safeHost(lookup),
                attempt -> attempt(media, lookup, graph, token, announced, attempt));
    }

    private Attempt attempt(Media media, URI lookup, BearerToken graph, String token, List<byte[]> announced,
                            int attempt) {
        Attempt answer = downloader.fetchSmall(lookup, graph, LOOKUP_LIMIT, attempt);
        if (answer.body() == null) {
            return answer.prefixed("media lookup: ");
        }
        JsonNode json;
        try {
            json = JSON.readTree(answer.body());
        } catch (IOException e) {
            json = null;
        }
        String url = json == null ? null : Json.text(json, "/url");
        if (url == null) {
            return failed("media lookup: the Graph API's answer from " + MediaDownloader.safeHost(lookup)
                    + " has no url", MediaStatus.FAILED, attempt);
        }
        URI file = MediaDownloader.parse(url);
        if (file == null || !file.isAbsolute() || file.getHost() == null) {
            return failed("media lookup: the Graph API's url is not a valid link", MediaStatus.REFUSED, attempt - 1);
        }
        if ("https".equalsIgnoreCase(lookup.getScheme()) && !"https".equalsIgnoreCase(file.getScheme())) {
            return failed("media lookup: the Graph API's url for " + MediaDownloader.safeHost(file)
                    + " is not https; the token goes over https only", MediaStatus.REFUSED, attempt - 1);
        }
        long fileSize = json.path("file_size").asLong(-1);
        if (fileSize > properties.getMaxBytes()) {
            return failed("file_size " + fileSize + " exceeds the limit of " + properties.getMaxBytes() + " bytes",
                    MediaStatus.TOO_LARGE, attempt - 1);
        }
        List<byte[]> expected = new ArrayList<>(announced);
        String lookupSha = Json.text(json, "/sha256");
        if (lookupSha != null) {
            byte[] bytes = sha256Bytes(lookupSha);
            if (bytes == null) {
                return failed("media lookup: the Graph API's sha256 is not a SHA-256 in base64 or hex",
                        MediaStatus.FAILED, attempt);
            }
            expected.add(bytes);
        }
        String declaredType = media.mimeType() != null ? media.mimeType() : Json.text(json, "/mime_type");
        Attempt got = downloader.fetchFile(file, declaredType, BearerToken.forOrigin(token, file), attempt);
        DownloadResult result = got.result();
        if (result == null || !result.downloaded()) {
            return got;
        }
        byte[] actual = HexFormat.of().parseHex(result.sha256());
        for (byte[] want : expected) {
            if (!MessageDigest.isEqual(actual, want)) {
                delete(result);
                return failed("the bytes from " + MediaDownloader.safeHost(file) + " have SHA-256 " + result.sha256()
                        + ", not the " + HexFormat.of().formatHex(want) + " Meta announced", MediaStatus.FAILED,
                        attempt);
            }
        }
        return got;
    }

    /** {@code <graph-url>/<id>}, or null when the setting is no absolute http(s) link. */
    private URI lookupLink(String id) {
        String base = meta.getGraphUrl() == null ? "" : meta.getGraphUrl().strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        URI uri = MediaDownloader.parse(base + "/" + id);
        return uri == null || !uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null ? null : uri;
    }

    /** The 32 bytes of a SHA-256 written in hex (64 digits) or base64 (standard or URL-safe, padded or not). */
    static byte[] sha256Bytes(String text) {
        String value = text.strip();
        try {
            if (value.length() == 64) {
                return HexFormat.of().parseHex(value);
            }
            byte[] bytes = value.indexOf('-') >= 0 || value.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(value) : Base64.getDecoder().decode(value);
            return bytes.length == 32 ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Attempt failed(String reason, MediaStatus status, int attempts) {
        return Attempt.done(DownloadResult.notDownloaded(status, reason, Math.max(0, attempts)));
    }

    private static void delete(DownloadResult result) {
        try {
            Files.deleteIfExists(result.file());
        } catch (IOException e) {
            // the downloader's clean-up of stale files takes it later
            LOG.warn("Could not delete a download whose SHA-256 did not match: {}", e.toString());
        }
    }
}
