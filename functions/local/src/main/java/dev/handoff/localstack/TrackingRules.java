package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.aws.PartnerEventJson;
import dev.handoff.aws.TrackingEventJson;
import java.util.Set;

/**
 * The event patterns of template.yaml's rules that feed the tracking queue (PRODUCT §2.2, §2.5). Locally every bus
 * is the one bus, so a Segment, RudderStack or SES event put on it is matched as the rule on its own bus would.
 */
final class TrackingRules {
    // TrackingRule: Handoff's own events (source handoff.tracking), every detail-type.
    /** SegmentRule, RudderStackRule: {@code detail.type} page or identify. */
    static final Set<String> SEGMENT_SPEC_TYPES = Set.of("page", "identify");
    /** SesRule: the two engagement events of SES event publishing. */
    static final Set<String> SES_DETAIL_TYPES = Set.of("Email Opened", "Email Clicked");

    private TrackingRules() {}

    static boolean matches(String source, String detailType, JsonNode detail) {
        if (TrackingEventJson.SOURCE.equals(source)) return true;
        if (source.startsWith(PartnerEventJson.SEGMENT_SOURCE_PREFIX + "/") || source.equals(PartnerEventJson.RUDDERSTACK_SOURCE)) {
            return SEGMENT_SPEC_TYPES.contains(detail.path("type").asText());
        }
        if (source.equals(PartnerEventJson.SES_SOURCE)) return SES_DETAIL_TYPES.contains(detailType);
        return false;
    }
}
