package dev.handoff.core;

import java.util.Locale;
import java.util.Objects;

/**
 * A person's email address, the key of everything Handoff holds about them. Parsed and normalised once where it
 * enters (a form, a tracking event, a sales API path or body, an import), so that whatever is stored can be
 * looked up and erased through the sales API with the same text.
 *
 * <p>Deliberately plain ASCII: a dot-atom local part (letters, digits and {@code ! $ & ' * + - = _ ~}, the
 * characters a URL path holds unescaped, dots between them) of at most 64 characters, one {@code @}, and a host name of at least two labels (letters,
 * digits, inner hyphens; no trailing dot). Quoted local parts, comments, {@code <...>}, commas, slashes, percent
 * signs, {@code ? # ^ ` { | }}, spaces and control characters are refused: they are either not an address on their own or not safe in a
 * URL path, a log or a Slack message. Deliverability is not ours to judge. Normalised by trimming the whitespace a
 * browser trims and lower-casing the whole address (as HubSpot matches contacts).
 */
public record EmailAddress(String value) {
    public static final int MAX_LENGTH = 254;
    static final int MAX_LOCAL = 64;
    static final int MAX_LABEL = 63;
    static final String LIKE = "must be an email address like ana@example.com";
    // The atext an RFC 3986 path segment holds as it is, so an address is the same text in a URL as in a form.
    private static final String LOCAL_SPECIALS = "!$&'*+-=_~";

    /** Only normalised, valid addresses: use {@link #parse} for text from outside. */
    public EmailAddress {
        Objects.requireNonNull(value, "value");
        String problem = problem(value);
        if (problem != null) throw new InvalidValueException(problem);
        if (!value.equals(normalise(value))) throw new IllegalArgumentException("not a normalised email address");
    }

    /**
     * Parses an address from outside.
     *
     * @throws InvalidValueException naming what is wrong, without the value
     */
    public static EmailAddress parse(String raw) {
        if (raw == null) throw new InvalidValueException("is required");
        String s = normalise(raw);
        String problem = problem(s);
        if (problem != null) throw new InvalidValueException(problem);
        return new EmailAddress(s);
    }

    /** The part after '@'. */
    public String domain() {
        return value.substring(value.lastIndexOf('@') + 1);
    }

    @Override
    public String toString() {
        return "EmailAddress[" + Integer.toHexString(value.hashCode()) + "]"; // never the address: toString ends up in logs
    }

    private static String normalise(String raw) {
        return PlainText.strip(raw).toLowerCase(Locale.ROOT);
    }

    /** What is wrong with a trimmed address, or null. */
    private static String problem(String s) {
        if (s.isEmpty()) return "is required";
        if (s.length() > MAX_LENGTH) return "must be at most " + MAX_LENGTH + " characters";
        String text = PlainText.problem(s);
        if (text != null) return text;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') return "must not contain spaces";
            if (c > 0x7E) return "must be plain ASCII (internationalised addresses are not supported)";
        }
        int at = s.indexOf('@');
        if (at < 0 || at != s.lastIndexOf('@')) return LIKE;
        String local = s.substring(0, at);
        String host = s.substring(at + 1);
        if (local.isEmpty() || local.length() > MAX_LOCAL) return "must have 1 to " + MAX_LOCAL + " characters before the @";
        if (!dotAtom(local)) {
            return "must have only letters, digits, dots (not first, last or doubled) and ! $ & ' * + - = _ ~ before the @";
        }
        if (!hostName(host)) return "must have a domain like example.com after the @ (letters, digits, inner hyphens, no trailing dot)";
        return null;
    }

    private static boolean dotAtom(String local) {
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) return false;
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!(isAlnum(c) || c == '.' || LOCAL_SPECIALS.indexOf(c) >= 0)) return false;
        }
        return true;
    }

    private static boolean hostName(String host) {
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) return false;
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL) return false;
            if (label.startsWith("-") || label.endsWith("-")) return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(isAlnum(c) || c == '-')) return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
