package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.policy.Policy;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of score decay (PRODUCT §5.1) over random contacts, for every preset. */
class DecayPropertiesTest {

    @Provide
    Arbitrary<Contact> contacts() {
        return ContactArbitraries.contacts();
    }

    @Provide
    Arbitrary<String> presets() {
        return net.jqwik.api.Arbitraries.of("score-threshold", "sales-accepted", "sdr-meeting-booked");
    }

    @Property(tries = 200, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void decay_never_raises_a_score(@ForAll("contacts") Contact contact, @ForAll("presets") String preset,
            @ForAll @IntRange(min = 1, max = 400) int halfLifeDays) {
        Policy plain = Fixtures.load(preset);
        Decision without = plain.evaluate(contact, NOW);
        Decision with = Fixtures.withDecay(preset, halfLifeDays).evaluate(contact, NOW);
        assertThat(with.engagement()).isLessThanOrEqualTo(without.engagement());
        assertThat(with.fit()).isEqualTo(without.fit());
    }

    @Property(tries = 200, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void halving_the_half_life_never_raises_a_score(@ForAll("contacts") Contact contact, @ForAll("presets") String preset,
            @ForAll @IntRange(min = 2, max = 400) int halfLifeDays) {
        Decision longer = Fixtures.withDecay(preset, halfLifeDays).evaluate(contact, NOW);
        Decision shorter = Fixtures.withDecay(preset, halfLifeDays / 2).evaluate(contact, NOW);
        assertThat(shorter.engagement()).isLessThanOrEqualTo(longer.engagement());
    }

    @Property(tries = 200, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void decayed_lines_still_add_up_exactly(@ForAll("contacts") Contact contact, @ForAll("presets") String preset,
            @ForAll @IntRange(min = 1, max = 400) int halfLifeDays, @ForAll @IntRange(min = 0, max = 60) int sessionsHalfLife) {
        Decision d = Fixtures.withDecay(preset, halfLifeDays, "sessions", sessionsHalfLife).evaluate(contact, NOW);
        assertThat(Fixtures.sum(d.engagementBreakdown())).isEqualTo(d.engagement());
        assertThat(d.engagement()).isBetween(0, 100);
        for (Contribution c : d.engagementBreakdown()) {
            if (c.isClamp()) continue;
            if (c.cap() != null) assertThat(Math.abs(c.points())).isLessThanOrEqualTo(c.cap());
            if (c.rule().equals("sessions")) assertThat(c.halfLifeDays()).isEqualTo(sessionsHalfLife == 0 ? null : sessionsHalfLife);
            else assertThat(c.halfLifeDays()).isEqualTo(halfLifeDays);
        }
    }
}
