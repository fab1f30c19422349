package dev.handoff.local;

/** The checks the deliveries' builders share, so that a setting allows the same values in each. */
final class Settings {

    private Settings() {
    }

    /** Items per invocation: 1..10000, the most Lambda takes for both SQS and DynamoDB Streams. */
    static int batchSize(int batchSize) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be 1..10000, was " + batchSize);
        }
        return batchSize;
    }

    static int atLeast(int min, String name, int value) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
        return value;
    }
}
