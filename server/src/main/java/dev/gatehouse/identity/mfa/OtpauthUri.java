package dev.gatehouse.identity.mfa;

import java.nio.charset.StandardCharsets;

/**
 * The {@code otpauth://} Key URI that authenticator apps import (Google Authenticator's "Key URI
 * Format", which every common app reads): {@code otpauth://totp/Issuer:account?secret=...&issuer=...}.
 */
public final class OtpauthUri {

    private OtpauthUri() {}

    public static String totp(String issuer, String account, String base32Secret) {
        return "otpauth://totp/" + encode(issuer) + ":" + encode(account)
                + "?secret=" + base32Secret
                + "&issuer=" + encode(issuer)
                + "&algorithm=" + Totp.ALGORITHM.name()
                + "&digits=" + Totp.DIGITS
                + "&period=" + Totp.STEP_SECONDS;
    }

    /**
     * Percent-encodes all but RFC 3986's unreserved characters and {@code @}, so an email stays readable
     * in the label and a space becomes {@code %20} (never {@code +}, which apps would show literally).
     */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
