package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The property behind issue 8's first defect: every email the store accepts, through any entry, can be viewed and
 * erased through the sales API with the text its producer used. Candidate addresses are generated (jqwik's
 * generators: valid ones, odd ones, hostile ones, in any case, with spaces around), each offered to one entry —
 * a form as JSON, a form as a plain HTML form, a tracking event, an import — and for each one accepted,
 * {@code GET /contacts/{email}} answers 200, {@code DELETE} 204, and a second {@code GET} 404.
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EveryStoredEmailIsReachableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final int CANDIDATES_PER_ENTRY = 40;

    /** Characters of a local part: mostly what addresses hold, sometimes what they must not. */
    static Arbitrary<String> localPart() {
        Arbitrary<Character> c = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.chars().alpha()),
                Tuple.of(3, Arbitraries.chars().numeric()),
                Tuple.of(4, Arbitraries.of('.', '+', '-', '_', '\'', '!', '$', '&', '*', '=', '~')),
                Tuple.of(2, Arbitraries.of('<', '>', ',', '"', '/', '%', '?', '#', ' ', '@', '(', ')', ';', ':', '\\', '[', ']',
                        '^', '`', '{', '|', '}', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u2028', 'é', '\uD800')));
        return c.list().ofMinSize(1).ofMaxSize(16).map(l -> l.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    /** A host: labels that are mostly fine, sometimes with '_' or edge hyphens, sometimes a trailing dot. */
    static Arbitrary<String> host() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric()
                .withChars('-', '-', '_').ofMinLength(1).ofMaxLength(8);
        return Combinators.combine(label.list().ofMinSize(0).ofMaxSize(2), Arbitraries.of("", "", "", "."))
                .as((labels, end) -> String.join(".", labels) + (labels.isEmpty() ? "" : ".") + "r" + RUN + "n"
                        + SEQUENCE.incrementAndGet() + ".example" + end);
    }

    static Arbitrary<String> candidates() {
        return Combinators.combine(Arbitraries.of("", "", "", " ", "\t"), localPart(), host(), Arbitraries.of("", "", " ", "\r\n"))
                .as((before, local, host, after) -> before + local + "@" + host + after);
    }

    @Test
    void every_email_a_form_posted_as_json_stored_can_be_viewed_and_erased(Stack stack) {
        check(stack, "form JSON", (s, email) -> s.submit(Forms.json("ebook-download", Map.of("email", email))).getStatusCode() == 202);
    }

    @Test
    void every_email_a_plain_html_form_stored_can_be_viewed_and_erased(Stack stack) {
        check(stack, "form urlencoded",
                (s, email) -> s.submit(Forms.urlEncoded("ebook-download", Map.of("email", email))).getStatusCode() == 202);
    }

    @Test
    void every_email_a_tracking_event_stored_can_be_viewed_and_erased(Stack stack) {
        check(stack, "tracking event", (s, email) -> {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(UUID.randomUUID().toString());
            message.setBody(Tracking.pageViewed(Tracking.email(email), "https://www.example.com/pricing").envelope(UUID.randomUUID().toString()));
            message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(message));
            SQSBatchResponse response = s.newTrackingHandler().handleRequest(event, null);
            return response.getBatchItemFailures().isEmpty();
        });
    }

    @Test
    void every_email_an_import_stored_can_be_viewed_and_erased(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        check(stack, "import", (s, email) -> {
            String body;
            try {
                body = JSON.writeValueAsString(Map.of("contacts", List.of(Map.of("email", email, "properties", Map.of()))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            SalesApi.Answer answer = api.importContacts(body);
            if (answer.status() == 400) return false; // a lone surrogate makes the whole body invalid text
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            return !answer.json().path("results").get(0).path("status").asText().equals("rejected");
        });
    }

    /** Offers each candidate to the entry; each one it accepts must be viewable and erasable by the same text. */
    private static void check(Stack stack, String entry, BiPredicate<Stack, String> accepts) {
        SalesApi api = SalesApi.of(stack);
        List<String> accepted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        candidates().sampleStream().limit(CANDIDATES_PER_ENTRY).forEach(email -> {
            if (!accepts.test(stack, email)) {
                refused.add(email);
                return;
            }
            accepted.add(email);
            stack.settle();
            String shown = "'" + email.replace("\r", "\\r").replace("\n", "\\n") + "' accepted by the " + entry;
            SalesApi.Answer view = api.get(email);
            assertThat(view.status()).as(shown + " then viewed: " + view).isEqualTo(200);
            SalesApi.Answer erase = api.delete(email);
            assertThat(erase.status()).as(shown + " then erased: " + erase).isEqualTo(204);
            assertThat(api.get(email).status()).as(shown + " viewed after erasure").isEqualTo(404);
        });
        // The generators must exercise both sides, or the property says nothing.
        assertThat(accepted).as("accepted by the " + entry).isNotEmpty();
        assertThat(refused).as("refused by the " + entry).isNotEmpty();
    }
}
