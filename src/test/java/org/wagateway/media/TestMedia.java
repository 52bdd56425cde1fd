package org.wagateway.media;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.wagateway.provider.meta.MetaProperties;

/** Small real files, made on the fly, and the test TLS material. */
final class TestMedia {

    static final String TLS_KEYSTORE = "/media/media-example-test.p12";
    static final char[] TLS_PASSWORD = "test-only-password".toCharArray();

    private TestMedia() {
    }

    static byte[] png() {
        return image("png");
    }

    static byte[] jpeg() {
        return image("jpg");
    }

    private static byte[] image(String format) {
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 6; y++) {
                image.setRGB(x, y, new Color(x * 30, y * 40, 120).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static byte[] pdf() {
        return ("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
                + "2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
                + "trailer <</Root 1 0 R>>\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The first page of an Ogg Opus stream: capture pattern, then the OpusHead packet. */
    static byte[] oggOpus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("OggS".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1, 19});
        out.writeBytes("OpusHead".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {1, 1, 0x38, 1, (byte) 0x80, (byte) 0xBB, 0, 0, 0, 0, 0});
        return out.toByteArray();
    }

    /** An ID3v2 tag header followed by one MPEG-1 Layer III frame header. */
    static byte[] mp3() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64});
        out.writeBytes(new byte[400]);
        return out.toByteArray();
    }

    /** The media sources as Spring wires them, Meta's with the given settings. */
    static MediaSources sources(MediaProperties properties, MediaDownloader downloader, MetaProperties meta) {
        return new MediaSources(new LinkMediaSource(downloader), new MetaMediaSource(meta, properties, downloader));
    }

    /** The media sources, Meta's unconfigured (no token). */
    static MediaSources sources(MediaProperties properties, MediaDownloader downloader) {
        return sources(properties, downloader, new MetaProperties());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = TestMedia.class.getResourceAsStream(TLS_KEYSTORE)) {
            store.load(in, TLS_PASSWORD);
        }
        return store;
    }

    /** The loopback HTTPS server's side: the self-signed certificate of media.example.test. */
    static SSLContext serverTls() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(), TLS_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** The JVM's default TLS context (its trust store knows nothing of the test certificate). */
    static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The downloader's side: trusts only that certificate. */
    static SSLContext clientTls() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
