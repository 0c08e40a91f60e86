package io.redkit.cli.command;

import io.redkit.cli.ExitCodes;
import io.redkit.replication.ReplicationSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Ctrl-C or SIGTERM as the normal end of reading a master: the hook stops the replication source being read, waits
 * (bounded) for the run to finish what it holds, then exits with the run's code. Closed when the run ends.
 */
final class StopHook implements AutoCloseable {
    /** How long a signal waits for the run to end before the JVM exits anyway. */
    static final long STOP_WAIT_MILLIS = 20_000;

    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger exit = new AtomicInteger(ExitCodes.OK);
    private final Thread hook;

    /** Installs the hook when {@code install} (a master is read); {@code running} is the source read now, or null. */
    StopHook(boolean install, Supplier<ReplicationSource> running) {
        if (!install) {
            hook = null;
            return;
        }
        hook = new Thread(() -> {
            ReplicationSource s = running.get();
            if (s != null) {
                s.stop();
            }
            try {
                done.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(exit.get());
        }, "redkit-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The exit code the hook ends the process with, should a signal come. */
    void exitCode(int code) {
        exit.set(code);
    }

    /** The run is over: a hook already running exits now; otherwise it is removed. */
    @Override
    public void close() {
        done.countDown();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it exits once we return
            }
        }
    }
}
