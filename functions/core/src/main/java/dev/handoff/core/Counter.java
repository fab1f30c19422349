package dev.handoff.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * What a signal counts as in a contact's {@link SignalTally}: its type and the one detail that rules filter on
 * (a page view's category, a form's type, a download's asset type and gating). Everything else a signal carries
 * is left out, so that a contact's history adds up to a few counters per day whatever its length.
 *
 * @param detail the page category ("" for a page in none), the form type's id, or the (lower-cased) asset type;
 *     "" for the types that rules do not filter
 * @param gated for downloads only: whether the content was gated
 */
public record Counter(SignalType type, String detail, boolean gated) {
    private static final String SEPARATOR = "|";

    public Counter {
        Objects.requireNonNull(type, "type");
        detail = detail == null ? "" : detail;
    }

    /**
     * The counter a signal adds to. {@code categoryOf} gives a page path's category under the policy (null for
     * none): a page view is counted under the category its path had when it was recorded.
     */
    public static Counter of(Signal signal, Function<String, String> categoryOf) {
        return switch (signal) {
            case Signal.PageViewed p -> new Counter(SignalType.PAGE_VIEWED, categoryOf.apply(p.path()), false);
            case Signal.ContentDownloaded d -> new Counter(SignalType.CONTENT_DOWNLOADED, d.assetType(), d.gated());
            case Signal.FormSubmitted f -> new Counter(SignalType.FORM_SUBMITTED, f.formType().id(), false);
            case Signal.SessionStarted s -> new Counter(SignalType.SESSION_STARTED, "", false);
            case Signal.EmailOpened e -> new Counter(SignalType.EMAIL_OPENED, "", false);
            case Signal.EmailClicked e -> new Counter(SignalType.EMAIL_CLICKED, "", false);
            case Signal.WebinarAttended w -> new Counter(SignalType.WEBINAR_ATTENDED, "", false);
            case Signal.MeetingBooked m -> new Counter(SignalType.MEETING_BOOKED, "", false);
            case Signal.SalesActivityLogged a -> new Counter(SignalType.SALES_ACTIVITY_LOGGED, "", false);
            case Signal.SalesAccepted a -> new Counter(SignalType.SALES_ACCEPTED, "", false);
        };
    }

    /** The form type of a form counter; null for other counters or a type no longer known. */
    public FormType formType() {
        return type == SignalType.FORM_SUBMITTED ? FormType.fromId(detail).orElse(null) : null;
    }

    /** The page category of a page-view counter; null for a page in none and for other counters. */
    public String category() {
        return type == SignalType.PAGE_VIEWED && !detail.isEmpty() ? detail : null;
    }

    /** A stable text form for storage: {@code page-viewed|pricing}, {@code content-downloaded|g|datasheet}. */
    public String key() {
        if (type == SignalType.CONTENT_DOWNLOADED) return type.id() + SEPARATOR + (gated ? "g" : "u") + SEPARATOR + detail;
        return detail.isEmpty() ? type.id() : type.id() + SEPARATOR + detail;
    }

    /** The counter {@link #key()} wrote. */
    public static Counter fromKey(String key) {
        int cut = key.indexOf(SEPARATOR);
        String typeId = cut < 0 ? key : key.substring(0, cut);
        SignalType type = SignalType.fromId(typeId)
                .orElseThrow(() -> new IllegalArgumentException("a counter of unknown signal type " + typeId));
        String rest = cut < 0 ? "" : key.substring(cut + 1);
        if (type == SignalType.CONTENT_DOWNLOADED) {
            if (rest.length() < 2 || rest.charAt(1) != '|') throw new IllegalArgumentException("a download counter without gating: " + key);
            return new Counter(type, rest.substring(2), rest.charAt(0) == 'g');
        }
        return new Counter(type, rest, false);
    }
}
