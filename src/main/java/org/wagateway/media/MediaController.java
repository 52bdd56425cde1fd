package org.wagateway.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves kept copies over signed links ({@link MediaLinks}): {@code GET /media/{sha256}?expires=…&signature=…}.
 *
 * <p>200 streams the bytes with their kept type, Content-Length, {@code Content-Disposition: attachment}
 * (a sanitised name), {@code X-Content-Type-Options: nosniff}, a sandboxing Content-Security-Policy and
 * {@code Cache-Control: private}: a browser downloads the file rather than rendering it in our origin.
 * Errors are JSON like the webhooks': 400 {@code invalid_media_id} (not 64 hex digits, so no path can be formed
 * from it), 403 {@code forbidden} (missing, wrong or expired signature, checked before the store is consulted),
 * 404 {@code not_found}.
 */
@RestController
public class MediaController {

    private static final Logger LOG = LoggerFactory.getLogger(MediaController.class);
    private static final int MAX_NAME_LENGTH = 150;

    private final MediaLinks links;
    private final MediaStore store;

    public MediaController(MediaLinks links, MediaStore store) {
        this.links = links;
        this.store = store;
    }

    @GetMapping("/media/{id}")
    public ResponseEntity<?> get(@PathVariable("id") String id,
                                 @RequestParam(name = "expires", required = false) String expires,
                                 @RequestParam(name = "signature", required = false) String signature) {
        String sha256 = id == null ? null : id.toLowerCase(Locale.ROOT);
        if (!MediaStore.isValidId(sha256)) {
            return error(HttpStatus.BAD_REQUEST, "invalid_media_id", "A media id is 64 hexadecimal digits");
        }
        if (!links.verify(sha256, expires, signature)) {
            return error(HttpStatus.FORBIDDEN, "forbidden", "The link's signature is missing, wrong or expired");
        }
        Optional<StoredMediaContent> content;
        InputStream stream;
        try {
            content = store.open(sha256);
            if (content.isEmpty()) {
                return error(HttpStatus.NOT_FOUND, "not_found", "No media with this id");
            }
            stream = content.get().openStream();
        } catch (IOException e) {
            LOG.error("Could not read media {}", sha256, e);
            return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "The media could not be read");
        }
        StoredMedia media = content.get().media();
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(contentType(media.mimeType()));
        headers.setContentLength(media.size());
        headers.set(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(media.fileName(), sha256, media.mimeType()));
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
        headers.setCacheControl(CacheControl.empty().cachePrivate());
        headers.setETag("\"" + sha256 + "\"");
        return new ResponseEntity<>(new InputStreamResource(stream), headers, HttpStatus.OK);
    }

    private static MediaType contentType(String mimeType) {
        if (mimeType != null) {
            try {
                MediaType type = MediaType.parseMediaType(mimeType);
                if (!type.isWildcardType() && !type.isWildcardSubtype()) {
                    return type;
                }
            } catch (InvalidMediaTypeException e) {
                // fall through
            }
        }
        return MediaType.APPLICATION_OCTET_STREAM;
    }

    /**
     * {@code attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>}: the name without any
     * folder part, control characters, quotes or backslashes, at most 150 characters; a kept copy without a
     * name gets {@code media-<first 12 hex digits>} and an extension for its type.
     */
    static String contentDisposition(String fileName, String sha256, String mimeType) {
        String name = sanitize(fileName);
        if (name == null) {
            name = "media-" + sha256.substring(0, 12) + extension(mimeType);
        }
        StringBuilder ascii = new StringBuilder();
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    static String sanitize(String fileName) {
        if (fileName == null) {
            return null;
        }
        String name = fileName;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        StringBuilder clean = new StringBuilder();
        name.codePoints().forEach(cp -> {
            if (!Character.isISOControl(cp) && cp != '"' && cp != '\\' && Character.getType(cp) != Character.FORMAT) {
                clean.appendCodePoint(cp);
            }
        });
        String result = clean.toString().strip();
        while (result.startsWith(".")) {
            result = result.substring(1);
        }
        if (result.codePointCount(0, result.length()) > MAX_NAME_LENGTH) {
            result = result.substring(0, result.offsetByCodePoints(0, MAX_NAME_LENGTH));
        }
        return result.isBlank() ? null : result;
    }

    private static String extension(String mimeType) {
        String base = MagicNumbers.baseType(mimeType);
        if (base == null) {
            return "";
        }
        return switch (base) {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "image/gif" -> ".gif";
            case "image/webp" -> ".webp";
            case "application/pdf" -> ".pdf";
            case "video/mp4" -> ".mp4";
            case "audio/mp4" -> ".m4a";
            case "video/3gpp" -> ".3gp";
            case "audio/ogg" -> ".ogg";
            case "audio/mpeg" -> ".mp3";
            case "audio/aac" -> ".aac";
            case "audio/amr" -> ".amr";
            case "application/zip" -> ".zip";
            case "text/plain" -> ".txt";
            default -> "";
        };
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", "rejected");
        body.put("error", error);
        body.put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
