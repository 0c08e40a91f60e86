package io.redkit.cli.io;

import io.redkit.core.RedkitException;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.sink.Sink;

import java.io.IOException;

/**
 * Wraps the real sink: turns its I/O failures into {@link OutputFailure} (so they are not
 * mistaken for input errors), counts keys for the progress bar, and lets a shutdown hook close
 * it from another thread exactly once.
 */
public final class GuardedSink implements Sink {
    private final Sink sink;
    private final String target;
    private final Progress progress;
    private boolean closed;

    /**
     * @param sink     the sink that writes the output
     * @param target   the output's name for messages
     * @param progress where keys are counted, or null
     */
    public GuardedSink(Sink sink, String target, Progress progress) {
        this.sink = sink;
        this.target = target;
        this.progress = progress;
    }

    @Override
    public synchronized void accept(Event event) throws IOException {
        if (closed) {
            throw OutputFailure.interrupted(target);
        }
        if (progress != null && event.kind() == EventKind.KEY_START) {
            progress.addKey();
        }
        try {
            sink.accept(event);
        } catch (RedkitException e) {
            throw e;
        } catch (IOException e) {
            throw new OutputFailure(target, e);
        }
    }

    @Override
    public boolean wantsValues() {
        return sink.wantsValues();
    }

    /** Closes the real sink once; later calls do nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sink.close();
        } catch (RedkitException e) {
            throw e;
        } catch (IOException e) {
            throw new OutputFailure(target, e);
        }
    }
}
