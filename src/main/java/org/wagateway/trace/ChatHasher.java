package org.wagateway.trace;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash (HMAC-SHA256, hex) of a chat or sender id, taken of its {@link ChatIds#normalise normalised} form:
 * what the trace searches by. Without the key a reader of the database cannot test candidate phone numbers
 * against it. Thread-safe: one {@link Mac} per call (cheap next to the database write it precedes).
 */
public final class ChatHasher {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    /** One initialised Mac per thread: looking up the algorithm and keying a Mac cost more than the hash itself. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public ChatHasher(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("The trace's hash key is empty");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The hash of the id's normalised form; null for a missing id. */
    public String hash(String id) {
        String normalised = ChatIds.normalise(id);
        if (normalised == null) {
            return null;
        }
        return HexFormat.of().formatHex(macs.get().doFinal(normalised.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "ChatHasher[key hidden]";
    }
}
