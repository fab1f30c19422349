package dev.handoff.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.ContactTable;
import dev.handoff.aws.TallyItems;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TallyItemsTest {
    private static final Instant NOW = Signals.T0;

    @Test
    void every_kind_of_signal_and_every_day_read_back_as_the_same_tally_and_ids() throws InvalidPolicyException {
        Policy policy = PolicyLoader.preset("score-threshold");
        List<Signal> signals = new ArrayList<>(Signals.everyKind("a-", NOW));
        for (int day = 0; day < 90; day += 3) signals.addAll(Signals.everyKind("d" + day + "-", NOW.minusSeconds(86_400L * day)));
        String pk = ContactTable.contactKey("ana@acme.com");
        String mark = ContactTable.logKey(pk, NOW.toEpochMilli(), "a-1");
        TallyItems.Stored stored = stored(policy.tallyOf(signals), mark);

        Map<String, AttributeValue> item = TallyItems.toItem(pk, ContactTable.CONTACT_TALLY, stored);
        TallyItems.Stored back = TallyItems.fromItem(item, NOW.toEpochMilli());

        assertThat(back.counted()).isEqualTo(policy.tallyOf(signals));
        assertThat(back.version()).isEqualTo(1);
        assertThat(back.mark()).isEqualTo(mark);
        assertThat(back.current()).isTrue();
        assertThat(back.inTail(ContactTable.logKey(pk, NOW.toEpochMilli() + 1, "newer"))).as("a newer signal is in the tail").isTrue();
        assertThat(back.inTail(ContactTable.logKey(pk, NOW.toEpochMilli() - 1, "older"))).as("an older one is past the mark").isFalse();
    }

    @Test
    void a_tally_item_from_before_the_log_reads_back_as_legacy_counts_with_its_ids() throws InvalidPolicyException {
        Policy policy = PolicyLoader.preset("score-threshold");
        List<Signal> signals = Signals.everyKind("a-", NOW);
        Map<String, AttributeValue> item = new java.util.HashMap<>(TallyItems.toItem(ContactTable.contactKey("ana@acme.com"),
                ContactTable.CONTACT_TALLY, stored(policy.tallyOf(signals), null)));
        item.remove(TallyItems.FORMAT); // format 1 had no format attribute, and remembered its last ids' hashes
        item.put(TallyItems.RECENT, AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(new byte[] {
            (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6})));

        TallyItems.Stored back = TallyItems.fromItem(item, NOW.toEpochMilli());

        assertThat(back.current()).isFalse();
        assertThat(back.counted()).isEqualTo(policy.tallyOf(signals));
        assertThat(back.legacy().total()).isEqualTo(signals.size());
        assertThat(back.folded().total()).as("nothing of it is folded from the log").isZero();
        assertThat(back.legacyUntil()).isEqualTo(NOW.toEpochMilli());
        assertThat(back.mark()).isNull();
    }

    private static TallyItems.Stored stored(SignalTally tally, String mark) {
        return new TallyItems.Stored(tally, SignalTally.EMPTY, mark, new long[0], 0, 0, true);
    }

    @Test
    void a_busy_90_days_fits_in_one_write_unit() throws InvalidPolicyException {
        Policy policy = PolicyLoader.preset("score-threshold");
        List<Signal> signals = new ArrayList<>();
        for (int day = 0; day <= 90; day++) {
            Instant at = NOW.minusSeconds(86_400L * day);
            for (int i = 0; i < 20; i++) {
                signals.add(new Signal.PageViewed("p" + day + "-" + i, at, List.of("/pricing", "/docs", "/blog").get(i % 3)));
                signals.add(new Signal.SessionStarted("s" + day + "-" + i, at));
            }
        }
        TallyItems.Stored stored = stored(policy.tallyOf(signals).since(SignalTally.dayOf(NOW) - 90),
                ContactTable.logKey(ContactTable.contactKey("cost-5000@example.org"), NOW.toEpochMilli(), "seed-cost-5000@example.org-0-0"));

        int bytes = ItemSize.of(TallyItems.toItem(ContactTable.contactKey("ana@acme.com"), ContactTable.CONTACT_TALLY, stored));

        assertThat(bytes).as("%d signals in the window", signals.size()).isLessThan(1024);
    }

    @Test
    void a_contact_active_in_five_ways_every_day_of_the_window_still_fits_in_one_write_unit() throws InvalidPolicyException {
        // As scripts/cost.sh seeds it: a form, then pricing, docs and other pages, sessions and email clicks daily.
        Policy policy = PolicyLoader.preset("score-threshold");
        List<Signal> signals = new ArrayList<>();
        signals.add(new Signal.FormSubmitted("form-cost-5000@example.org", NOW.minusSeconds(86_400L * 90), "ebook-download",
                dev.handoff.core.FormType.CONTENT));
        for (int day = 0; day <= 90; day++) {
            Instant at = NOW.minusSeconds(86_400L * day);
            for (int i = 0; i < 11; i++) {
                String id = "seed-cost-5000@example.org-" + day + "-" + i;
                signals.add(switch (i % 5) {
                    case 0 -> new Signal.PageViewed(id, at, "/pricing");
                    case 1 -> new Signal.PageViewed(id, at, "/docs/start");
                    case 2 -> new Signal.PageViewed(id, at, "/blog/post");
                    case 3 -> new Signal.SessionStarted(id, at);
                    default -> new Signal.EmailClicked(id, at, "c-1", "https://example.org/x");
                });
            }
        }
        TallyItems.Stored stored = stored(policy.tallyOf(signals).since(SignalTally.dayOf(NOW) - 90),
                ContactTable.logKey(ContactTable.contactKey("cost-5000@example.org"), NOW.toEpochMilli(), "seed-cost-5000@example.org-0-0"));

        int bytes = ItemSize.of(TallyItems.toItem(ContactTable.contactKey("cost-5000@example.org"), ContactTable.CONTACT_TALLY, stored));

        assertThat(bytes).isLessThanOrEqualTo(1024);
    }
}
