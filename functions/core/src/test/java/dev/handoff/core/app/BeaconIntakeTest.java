package dev.handoff.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BeaconIntakeTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static Map<String, Object> beacon() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", "PageViewed");
        b.put("visitorId", "v_0123456789abcdef");
        b.put("eventId", "e-0123456789");
        b.put("url", "https://www.example.com/pricing");
        return b;
    }

    @Test
    void a_page_view_is_accepted_with_the_servers_time_and_an_empty_referrer_counts_as_none() {
        Map<String, Object> b = beacon();
        b.put("referrer", "");
        var result = BeaconIntake.accept(b, NOW);
        assertThat(result).isEqualTo(new BeaconIntake.Result.Accepted(new BeaconIntake.Beacon("PageViewed",
                "v_0123456789abcdef", "e-0123456789", "https://www.example.com/pricing", null, NOW)));
    }

    @Test
    void a_session_start_needs_no_url() {
        Map<String, Object> b = beacon();
        b.put("type", "SessionStarted");
        b.remove("url");
        assertThat(BeaconIntake.accept(b, NOW)).isInstanceOf(BeaconIntake.Result.Accepted.class);
    }

    @Test
    void every_problem_is_named_at_once() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("email", "ana@acme.com");
        b.put("visitorId", "has space in it");
        var result = (BeaconIntake.Result.Invalid) BeaconIntake.accept(b, NOW);
        assertThat(result.errors()).extracting(FormIntake.FieldError::field)
                .containsExactly("email", "type", "visitorId", "eventId");
    }
}
