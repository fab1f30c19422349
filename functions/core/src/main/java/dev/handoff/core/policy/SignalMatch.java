package dev.handoff.core.policy;

import dev.handoff.core.Counter;
import dev.handoff.core.FormType;
import dev.handoff.core.SignalType;
import java.util.Set;

/**
 * Which signals an engagement rule counts. One record per way of narrowing them down; a filter left null means
 * "any". A new kind is one more record here and its case in {@link #counts}, which the compiler then asks for.
 */
public sealed interface SignalMatch {

    /** The signal type this match looks at. */
    SignalType signal();

    /** Whether a signal counted under {@code counter} is one this match counts. */
    default boolean counts(Counter counter) {
        if (counter.type() != signal()) return false;
        return switch (this) {
            case OfType t -> true;
            case PageViews p -> p.categories() == null || (counter.category() != null && p.categories().contains(counter.category()));
            case Downloads d -> (d.assetTypes() == null || d.assetTypes().contains(counter.detail()))
                    && (d.assetTypesExcept() == null || !d.assetTypesExcept().contains(counter.detail()))
                    && (d.gated() == null || d.gated() == counter.gated());
            case Forms f -> f.formTypes() == null || f.formTypes().contains(counter.formType());
        };
    }

    /** Every signal of a type. */
    record OfType(SignalType signal) implements SignalMatch {}

    /** Page views in any of these categories (null: any page). */
    record PageViews(Set<String> categories) implements SignalMatch {
        public PageViews {
            categories = categories == null ? null : Set.copyOf(categories);
        }

        public SignalType signal() {
            return SignalType.PAGE_VIEWED;
        }
    }

    /** Downloads of these asset types (lower-cased), not of those, gated or not (each null: any). */
    record Downloads(Set<String> assetTypes, Set<String> assetTypesExcept, Boolean gated) implements SignalMatch {
        public Downloads {
            assetTypes = assetTypes == null ? null : Set.copyOf(assetTypes);
            assetTypesExcept = assetTypesExcept == null ? null : Set.copyOf(assetTypesExcept);
        }

        public SignalType signal() {
            return SignalType.CONTENT_DOWNLOADED;
        }
    }

    /** Form submissions of these form types (null: any form). */
    record Forms(Set<FormType> formTypes) implements SignalMatch {
        public Forms {
            formTypes = formTypes == null ? null : Set.copyOf(formTypes);
        }

        public SignalType signal() {
            return SignalType.FORM_SUBMITTED;
        }
    }
}
