package dev.handoff.core.policy;

import dev.handoff.core.FormType;
import java.util.Set;

/** Routes straight to SQL, in every preset. Either may be absent (null) to switch it off. */
public record FastTrack(HighIntentForm highIntentForm, TargetAccountPageViews targetAccountPageViews) {

    /** A high-intent form (contact-sales, demo-request, ...) from a contact with enough fit and no knockout. */
    public record HighIntentForm(Set<FormType> formTypes, int minFit) {
        public HighIntentForm {
            formTypes = Set.copyOf(formTypes);
        }
    }

    /** A target-account contact, no knockout, with enough views of these page categories in the last days. */
    public record TargetAccountPageViews(Set<String> categories, int minViews, int withinDays) {
        public TargetAccountPageViews {
            categories = Set.copyOf(categories);
        }
    }
}
