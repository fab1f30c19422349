package dev.handoff.local;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The two ways a delivery runs its polling rounds: {@link #drain} runs them synchronously until one finds
 * nothing, and {@link #start()}/{@link #close()} run them in a background loop: poll, and when a poll found
 * nothing, wait a little before the next one (Lambda's pollers long-poll; locally a short sleep does).
 * In the background, a failing poll is logged and retried, so that one bad moment does not silently stop
 * delivery.
 */
final class Poller implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Poller.class.getName());

    /** One polling round of a delivery. */
    @FunctionalInterface
    interface Round {
        /**
         * @param delivered collects the identifiers of the items handed to the handler, or null
         * @return how much happened: 0 means the source is quiet
         */
        int poll(Set<String> delivered);
    }

    private final String name;
    private final Duration idleWait;
    private final Round round;
    private Thread thread;
    private volatile boolean running;
    private final Object wakeUp = new Object();

    Poller(String name, Duration idleWait, Round round) {
        this.name = name;
        this.idleWait = idleWait;
        this.round = round;
    }

    /**
     * Runs rounds until one finds nothing, at most {@code maxRounds}.
     *
     * @param notQuiet the message of the exception thrown after {@code maxRounds} busy rounds, given how many
     *     distinct items were delivered
     * @return how many distinct items were handed to the handler (an item delivered again counts once)
     */
    int drain(int maxRounds, IntFunction<String> notQuiet) {
        if (isRunning()) {
            throw new IllegalStateException("drain() while the background poller runs: use one or the other");
        }
        Set<String> delivered = new HashSet<>();
        for (int i = 0; i < maxRounds; i++) {
            if (round.poll(delivered) == 0) {
                return delivered.size();
            }
        }
        throw new IllegalStateException(notQuiet.apply(delivered.size()));
    }

    synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " is already started");
        }
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    private void loop() {
        while (running) {
            int delivered;
            try {
                delivered = round.poll(null);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, name + ": poll failed, retrying", e);
                delivered = 0;
            }
            if (delivered == 0) {
                idle();
            }
        }
    }

    private void idle() {
        synchronized (wakeUp) {
            if (!running) {
                return;
            }
            try {
                wakeUp.wait(Math.max(1, idleWait.toMillis()));
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    /** Stops polling and waits for the batch in flight, if any, to finish. Idempotent. */
    @Override
    public void close() {
        Thread toStop;
        synchronized (this) {
            running = false;
            toStop = thread;
            thread = null;
        }
        if (toStop == null) {
            return;
        }
        // No interrupt: a handler in the middle of a batch finishes it, as a Lambda invocation would.
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        try {
            toStop.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
