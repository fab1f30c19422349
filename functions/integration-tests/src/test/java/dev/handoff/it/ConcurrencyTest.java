package dev.handoff.it;

import static dev.handoff.it.Tracking.email;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalType;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler;
import dev.handoff.local.SqsDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lambda runs many execution environments at once: concurrent work on one contact must still count exactly. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConcurrencyTest {
    static final int EVENTS = 50;
    static final int ENVIRONMENTS = 8;

    @Test
    void fifty_events_for_one_contact_processed_concurrently_by_eight_execution_environments_are_each_recorded_exactly_once(Stack stack) throws Exception {
        String email = Stack.email("fifty");
        var who = email(email);
        List<Tracking.Event> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) events.add(Tracking.pageViewed(who, "https://northwind.example/docs/page-" + i));
        for (int i = 0; i < 15; i++) events.add(Tracking.sessionStarted(who));
        for (int i = 0; i < 15; i++) events.add(Tracking.emailOpened(who, "cmp-" + i));
        stack.enqueue(events); // straight onto the tracking queue, as the bus's rule would put them

        // Eight pollers on the one queue, each invoking its own execution environment (its own handler and
        // clients) one message at a time: fifty invocations spread over eight threads.
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Invocations<SQSEvent, SQSBatchResponse>> environments = new ArrayList<>();
        List<SqsDelivery> pollers = new ArrayList<>();
        for (int i = 0; i < ENVIRONMENTS; i++) {
            var handler = stack.newTrackingHandler();
            var environment = new Invocations<SQSEvent, SQSBatchResponse>("handoff-tracking-events-" + i, (event, context) -> {
                threads.add(Thread.currentThread().getName());
                return handler.handleRequest(event, context);
            });
            environments.add(environment);
            pollers.add(SqsDelivery.builder(stack.sqs, stack.trackingQueueUrl, environment).batchSize(1).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(ENVIRONMENTS);
        try {
            CyclicBarrier start = new CyclicBarrier(ENVIRONMENTS);
            List<Future<Integer>> drained = new ArrayList<>();
            for (SqsDelivery poller : pollers) {
                drained.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return poller.drain();
                }));
            }
            for (Future<Integer> f : drained) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        var calls = environments.stream().flatMap(e -> e.calls().stream()).toList();
        // SQS delivers at least once: with eight pollers, the engine may hand one message to two of them (moto
        // does now and then), and the count below must stay exact all the same.
        assertThat(calls).hasSizeGreaterThanOrEqualTo(EVENTS)
                .allSatisfy(c -> assertThat(c.response().getBatchItemFailures()).isEmpty());
        assertThat(calls.stream().flatMap(c -> c.event().getRecords().stream())
                .map(m -> QueueLog.json(m.getBody()).path("detail").path("eventId").asText()).distinct())
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Tracking.Event::eventId).toList());
        assertThat(threads).as("invocations ran on several threads at once").hasSizeGreaterThan(1);
        System.err.printf("[handoff-it] %d events: %d invocations on %d threads%n", EVENTS, calls.size(), threads.size());

        stack.settle();

        dev.handoff.core.SignalTally tally = stack.load(email).tally();
        assertThat(tally.total()).isEqualTo(EVENTS);
        assertThat(tally.total(SignalType.PAGE_VIEWED)).isEqualTo(20);
        assertThat(tally.total(SignalType.SESSION_STARTED)).isEqualTo(15);
        assertThat(tally.total(SignalType.EMAIL_OPENED)).isEqualTo(15);
        // docs views 5 each, capped at 15; sessions 1 each, capped at 10; opens score nothing.
        assertThat(stack.evaluate(email).engagement()).isEqualTo(25);
    }

    @RepeatedTest(value = 3, name = "{displayName} (round {currentRepetition} of {totalRepetitions})")
    void two_events_crossing_the_threshold_at_the_same_moment_make_one_stage_move_into_SQL_and_one_alert(Stack stack) throws Exception {
        String email = Stack.email("race");
        var who = email(email);
        // An MQL (fit 50) at 55 engagement: 5 (form) + 30 (pricing) + 20 (webinars).
        assertThat(stack.submit(Forms.json("ebook-download", Map.of(
                "email", email, "jobtitle", "Head of Platform", "numberofemployees", 300))).getStatusCode()).isEqualTo(202);
        stack.enqueue(
                Tracking.pageViewed(who, "https://northwind.example/pricing"),
                Tracking.pageViewed(who, "https://northwind.example/pricing/a"),
                Tracking.pageViewed(who, "https://northwind.example/pricing/b"),
                Tracking.webinarAttended(who, "wb-1"),
                Tracking.webinarAttended(who, "wb-2"));
        stack.settle();
        assertThat(stack.load(email).contact().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);

        // Two datasheet downloads (15 each): either alone crosses 60. Recorded, and their stream records taken
        // as Lambda would hand them over, but not yet delivered to the qualification function.
        Stack.StreamTap tap = stack.tap(r -> Stack.qualificationFilter(r) && ("C#" + email).equals(Stack.partitionKey(r)));
        stack.enqueue(
                Tracking.contentDownloaded(who, "ds-a", "datasheet", false),
                Tracking.contentDownloaded(who, "ds-b", "datasheet", false));
        stack.trackingDelivery.drain();
        List<DynamodbStreamRecord> records = tap.take();
        assertThat(records).hasSize(2);

        // Two execution environments, each invoked with its own batch holding one of the two new signals, at once.
        List<DynamoDbStreamQualificationHandler> environments = List.of(stack.newQualificationHandler(), stack.newQualificationHandler());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<StreamsEventResponse> responses;
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<StreamsEventResponse>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                DynamodbEvent batch = new DynamodbEvent();
                batch.setRecords(List.of(records.get(i)));
                var handler = environments.get(i);
                running.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return handler.handleRequest(batch, LambdaContext.of("handoff-qualification"));
                }));
            }
            responses = new ArrayList<>();
            for (var f : running) responses.add(f.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertThat(responses).allSatisfy(r -> assertThat(r.getBatchItemFailures()).isEmpty());

        List<StageMove> history = stack.load(email).contact().history();
        assertThat(history).filteredOn(mv -> mv.to() == Stage.SALES_QUALIFIED_LEAD).hasSize(1);
        assertThat(history).extracting(StageMove::to)
                .containsExactly(Stage.LEAD, Stage.MARKETING_QUALIFIED_LEAD, Stage.SALES_QUALIFIED_LEAD);
        assertThat(stack.items(email, "ALERT#")).hasSize(1);

        // The stream then reaches the functions as usual: the records again (nothing left to move), and the alert.
        stack.settle();
        assertThat(stack.load(email).contact().history()).hasSize(3);
        assertThat(stack.alertsFor(email)).hasSize(1);
        assertThat(stack.qualificationEventsFor(email)).hasSize(1);
        assertThat(stack.items(email, "DEAL#")).hasSize(1);
    }
}
