package org.wagateway.media;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a file's first bytes say it is, and whether that agrees with the type someone declared.
 *
 * <p>Known signatures: JPEG, PNG, GIF, WEBP, PDF, the ISO base media family ({@code ftyp}: MP4, M4A, QuickTime,
 * 3GP, HEIC/AVIF), OGG (Opus, Vorbis), MP3 (ID3 tag or frame sync), AAC (ADTS), AMR and AMR-WB, ZIP (and the
 * office formats built on it), OLE2 (old Office), WebM/Matroska, WAV; anything else that reads as UTF-8 text
 * without control characters is {@code text/plain}.
 *
 * <p>{@link #check}: a declared type of the same family as the bytes is kept as declared (with its parameters:
 * {@code audio/ogg; codecs=opus}, or a .docx's own type for ZIP bytes); a declared type the bytes contradict
 * gives way to the bytes' type; a declared type this class would have recognised, on bytes it does not
 * recognise, is a lie too and gives {@code application/octet-stream}. Only a declared type outside every known
 * family, on unrecognised bytes, is kept unchecked.
 */
public final class MagicNumbers {

    /** How many leading bytes {@link #detect} looks at (the text check uses them all). */
    public static final int HEAD_BYTES = 512;

    public static final String OCTET_STREAM = "application/octet-stream";

    /** The type to use, and what was declared when the bytes contradicted it (else null). */
    public record TypeCheck(String mimeType, String declaredMimeType) {
    }

    private static final Set<String> GENERIC = Set.of(OCTET_STREAM, "binary/octet-stream", "application/unknown",
            "application/binary", "application/download", "application/force-download", "unknown/unknown");

    private static final Set<String> ISO_MEDIA = Set.of("video/mp4", "audio/mp4", "audio/m4a", "audio/x-m4a",
            "video/x-m4v", "application/mp4", "video/quicktime", "video/3gpp", "audio/3gpp", "video/3gpp2",
            "audio/3gpp2", "audio/aac", "audio/x-aac");
    private static final Set<String> HEIF = Set.of("image/heic", "image/heif", "image/heic-sequence",
            "image/heif-sequence", "image/avif", "image/avif-sequence");
    private static final Set<String> OGG = Set.of("audio/ogg", "audio/opus", "application/ogg", "video/ogg",
            "audio/vorbis", "audio/x-ogg", "audio/x-opus+ogg");
    private static final Set<String> AMR = Set.of("audio/amr", "audio/amr-wb", "audio/3gpp");
    private static final Set<String> OLE = Set.of("application/x-ole-storage", "application/msword",
            "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/vnd.ms-outlook",
            "application/x-msi", "application/vnd.visio");
    private static final Set<String> ZIP = Set.of("application/zip", "application/x-zip-compressed",
            "application/x-zip", "application/epub+zip", "application/java-archive",
            "application/vnd.android.package-archive");

    /** Declared base types compatible with each detected type. */
    private static final Map<String, Predicate<String>> FAMILIES = Map.ofEntries(
            Map.entry("image/jpeg", Set.of("image/jpeg", "image/jpg", "image/pjpeg")::contains),
            Map.entry("image/png", Set.of("image/png", "image/x-png", "image/apng")::contains),
            Map.entry("image/gif", "image/gif"::equals),
            Map.entry("image/webp", "image/webp"::equals),
            Map.entry("application/pdf", Set.of("application/pdf", "application/x-pdf")::contains),
            Map.entry("video/mp4", ISO_MEDIA::contains),
            Map.entry("audio/mp4", ISO_MEDIA::contains),
            Map.entry("video/quicktime", ISO_MEDIA::contains),
            Map.entry("video/3gpp", ISO_MEDIA::contains),
            Map.entry("image/heic", HEIF::contains),
            Map.entry("image/avif", HEIF::contains),
            Map.entry("audio/ogg", OGG::contains),
            Map.entry("audio/mpeg", Set.of("audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg", "audio/x-mp3",
                    "audio/x-mpeg-3", "audio/mpga")::contains),
            Map.entry("audio/aac", Set.of("audio/aac", "audio/x-aac", "audio/aacp")::contains),
            Map.entry("audio/amr", AMR::contains),
            Map.entry("audio/amr-wb", AMR::contains),
            Map.entry("application/zip", MagicNumbers::isZipBased),
            Map.entry("application/x-ole-storage", OLE::contains),
            Map.entry("video/webm", Set.of("video/webm", "audio/webm", "video/x-matroska",
                    "audio/x-matroska")::contains),
            Map.entry("audio/wav", Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")::contains),
            Map.entry("text/plain", MagicNumbers::isTextual));

    private MagicNumbers() {
    }

    /** The type the first bytes show, or null when they match no signature and are not text. */
    public static String detect(byte[] head, int length) {
        int n = Math.min(length, head.length);
        if (n <= 0) {
            return null;
        }
        if (starts(head, n, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(head, n, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (ascii(head, n, 0, "GIF87a") || ascii(head, n, 0, "GIF89a")) {
            return "image/gif";
        }
        if (ascii(head, n, 0, "RIFF") && ascii(head, n, 8, "WEBP")) {
            return "image/webp";
        }
        if (ascii(head, n, 0, "RIFF") && ascii(head, n, 8, "WAVE")) {
            return "audio/wav";
        }
        if (ascii(head, n, 0, "%PDF-")) {
            return "application/pdf";
        }
        if (ascii(head, n, 4, "ftyp") && n >= 12) {
            return isoMediaType(new String(head, 8, 4, StandardCharsets.ISO_8859_1));
        }
        if (ascii(head, n, 0, "OggS")) {
            return "audio/ogg";
        }
        if (ascii(head, n, 0, "#!AMR-WB\n")) {
            return "audio/amr-wb";
        }
        if (ascii(head, n, 0, "#!AMR\n")) {
            return "audio/amr";
        }
        if (ascii(head, n, 0, "ID3") || isMp3Frame(head, n)) {
            return "audio/mpeg";
        }
        if (n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xF6) == 0xF0) {
            return "audio/aac";
        }
        if (starts(head, n, 0, 'P', 'K', 0x03, 0x04) || starts(head, n, 0, 'P', 'K', 0x05, 0x06)) {
            return "application/zip";
        }
        if (starts(head, n, 0, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return "application/x-ole-storage";
        }
        if (starts(head, n, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return "video/webm";
        }
        if (looksLikeText(head, n)) {
            return "text/plain";
        }
        return null;
    }

    /**
     * The type to keep for a file: see the class comment.
     *
     * @param declared what the server or the provider said (may be null, may carry parameters)
     */
    public static TypeCheck check(String declared, byte[] head, int length) {
        String detected = detect(head, length);
        String claim = declared == null || declared.isBlank() ? null : declared.trim();
        String base = baseType(claim);
        if (base == null || GENERIC.contains(base)) {
            return new TypeCheck(detected != null ? detected : (claim != null ? claim : OCTET_STREAM), null);
        }
        if (detected != null) {
            return FAMILIES.get(detected).test(base) ? new TypeCheck(claim, null) : new TypeCheck(detected, claim);
        }
        boolean recognisable = FAMILIES.values().stream().anyMatch(family -> family.test(base));
        return recognisable ? new TypeCheck(OCTET_STREAM, claim) : new TypeCheck(claim, null);
    }

    /** {@code Image/JPEG; q=1} → {@code image/jpeg}; null for null or something that is not type/subtype. */
    public static String baseType(String mimeType) {
        if (mimeType == null) {
            return null;
        }
        int semicolon = mimeType.indexOf(';');
        String base = (semicolon >= 0 ? mimeType.substring(0, semicolon) : mimeType).trim().toLowerCase(Locale.ROOT);
        int slash = base.indexOf('/');
        return slash <= 0 || slash == base.length() - 1 ? null : base;
    }

    private static String isoMediaType(String brand) {
        String b = brand.trim().toLowerCase(Locale.ROOT);
        if (List.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1").contains(b)) {
            return "image/heic";
        }
        if (b.equals("avif") || b.equals("avis")) {
            return "image/avif";
        }
        if (b.startsWith("m4a") || b.equals("m4b") || b.equals("f4a")) {
            return "audio/mp4";
        }
        if (b.equals("qt")) {
            return "video/quicktime";
        }
        if (b.startsWith("3g")) {
            return "video/3gpp";
        }
        return "video/mp4";
    }

    private static boolean isMp3Frame(byte[] h, int n) {
        if (n < 3 || (h[0] & 0xFF) != 0xFF || (h[1] & 0xE0) != 0xE0) {
            return false;
        }
        int version = (h[1] >> 3) & 3;
        int layer = (h[1] >> 1) & 3;
        int bitrate = (h[2] >> 4) & 0xF;
        int sampleRate = (h[2] >> 2) & 3;
        return version != 1 && layer != 0 && bitrate != 0xF && sampleRate != 3;
    }

    private static boolean isZipBased(String base) {
        return ZIP.contains(base)
                || base.startsWith("application/vnd.openxmlformats-officedocument.")
                || base.startsWith("application/vnd.oasis.opendocument.")
                || (base.startsWith("application/vnd.ms-") && base.contains("macroenabled"));
    }

    private static boolean isTextual(String base) {
        return base.startsWith("text/")
                || base.equals("application/json") || base.endsWith("+json")
                || base.equals("application/xml") || base.endsWith("+xml")
                || base.equals("application/javascript") || base.equals("application/x-javascript")
                || base.equals("application/csv") || base.equals("application/rtf")
                || base.equals("application/x-vcard");
    }

    /** Valid UTF-8 (a sequence cut by the end of the head is fine) with no control characters but
     *  tab, line feed, form feed, carriage return and escape. */
    static boolean looksLikeText(byte[] h, int n) {
        int i = 0;
        if (n >= 3 && (h[0] & 0xFF) == 0xEF && (h[1] & 0xFF) == 0xBB && (h[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < n) {
            int b = h[i] & 0xFF;
            if (b < 0x80) {
                if (b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r' && b != 0x1B || b == 0x7F) {
                    return false;
                }
                i++;
                continue;
            }
            int extra;
            if (b >= 0xC2 && b <= 0xDF) {
                extra = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                extra = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                extra = 3;
            } else {
                return false;
            }
            for (int k = 1; k <= extra; k++) {
                if (i + k >= n) {
                    return n == HEAD_BYTES; // cut by the end of the head
                }
                if ((h[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += extra + 1;
        }
        return true;
    }

    private static boolean starts(byte[] h, int n, int offset, int... bytes) {
        if (n < offset + bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((h[offset + i] & 0xFF) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] h, int n, int offset, String text) {
        if (n < offset + text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (h[offset + i] != (byte) text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
