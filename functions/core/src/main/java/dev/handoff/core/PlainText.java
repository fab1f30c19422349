package dev.handoff.core;

/**
 * The rule for text from outside (names, companies, owners, reasons): any printable Unicode, but no control
 * characters (C0, DEL, C1 such as U+0085), no line or paragraph separators (U+2028, U+2029) and no unpaired
 * surrogate halves, which would be stored as '?' or break the alert's text and the Slack message. Tabs and line
 * breaks are control characters too: a form field or a name holds one line.
 */
public final class PlainText {
    private PlainText() {}

    /** What is wrong with the text, or null when it is fine (null text is fine: absence is the caller's rule). */
    public static String problem(String text) {
        if (text == null) return null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
                return "must not contain control characters (found U+" + String.format("%04X", (int) c) + ")";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain an unpaired surrogate (not valid Unicode text)";
            }
            if (Character.isLowSurrogate(c)) return "must not contain an unpaired surrogate (not valid Unicode text)";
        }
        return null;
    }

    /**
     * The text without the whitespace a browser strips from an input's value (space, tab, LF, FF, CR) at either end;
     * nothing else is stripped, so a control character at the end is refused rather than dropped unseen.
     */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isHtmlWhitespace(s.charAt(start))) start++;
        while (end > start && isHtmlWhitespace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isHtmlWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    /** The text when it is fine. */
    public static String require(String text) {
        String problem = problem(text);
        if (problem != null) throw new InvalidValueException(problem);
        return text;
    }
}
