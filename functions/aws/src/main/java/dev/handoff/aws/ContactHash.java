package dev.handoff.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a contact appears in the logs (PRODUCT §8): a keyed hash of its email, HMAC-SHA256 under a per-stack secret,
 * cut to 64 bits. Stable, so one contact can be followed through every function's lines; not reversible by hashing
 * candidate emails, because whoever reads the logs does not hold the key (template.yaml creates it in Secrets
 * Manager; {@link Env#contactHash()} reads it once, at init).
 */
public final class ContactHash {
    private final Mac prototype;

    public ContactHash(byte[] key) {
        if (key.length < 16) throw new IllegalArgumentException("the contact hash key must be at least 16 bytes");
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public static ContactHash withKey(String key) {
        return new ContactHash(key.getBytes(StandardCharsets.UTF_8));
    }

    /** 16 hex digits naming {@code email} in the logs. */
    public String of(String email) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone(); // a Mac is not thread-safe; the local stack runs handlers on many threads
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        byte[] digest = mac.doFinal(email.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }
}
