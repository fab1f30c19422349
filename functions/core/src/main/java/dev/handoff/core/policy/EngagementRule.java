package dev.handoff.core.policy;

import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalType;
import java.util.Set;

/**
 * Points for signals of one type within the window. Without {@code minCount}: {@code points} for each matching
 * signal, capped at {@code cap}. With {@code minCount}: {@code points} once, when at least that many match.
 * The filters ({@code categories}, {@code assetTypes}, ...) narrow which signals of the type match; null means any.
 */
public record EngagementRule(
        String id,
        SignalType signal,
        Set<String> categories,
        Set<String> assetTypes,
        Set<String> assetTypesExcept,
        Boolean gated,
        Set<FormType> formTypes,
        int points,
        Integer cap,
        Integer minCount) {

    /** Whether a signal (already known to be of this rule's type) matches the filters. */
    boolean matches(Signal s, String category) {
        switch (s) {
            case Signal.PageViewed p -> {
                return categories == null || (category != null && categories.contains(category));
            }
            case Signal.ContentDownloaded d -> {
                return (assetTypes == null || assetTypes.contains(d.assetType()))
                        && (assetTypesExcept == null || !assetTypesExcept.contains(d.assetType()))
                        && (gated == null || gated == d.gated());
            }
            case Signal.FormSubmitted f -> {
                return formTypes == null || formTypes.contains(f.formType());
            }
            default -> {
                return true;
            }
        }
    }

    /** The points this rule awards for {@code count} matching signals. */
    int award(int count) {
        if (minCount != null) return count >= minCount ? points : 0;
        long raw = (long) points * count;
        if (cap == null) return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, raw));
        return (int) (raw >= 0 ? Math.min(raw, cap) : Math.max(raw, -cap));
    }
}
