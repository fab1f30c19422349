package dev.handoff.core.app;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.InvalidValueException;
import dev.handoff.core.PlainText;
import dev.handoff.core.VisitorId;
import dev.handoff.core.policy.Policy;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a form post against PRODUCT §2.1: the form must be in the policy's catalogue, a filled honeypot is
 * swallowed, every field is checked (all errors at once), and only the properties a form may set are kept.
 */
public final class FormIntake {
    /** The HubSpot properties a form may set; anything else a browser sends (score, lifecyclestage, ...) is dropped. */
    public static final List<String> PROPERTIES = List.of("firstname", "lastname", "company", "jobtitle",
            "numberofemployees", "annualrevenue", "budget", "industry", "country", "phone");
    /**
     * Attribution a form may carry (PRODUCT §2.1): where the visitor came from. Stored as properties, the latest
     * values; {@link #FIRST_TOUCH} are kept beside them with the first values the contact ever had.
     */
    public static final List<String> ATTRIBUTION = List.of("utm_source", "utm_medium", "utm_campaign", "utm_term",
            "utm_content", "pageUrl", "referrer");
    /** The attribution properties whose first value is kept as {@code first_<name>}. */
    public static final List<String> FIRST_TOUCH = List.of("utm_source", "utm_medium", "utm_campaign", "pageUrl", "referrer");
    public static final String FIRST_PREFIX = "first_";
    static final Set<String> URLS = Set.of("pageUrl", "referrer");
    static final int MAX_URL = 2048;
    static final Set<String> NUMERIC = Set.of("numberofemployees", "annualrevenue", "budget");
    static final int MAX_LENGTH = 500;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** What an idempotency key (a {@code submissionId}, an {@code Idempotency-Key} header) must be. */
    static final String TOKEN_RULE = "must be up to 128 letters, digits, '.', '_', ':' or '-'";
    private static final Pattern PHONE = Pattern.compile("[0-9+()./ -]{3,40}(?:\\s*(?:x|ext\\.?)\\s*[0-9]{1,6})?", Pattern.CASE_INSENSITIVE);

    private final Policy policy;

    public FormIntake(Policy policy) {
        this.policy = policy;
    }

    public sealed interface Result {
        /** The policy lists no form with that id: 404. */
        record UnknownForm(String formId) implements Result {}

        /** The honeypot was filled: answer as if accepted, store nothing. */
        record Trapped(String submissionId) implements Result {}

        record Invalid(List<FieldError> errors) implements Result {
            public Invalid {
                errors = List.copyOf(errors);
            }
        }

        record Accepted(FormSubmission submission) implements Result {}
    }

    public record FieldError(String field, String message) {}

    /**
     * @param fields the decoded body, names as posted
     * @param idempotencyKey the {@code Idempotency-Key} header, or null
     */
    public Result accept(String formId, Map<String, String> fields, String idempotencyKey, Instant now) {
        FormType type = policy.formType(formId).orElse(null);
        if (type == null) return new Result.UnknownForm(formId);

        List<FieldError> errors = new ArrayList<>();
        String submissionId = submissionId(fields.get("submissionId"), idempotencyKey, errors);
        String honeypot = policy.honeypotField();
        if (honeypot != null && !blank(fields.get(honeypot))) {
            return new Result.Trapped(submissionId != null ? submissionId : UUID.randomUUID().toString());
        }

        EmailAddress email = null;
        try {
            email = EmailAddress.parse(fields.get("email"));
        } catch (InvalidValueException e) {
            errors.add(new FieldError("email", e.getMessage()));
        }

        Properties checked = checkProperties(fields);
        errors.addAll(checked.errors());
        Map<String, String> properties = new LinkedHashMap<>(checked.properties());
        properties.putAll(checkAttribution(fields, errors));

        VisitorId visitorId = null;
        if (trimmed(fields.get("visitorId")) != null) {
            try {
                visitorId = VisitorId.parse(fields.get("visitorId"));
            } catch (InvalidValueException e) {
                errors.add(new FieldError("visitorId", e.getMessage()));
            }
        }

        if (!errors.isEmpty()) return new Result.Invalid(errors);
        return new Result.Accepted(new FormSubmission(
                submissionId != null ? submissionId : UUID.randomUUID().toString(),
                formId, type, email, properties, visitorId, now));
    }

    /** Where an accepted plain HTML post of this form is sent on to (the catalogue's {@code redirect}), if anywhere. */
    public Optional<URI> redirect(String formId) {
        return policy.formRedirect(formId);
    }

