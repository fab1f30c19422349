package dev.handoff.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What a {@link Condition.ContainsWord}'s pattern finds, without the regex, for ASCII text: job titles nearly always
 * are, and the case-insensitive Unicode regex was most of an evaluation's fixed cost.
 *
 * <p>Within ASCII the pattern's parts reduce to simple tests, and this class does exactly those: a letter matches
 * either case, {@code [\p{L}\p{N}]} (the word boundary) is {@code [A-Za-z0-9]}, and {@code \s} is
 * {@code [ \t\n\x0B\f\r]}. Outside ASCII they do not (with UNICODE_CASE, 'ſ' matches 's' and the Kelvin sign 'k';
 * {@code \p{N}} holds '²'), so {@link #of} refuses words that are not all ASCII and {@link #lowerAscii} text that
 * is not, and the caller uses the pattern for those.
 */
final class AsciiWords {
    /**
     * The words by their first character (lower-cased ASCII), each as its parts, lower-cased: "vice president" is
     * {"vice", "president"}, matched across any run of spaces.
     */
    private final byte[][][][] wordsByFirstChar;

    private AsciiWords(byte[][][][] wordsByFirstChar) {
        this.wordsByFirstChar = wordsByFirstChar;
    }

    /** Made once per condition (by its pattern, which is made once per condition); NONE when there is none. */
    private static final Map<Pattern, AsciiWords> BY_PATTERN = new ConcurrentHashMap<>();
    private static final AsciiWords NONE = new AsciiWords(new byte[0][][][]);

    /** {@link #of}, made once per condition. */
    static AsciiWords cached(Condition.ContainsWord condition) {
        if (condition.pattern() == null) return null;
        AsciiWords w = BY_PATTERN.computeIfAbsent(condition.pattern(), p -> {
            AsciiWords made = of(condition);
            return made == null ? NONE : made;
        });
        return w == NONE ? null : w;
    }

    /**
     * A matcher equivalent to the condition's pattern on ASCII text, or null when there is none: a word is not all
     * ASCII, or the condition was built with a pattern other than the one its words make.
     */
    static AsciiWords of(Condition.ContainsWord condition) {
        if (condition.words() == null || condition.pattern() == null) return null;
        for (String word : condition.words()) if (word == null) return null;
        Pattern expected = Condition.ContainsWord.compile(condition.words());
        if (!expected.pattern().equals(condition.pattern().pattern()) || expected.flags() != condition.pattern().flags()) {
            return null;
        }
        List<List<byte[][]>> byFirstChar = new ArrayList<>(128);
        for (int c = 0; c < 128; c++) byFirstChar.add(new ArrayList<>());
        for (String word : condition.words()) {
            // Split as ContainsWord.compile does, so that the parts are the same.
            String[] split = word.trim().split("\\s+");
            byte[][] parts = new byte[split.length][];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = lowerAscii(split[p]);
                if (parts[p] == null) return null; // not ASCII
                if (parts[p].length == 0) return null; // a blank word: rare enough to leave to the regex
            }
            byFirstChar.get(parts[0][0]).add(parts);
        }
        byte[][][][] words = new byte[128][][][];
        for (int c = 0; c < 128; c++) words[c] = byFirstChar.get(c).toArray(byte[][][]::new);
        return new AsciiWords(words);
    }

    /**
     * The text lower-cased (as toLowerCase(Locale.ROOT) does within ASCII), one byte a character; null when it is
     * not all ASCII. Computed once per property value, however many conditions look for words in it.
     */
    static byte[] lowerAscii(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < out.length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) return null;
            out[i] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        return out;
    }

    /** Whether any word occurs, as a whole word, in a text given by {@link #lowerAscii}. */
    boolean foundIn(byte[] text) {
        // One pass: a word can only start where the text has a word boundary, and with its own first character.
        for (int at = 0; at < text.length; at++) {
            if (at > 0 && isWordChar(text[at - 1])) continue;
            for (byte[][] parts : wordsByFirstChar[text[at]]) {
                if (occursAt(text, at, parts)) return true;
            }
        }
        return false;
    }

    private static boolean occursAt(byte[] text, int at, byte[][] parts) {
        if (!startsWith(text, at, parts[0])) return false;
        int end = at + parts[0].length;
        for (int p = 1; p < parts.length; p++) {
            // \s+ is greedy, and no part starts with a space, so the next part follows the whole run of spaces.
            int next = end;
            while (next < text.length && isRegexSpace(text[next])) next++;
            if (next == end || !startsWith(text, next, parts[p])) return false;
            end = next + parts[p].length;
        }
        return end == text.length || !isWordChar(text[end]);
    }

    private static boolean startsWith(byte[] text, int at, byte[] part) {
        if (text.length - at < part.length) return false;
        for (int i = 0; i < part.length; i++) {
            if (text[at + i] != part[i]) return false;
        }
        return true;
    }

    /** {@code [\p{L}\p{N}]} within lower-cased ASCII. */
    private static boolean isWordChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** The regex's {@code \s} (without UNICODE_CHARACTER_CLASS). */
    private static boolean isRegexSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
