package dev.handoff.core.policy;

import dev.handoff.core.Contact;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** A test on a contact's properties or email, shared by fit rules and knockouts. */
public sealed interface Condition {
    boolean matches(Contact contact);

    /** A numeric property within bounds; a property that is missing or not a number never matches. */
    record NumberRange(String property, Double atLeast, Double atMost, Double below) implements Condition {
        public boolean matches(Contact contact) {
            String raw = contact.properties().get(property);
            if (raw == null) return false;
            double value;
            try {
                value = parseNumber(raw);
            } catch (NumberFormatException e) {
                return false;
            }
            return holdsFor(value);
        }

        /** Whether a property's value, as a number, is within the bounds. */
        boolean holdsFor(double value) {
            return (atLeast == null || value >= atLeast)
                    && (atMost == null || value <= atMost)
                    && (below == null || value < below);
        }

        /** Forms post "1,000" or " 500 " as often as "1000". */
        static double parseNumber(String raw) {
            String s = raw.trim();
            // Nearly every value is digits, perhaps with separators: read those directly (Double.parseDouble costs
            // more than the rest of a fit rule). Up to 15 digits are below 2^53, so the double is exact, as
            // parseDouble's would be; anything else takes the general path.
            long value = 0;
            int digits = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9' && digits < 15) {
                    value = value * 10 + (c - '0');
                    digits++;
                } else if (c != ',' && c != '_') {
                    digits = -1;
                    break;
                }
            }
            if (digits > 0) return value;
            s = s.replace(",", "").replace("_", "");
            if (s.isEmpty()) throw new NumberFormatException("empty");
            return Double.parseDouble(s);
        }
    }

    /** A property containing any of the words or phrases, whole words only, case-insensitive. */
    record ContainsWord(String property, List<String> words, Pattern pattern) implements Condition {
        public ContainsWord(String property, List<String> words) {
            this(property, List.copyOf(words), compile(words));
        }

        public boolean matches(Contact contact) {
            String raw = contact.properties().get(property);
            if (raw == null) return false;
            AsciiWords ascii = AsciiWords.cached(this);
            return foundIn(raw, ascii, ascii == null ? null : AsciiWords.lowerAscii(raw));
        }

        /**
         * Whether the words occur in a property's value {@code raw}. Job titles are nearly always ASCII, and there a
         * plain scan finds what the regex finds, much faster: {@code ascii} is this condition's scan
         * ({@link AsciiWords#cached}, null when there is none) and {@code lower} the value through
         * {@link AsciiWords#lowerAscii} (null when it is not ASCII).
         */
        boolean foundIn(String raw, AsciiWords ascii, byte[] lower) {
            return ascii != null && lower != null ? ascii.foundIn(lower) : pattern.matcher(raw).find();
        }

        /** The pattern a ContainsWord with these words tests (also the reference that {@link AsciiWords} checks against). */
        static Pattern compile(List<String> words) {
            StringBuilder alternatives = new StringBuilder();
            for (String w : words) {
                if (!alternatives.isEmpty()) alternatives.append('|');
                // "vice president" matches across any run of spaces.
                String[] parts = w.trim().split("\\s+");
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) alternatives.append("\\s+");
                    alternatives.append(Pattern.quote(parts[i]));
                }
            }
            return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
    }

    /** A property equal to one of the values, ignoring case and surrounding space. */
    record OneOf(String property, Set<String> values) implements Condition {
        public OneOf {
            values = Set.copyOf(values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).toList());
        }

        public boolean matches(Contact contact) {
            String raw = contact.properties().get(property);
            return raw != null && holdsFor(raw);
        }

        /** Whether a property's value is one of the values. */
        boolean holdsFor(String raw) {
            return values.contains(raw.trim().toLowerCase(Locale.ROOT));
        }
    }

    /** The email's domain on one of the policy's domain lists. */
    record EmailDomainIn(DomainList list, Set<String> domains) implements Condition {
        public EmailDomainIn {
            domains = Set.copyOf(domains);
        }

        public boolean matches(Contact contact) {
            return holdsFor(contact.emailDomain());
        }

        /** Whether an email domain is on the list. */
        boolean holdsFor(String emailDomain) {
            return domains.contains(emailDomain);
        }
    }

    /** The policy's named domain lists, as the YAML spells them. */
    enum DomainList {
        TARGET_ACCOUNTS("targetAccounts"),
        COMPETITORS("competitors"),
        FREE_MAIL("freeMail");

        private final String key;

        DomainList(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        static DomainList fromKey(String key) {
            for (DomainList d : values()) if (d.key.equals(key)) return d;
            return null;
        }
    }
}
