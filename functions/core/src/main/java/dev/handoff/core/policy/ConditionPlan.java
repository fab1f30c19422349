package dev.handoff.core.policy;

import dev.handoff.core.Contact;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A list of conditions (a policy's fit rules and knockouts) tested together, with the same outcome as
 * {@link Condition#matches} for each, but each property read, parsed and normalised once per contact: the default
 * preset tests {@code numberofemployees} five times and {@code jobtitle} three, and parsing, lower-casing and the
 * word regexes were most of an evaluation's fixed cost. Immutable, so shared by every evaluation of a policy.
 */
final class ConditionPlan {
    private final Condition[] conditions;
    /** The properties the conditions read; per property, the conditions that read it and the forms they compare. */
    private final String[] properties;
    private final int[][] conditionsOf;
    private final boolean[] needsNumber;
    private final boolean[] needsNormalised;
    private final boolean[] needsAsciiLower;
    /** The email-domain conditions, which read no property. */
    private final int[] domainConditions;
    /** Per condition: the regex-free matcher of a ContainsWord, when its words allow one (see AsciiWords). */
    private final AsciiWords[] asciiWords;

    ConditionPlan(List<Condition> list) {
        conditions = list.toArray(Condition[]::new);
        asciiWords = new AsciiWords[conditions.length];
        List<String> names = new ArrayList<>();
        List<List<Integer>> readers = new ArrayList<>();
        List<Integer> domains = new ArrayList<>();
        for (int i = 0; i < conditions.length; i++) {
            String property = switch (conditions[i]) {
                case Condition.NumberRange r -> r.property();
                case Condition.ContainsWord w -> {
                    asciiWords[i] = AsciiWords.of(w);
                    yield w.property();
                }
                case Condition.OneOf o -> o.property();
                case Condition.EmailDomainIn d -> {
                    domains.add(i);
                    yield null;
                }
            };
            if (conditions[i] instanceof Condition.EmailDomainIn) continue;
            int slot = names.indexOf(property);
            if (slot < 0) {
                slot = names.size();
                names.add(property);
                readers.add(new ArrayList<>());
            }
            readers.get(slot).add(i);
        }
        properties = names.toArray(String[]::new);
        conditionsOf = readers.stream().map(r -> r.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        domainConditions = domains.stream().mapToInt(Integer::intValue).toArray();
        needsNumber = new boolean[properties.length];
        needsNormalised = new boolean[properties.length];
        needsAsciiLower = new boolean[properties.length];
        for (int p = 0; p < properties.length; p++) {
            for (int i : conditionsOf[p]) {
                switch (conditions[i]) {
                    case Condition.NumberRange r -> needsNumber[p] = true;
                    case Condition.ContainsWord w -> needsAsciiLower[p] |= asciiWords[i] != null;
                    case Condition.OneOf o -> needsNormalised[p] = true;
                    case Condition.EmailDomainIn d -> {}
                }
            }
        }
    }

    /** Which of the conditions hold for the contact, in the order given. */
    boolean[] test(Contact contact) {
        boolean[] holds = new boolean[conditions.length];
        for (int p = 0; p < properties.length; p++) {
            String raw = contact.properties().get(properties[p]);
            if (raw == null) continue; // no condition holds on a property the contact lacks
            // The value in each form its conditions compare, each worked out once.
            double number = 0;
            boolean isNumber = false;
            if (needsNumber[p]) {
                try {
                    number = Condition.NumberRange.parseNumber(raw);
                    isNumber = true;
                } catch (NumberFormatException e) {
                    // not a number: no range holds
                }
            }
            String normalised = needsNormalised[p] ? raw.trim().toLowerCase(Locale.ROOT) : null; // as OneOf compares
            byte[] asciiLower = needsAsciiLower[p] ? AsciiWords.lowerAscii(raw) : null; // null when not ASCII
            for (int i : conditionsOf[p]) {
                holds[i] = switch (conditions[i]) {
                    case Condition.NumberRange r -> isNumber && inRange(r, number);
                    case Condition.ContainsWord w -> asciiWords[i] != null && asciiLower != null
                            ? asciiWords[i].foundIn(asciiLower)
                            : w.pattern().matcher(raw).find();
                    case Condition.OneOf o -> o.values().contains(normalised);
                    case Condition.EmailDomainIn d -> throw new AssertionError("not a property condition");
                };
            }
        }
        if (domainConditions.length > 0) {
            String domain = contact.emailDomain();
            for (int i : domainConditions) holds[i] = ((Condition.EmailDomainIn) conditions[i]).domains().contains(domain);
        }
        return holds;
    }

    /** As NumberRange.matches once the value is known to be a number. */
    private static boolean inRange(Condition.NumberRange r, double value) {
        return (r.atLeast() == null || value >= r.atLeast())
                && (r.atMost() == null || value <= r.atMost())
                && (r.below() == null || value < r.below());
    }
}
