package io.redkit.kv;

/** A clock the test moves by hand. */
final class ManualClock implements Clock {
    private volatile long now;

    ManualClock(long now) {
        this.now = now;
    }

    @Override
    public long nowMs() {
        return now;
    }

    void advance(long ms) {
        now += ms;
    }

    void set(long ms) {
        now = ms;
    }
}
