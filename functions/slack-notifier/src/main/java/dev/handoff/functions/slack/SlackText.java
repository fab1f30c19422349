package dev.handoff.functions.slack;

import java.util.regex.Pattern;

/**
 * Text that came from a contact (a form, an import, a CRM), made safe to put in a Slack message.
 *
 * <ul>
 *   <li>{@code &}, {@code <} and {@code >} become {@code &amp;}, {@code &lt;} and {@code &gt;}: Slack's control
 *       characters, and the only three it asks to escape. Without a {@code <} nothing can form
 *       {@code <!channel>}, {@code <!here>}, {@code <!subteam^ID>}, {@code <@U123>}, {@code <#C123>} or a link
 *       {@code <https://evil|click here>}; Slack shows the text as typed.</li>
 *   <li>A bare {@code @channel}, {@code @here} or {@code @everyone} gets a zero-width joiner (U+200D) after its
 *       {@code @}. Slack's automatic parsing (and the {@code link_names} of older integrations) turns those words
 *       into mentions that notify a whole channel; with the joiner the word no longer matches, yet it still reads
 *       {@code @here} on screen and keeps its place in the sentence. Backticks were the other option: they would
 *       show the word as code, look odd in a name, and break on text that has backticks of its own.</li>
 *   <li>Control characters, line and paragraph separators become spaces and runs of spaces one: a value stays on
 *       its line and cannot forge lines of the message ("\n*Reason*\nmanual").</li>
 *   <li>The result fits a length: cut on a character boundary (never inside a surrogate pair or an entity),
 *       ending with an ellipsis, so that a 10,000-character name cannot push a block past Slack's limits and get
 *       the whole message refused.</li>
 * </ul>
 *
 * Slack's own formatting characters ({@code *}, {@code _}, {@code ~}, a backtick) have no escape in mrkdwn and are
 * left alone: at worst a name shows in bold. The message builder also marks every mrkdwn text {@code verbatim},
 * so Slack does not turn bare URLs, channel names or mentions into links.
 */
public final class SlackText {

    /** What goes after the {@code @} of a broadcast mention so that it no longer matches. */
    static final String ZERO_WIDTH_JOINER = "\u200D";

    /**
     * An {@code @} that starts a word and is followed by a broadcast keyword that ends one: {@code @here} and
     * {@code (@channel)} match; {@code ana@here.com} (an address) and {@code @heredia} (a name) do not.
     */
    private static final Pattern BROADCAST =
            Pattern.compile("(?i)(?<![\\p{L}\\p{N}_.+-])@(?=(?:channel|here|everyone)(?![\\p{L}\\p{N}_]))");
    private static final String ELLIPSIS = "…";

    private SlackText() {}

    /** {@link #escape(String, int)} without a length limit. */
    public static String escape(String text) {
        return escape(text, Integer.MAX_VALUE);
    }

    /**
     * The text on one line, broadcast mentions defused, Slack's control characters escaped, at most
     * {@code maxLength} chars long (an ellipsis marks a cut). Null gives the empty string.
     */
    public static String escape(String text, int maxLength) {
        if (maxLength < 1) throw new IllegalArgumentException("maxLength must be positive, was " + maxLength);
        if (text == null) return "";
        String safe = BROADCAST.matcher(oneLine(text)).replaceAll("@" + ZERO_WIDTH_JOINER);
        String whole = escapeAll(safe);
        if (whole.length() <= maxLength) return whole;
        // Too long: whole pieces (a character, or the entity standing for one) while the ellipsis still fits.
        StringBuilder out = new StringBuilder(maxLength);
        for (int i = 0; i < safe.length(); ) {
            int cp = safe.codePointAt(i);
            String piece = piece(cp);
            if (out.length() + piece.length() + ELLIPSIS.length() > maxLength) break;
            out.append(piece);
            i += Character.charCount(cp);
        }
        return out.append(ELLIPSIS).toString();
    }

    private static String escapeAll(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            out.append(piece(cp));
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static String piece(int cp) {
        return switch (cp) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            default -> Character.toString(cp);
        };
    }

    /** Control characters (line breaks included) and Unicode line/paragraph separators become spaces; trimmed. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean blank = Character.isISOControl(cp) || Character.isWhitespace(cp)
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SPACE_SEPARATOR;
            if (blank) {
                space = true;
            } else {
                if (space && !b.isEmpty()) b.append(' ');
                space = false;
                b.appendCodePoint(cp);
            }
        }
        return b.toString();
    }

    /** True when the text has something to show once put on one line. */
    static boolean present(String text) {
        return text != null && !oneLine(text).isEmpty();
    }
}
