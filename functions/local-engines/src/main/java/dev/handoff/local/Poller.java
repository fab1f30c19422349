package dev.handoff.local;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The background loop behind {@code start()}/{@code close()} of the deliveries: poll, and when a poll found
 * nothing, wait a little before the next one (Lambda's pollers long-poll; locally a short sleep does).
 * A failing poll is logged and retried, so that one bad moment does not silently stop delivery.
 */
final class Poller implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Poller.class.getName());

    private final String name;
    private final Duration idleWait;
    private final IntSupplier pollOnce;
    private Thread thread;
    private volatile boolean running;
    private final Object wakeUp = new Object();

    Poller(String name, Duration idleWait, IntSupplier pollOnce) {
        this.name = name;
        this.idleWait = idleWait;
        this.pollOnce = pollOnce;
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
                delivered = pollOnce.getAsInt();
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