    /**
     * The attribution fields ({@link #ATTRIBUTION}) given: the utm fields at most {@value #MAX_LENGTH}
     * characters, {@code pageUrl} and {@code referrer} at most {@value #MAX_URL}; none with control characters.
     * Blank counts as not given.
     */
    static Map<String, String> checkAttribution(Map<String, String> fields, List<FieldError> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : ATTRIBUTION) {
            String value = trimmed(fields.get(name));
            if (value == null) continue;
            int max = URLS.contains(name) ? MAX_URL : MAX_LENGTH;
            if (value.length() > max) {
                errors.add(new FieldError(name, "must be at most " + max + " characters"));
            } else if (value.chars().anyMatch(Character::isISOControl)) {
                errors.add(new FieldError(name, "must not hold control characters or line breaks"));
            } else {
                out.put(name, value);
            }
        }
        return out;
    }

    /**
     * The properties a form may set ({@link #PROPERTIES}), checked as a form's are: each at most
     * {@value #MAX_LENGTH} characters, the numeric ones numbers of 0 or more (separators dropped), a phone a phone
     * number. Blank values count as not given; any other name is left out (see {@link Properties#ignored()}).
     */
    public static Properties checkProperties(Map<String, String> fields) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> properties = new LinkedHashMap<>();
        for (String name : PROPERTIES) {
            String value = trimmed(fields.get(name));
            if (value == null) continue;
            String text = PlainText.problem(value);
            if (text != null) {
                errors.add(new FieldError(name, text));
            } else if (value.length() > MAX_LENGTH) {
                errors.add(new FieldError(name, "must be at most " + MAX_LENGTH + " characters"));
            } else if (NUMERIC.contains(name) && !isNonNegativeNumber(value)) {
                errors.add(new FieldError(name, "must be a number of 0 or more, like 250"));
            } else if (name.equals("phone") && !PHONE.matcher(value).matches()) {
                errors.add(new FieldError(name, "must be a phone number: digits, spaces and + ( ) - . only"));
            } else {
                properties.put(name, NUMERIC.contains(name) ? value.replace(",", "").replace("_", "") : value);
            }
        }
        List<String> ignored = fields.keySet().stream().filter(name -> !PROPERTIES.contains(name)).toList();
        return new Properties(properties, errors, ignored);
    }

    /**
     * The properties of {@link #checkProperties}: those to store, the problems found, and the names given that a
     * form may not set (left out, never stored).
     */
    public record Properties(Map<String, String> properties, List<FieldError> errors, List<String> ignored) {
        public Properties {
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            errors = List.copyOf(errors);
            ignored = List.copyOf(ignored);
        }
    }

    /** Whether a property holds a number ({@code numberofemployees}, {@code annualrevenue}, {@code budget}). */
    public static boolean isNumeric(String property) {
        return NUMERIC.contains(property);
    }

    private static String submissionId(String field, String header, List<FieldError> errors) {
        String fromField = trimmed(field);
        String fromHeader = trimmed(header);
        if (fromField != null && !TOKEN.matcher(fromField).matches()) {
            errors.add(new FieldError("submissionId", TOKEN_RULE));
            return null;
        }
        if (fromHeader != null && !TOKEN.matcher(fromHeader).matches()) {
            errors.add(new FieldError("Idempotency-Key", TOKEN_RULE));
            return null;
        }
        if (fromField != null && fromHeader != null && !fromField.equals(fromHeader)) {
            errors.add(new FieldError("submissionId", "differs from the Idempotency-Key header; send one or make them equal"));
            return null;
        }
        return fromField != null ? fromField : fromHeader;
    }

    /** Whether the text is an idempotency key: 1 to 128 of letters, digits, '.', '_', ':' or '-'. */
    static boolean isToken(String s) {
        return TOKEN.matcher(s).matches();
    }

    static boolean isNonNegativeNumber(String value) {
        String s = value.replace(",", "").replace("_", "");
        try {
            double d = Double.parseDouble(s);
            return d >= 0 && !Double.isInfinite(d) && !Double.isNaN(d) && !s.matches(".*[a-zA-Z].*");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The text without the whitespace a browser strips (not control characters: those are refused); null when blank. */
    static String trimmed(String s) {
        if (s == null) return null;
        String t = PlainText.strip(s);
        return t.isEmpty() ? null : t;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
