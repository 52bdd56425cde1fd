package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MagicNumbersTest {

    private static String detect(byte[] bytes) {
        return MagicNumbers.detect(bytes, bytes.length);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] ftyp(String brand) {
        byte[] box = new byte[32];
        System.arraycopy(ascii("ftyp" + brand), 0, box, 4, 8);
        box[3] = 0x20;
        return box;
    }

    @Test
    void knownSignatures() {
        assertThat(detect(TestMedia.jpeg())).isEqualTo("image/jpeg");
        assertThat(detect(TestMedia.png())).isEqualTo("image/png");
        assertThat(detect(ascii("GIF89a\u0001\u0000"))).isEqualTo("image/gif");
        assertThat(detect(ascii("RIFF\u0010\u0000\u0000\u0000WEBPVP8 "))).isEqualTo("image/webp");
        assertThat(detect(ascii("RIFF\u0010\u0000\u0000\u0000WAVEfmt "))).isEqualTo("audio/wav");
        assertThat(detect(TestMedia.pdf())).isEqualTo("application/pdf");
        assertThat(detect(ftyp("isom"))).isEqualTo("video/mp4");
        assertThat(detect(ftyp("mp42"))).isEqualTo("video/mp4");
        assertThat(detect(ftyp("M4A "))).isEqualTo("audio/mp4");
        assertThat(detect(ftyp("3gp5"))).isEqualTo("video/3gpp");
        assertThat(detect(ftyp("qt  "))).isEqualTo("video/quicktime");
        assertThat(detect(ftyp("heic"))).isEqualTo("image/heic");
        assertThat(detect(TestMedia.oggOpus())).isEqualTo("audio/ogg");
        assertThat(detect(TestMedia.mp3())).isEqualTo("audio/mpeg");
        assertThat(detect(bytes(0xFF, 0xFB, 0x90, 0x64))).isEqualTo("audio/mpeg");
        assertThat(detect(bytes(0xFF, 0xF1, 0x50, 0x80))).isEqualTo("audio/aac");
        assertThat(detect(ascii("#!AMR\n<"))).isEqualTo("audio/amr");
        assertThat(detect(ascii("#!AMR-WB\n"))).isEqualTo("audio/amr-wb");
        assertThat(detect(bytes('P', 'K', 3, 4, 20, 0))).isEqualTo("application/zip");
        assertThat(detect(bytes(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1))).isEqualTo("application/x-ole-storage");
        assertThat(detect(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F))).isEqualTo("video/webm");
        assertThat(detect("Привет, мир\nBEGIN:VCARD".getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain");
    }

    @Test
    void unknownBinaryAndEmptyAreNotDetected() {
        assertThat(detect(bytes(0, 1, 2, 3, 4, 5))).isNull();
        assertThat(detect(bytes(0xC3, 0x28))).isNull(); // invalid UTF-8
        assertThat(detect(new byte[0])).isNull();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
            // declared                                                    | file  | kept mimeType                                                  | declaredMimeType
            "image/jpeg                                                    | jpeg  | image/jpeg                                                     | ",
            "image/jpg                                                     | jpeg  | image/jpg                                                      | ",
            "audio/ogg; codecs=opus                                        | ogg   | audio/ogg; codecs=opus                                         | ",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document | zip | application/vnd.openxmlformats-officedocument.wordprocessingml.document | ",
            "audio/mp4                                                     | mp4   | audio/mp4                                                      | ",
            "application/pdf                                               | png   | image/png                                                      | application/pdf",
            "image/jpeg                                                    | text  | text/plain                                                     | image/jpeg",
            "image/jpeg                                                    | bin   | application/octet-stream                                       | image/jpeg",
            "text/plain                                                    | bin   | application/octet-stream                                       | text/plain",
            "application/x-rar-compressed                                  | bin   | application/x-rar-compressed                                   | ",
            "text/csv                                                      | text  | text/csv                                                       | ",
            "application/octet-stream                                      | pdf   | application/pdf                                                | ",
            "                                                              | bin   | application/octet-stream                                       | ",
            "                                                              | png   | image/png                                                      | ",
            "not-a-type                                                    | png   | image/png                                                      | ",
    })
    void checkTrustsTheBytes(String declared, String file, String mimeType, String declaredMimeType) {
        byte[] bytes = switch (file) {
            case "jpeg" -> TestMedia.jpeg();
            case "png" -> TestMedia.png();
            case "pdf" -> TestMedia.pdf();
            case "ogg" -> TestMedia.oggOpus();
            case "zip" -> bytes('P', 'K', 3, 4, 20, 0);
            case "mp4" -> ftyp("M4A ");
            case "text" -> ascii("hello, world\n");
            default -> bytes(0, 1, 2, 3, 0x80, 0xFE);
        };

        MagicNumbers.TypeCheck check = MagicNumbers.check(declared, bytes, bytes.length);

        assertThat(check.mimeType()).isEqualTo(mimeType);
        assertThat(check.declaredMimeType()).isEqualTo(declaredMimeType);
    }

    @Test
    void baseType() {
        assertThat(MagicNumbers.baseType(" Image/JPEG ; q=1")).isEqualTo("image/jpeg");
        assertThat(MagicNumbers.baseType("jpeg")).isNull();
        assertThat(MagicNumbers.baseType("image/")).isNull();
        assertThat(MagicNumbers.baseType(null)).isNull();
    }
}
