package dev.handoff.core.policy;

import dev.handoff.core.FormType;
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

    // The filters, one per kind of signal they apply to: the evaluator works out once per policy which rules each
    // page category, form type, or asset type and gating feeds (see Evaluator), rather than testing signal by signal.

    /** A page view in this category (null: in none) passes the category filter. */
    boolean matchesCategory(String category) {
        return categories == null || (category != null && categories.contains(category));
    }

    /** A download of this (lower-cased) asset type, gated or not, passes the asset filters. */
    boolean matchesContent(String assetType, boolean isGated) {
        return (assetTypes == null || assetTypes.contains(assetType))
                && (assetTypesExcept == null || !assetTypesExcept.contains(assetType))
                && (gated == null || gated == isGated);
    }

    /** A form of this type passes the form-type filter. */
    boolean matchesForm(FormType formType) {
        return formTypes == null || formTypes.contains(formType);
    }

    /** The points this rule awards for {@code count} matching signals. */
    int award(int count) {
        if (minCount != null) return count >= minCount ? points : 0;
        long raw = (long) points * count;
        if (cap == null) return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, raw));
        return (int) (raw >= 0 ? Math.min(raw, cap) : Math.max(raw, -cap));
    }
}
