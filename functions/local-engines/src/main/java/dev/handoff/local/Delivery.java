package dev.handoff.local;

import java.util.List;

/**
 * An event source mapping reproduced locally: {@link DynamoDbStreamDelivery}, {@link SqsDelivery} (over an SQS
 * endpoint or an {@link InMemoryQueue}).
 */
public interface Delivery extends AutoCloseable {

    /** Delivers everything pending, synchronously, until this source is quiet; returns the records delivered. */
    int drain();

    /** Starts delivering in the background. */
    void start();

    /** Stops the background delivery, letting a batch in flight finish. */
    @Override
    void close();

    /**
     * Drains each source in turn, again and again, until a whole pass delivers nothing: handlers fed by one
     * source write to another (a queue handler writes a table whose stream feeds another handler, which sends to
     * a queue...), and a test wants the system at rest.
     *
     * @return the records delivered over all passes
     * @throws IllegalStateException when still busy after {@code maxPasses} passes
     */
    static int drainAll(int maxPasses, List<? extends Delivery> deliveries) {
        int total = 0;
        for (int pass = 0; pass < maxPasses; pass++) {
            int delivered = 0;
            for (Delivery delivery : deliveries) {
                delivered += delivery.drain();
            }
            if (delivered == 0) {
                return total;
            }
            total += delivered;
        }
        throw new IllegalStateException("Still delivering after " + maxPasses + " passes over " + deliveries.size()
                + " sources (" + total + " records delivered)");
    }

    /** {@link #drainAll(int, List)} with at most 100 passes. */
    static int drainAll(Delivery... deliveries) {
        return drainAll(100, List.of(deliveries));
    }
}
