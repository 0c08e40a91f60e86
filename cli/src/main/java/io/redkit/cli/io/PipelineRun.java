package io.redkit.cli.io;

import io.redkit.aof.SourceOptions;
import io.redkit.aof.Sources;
import io.redkit.cli.CliContext;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import io.redkit.core.sink.EventSource;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.core.sink.Sink;
import io.redkit.rdb.io.Inputs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of an input through a filter into a sink, with everything around it: opening the input
 * (decompressing by content), the progress bar, atomic output, and the shutdown hook that flushes
 * the output on SIGTERM or Ctrl-C. Used once; not thread-safe.
 */
public final class PipelineRun {
    /** Builds the sink once the output stream exists. */
    @FunctionalInterface
    public interface SinkFactory {
        /** A sink writing to {@code out}, which it may buffer but must flush on close. */
        Sink create(OutputStream out) throws IOException;
    }

    /** How long a signal waits for the output to be flushed before the JVM exits anyway. */
    static final long SHUTDOWN_FLUSH_MILLIS = 3000;

    private final CliContext ctx;
    private String source = "-";
    private Limits limits = Limits.defaults();
    private boolean allowFutureVersion;
    private boolean captureRawPayload;
    private boolean skipEmptyKeys;
    private boolean keepPartialOutput;
    private boolean progressWanted = true;
    private KeyFilter filter = KeyFilter.all();
    private EventSource eventSource;

    /** A run with default settings (standard input, default limits, every key) in {@code ctx}. */
    public PipelineRun(CliContext ctx) {
        this.ctx = ctx;
    }

    /** The input path, or {@code -}. */
    public PipelineRun source(String pathOrDash) {
        this.source = pathOrDash;
        return this;
    }

    /** Reader limits. */
    public PipelineRun limits(Limits v) {
        this.limits = v;
        return this;
    }

    /** Read unknown newer RDB versions on a best-effort basis. */
    public PipelineRun allowFutureVersion(boolean v) {
        this.allowFutureVersion = v;
        return this;
    }

    /** Ask the reader for each value's raw payload (for sinks that copy values verbatim). */
    public PipelineRun captureRawPayload(boolean v) {
        this.captureRawPayload = v;
        return this;
    }

    /** Skip empty collection keys instead of failing, as Redis's loader does. */
    public PipelineRun skipEmptyKeys(boolean v) {
        this.skipEmptyKeys = v;
        return this;
    }

    /** On an input error, keep (commit) the output written so far instead of discarding an output file. */
    public PipelineRun keepPartialOutput(boolean v) {
        this.keepPartialOutput = v;
        return this;
    }

    /** False with {@code --no-progress}; the bar is drawn only when stderr is a terminal anyway. */
    public PipelineRun progress(boolean v) {
        this.progressWanted = v;
        return this;
    }

    /** Which keys reach the sink. */
    public PipelineRun filter(KeyFilter v) {
        this.filter = v;
        return this;
    }

    /** Reads this source (a live master) instead of opening {@link #source(String)} as a file. */
    public PipelineRun eventSource(EventSource v) {
        this.eventSource = v;
        return this;
    }

    /**
     * Runs to the end of the input. Input problems throw {@link RedkitException}, output problems
     * {@link OutputFailure}, a missing input a plain {@link IOException}.
     *
     * @param output  where to write (this method commits or aborts it)
     * @param factory makes the sink over the output stream
     */
    public void run(OutputTarget output, SinkFactory factory) throws IOException {
        String name = Inputs.displayName(source);
        Progress progress = progressWanted && ctx.errTerminal() && !(output.isStdout() && ctx.outTerminal())
                ? new Progress(ctx.err(), eventSource != null || KvSources.isKv(source) ? -1 : Inputs.size(source))
                : null;
        InputStream raw = null;
        EventSource reader = eventSource;
        GuardedSink sink = null;
        Thread hook = null;
        AtomicBoolean interrupted = new AtomicBoolean();
        try {
            if (reader == null && KvSources.isKv(source)) {
                reader = KvSources.open(source, ctx.err());
            }
            SourceOptions options = new SourceOptions(limits, allowFutureVersion, captureRawPayload, skipEmptyKeys);
            if (reader == null && !Inputs.isStdin(source) && Files.isDirectory(Path.of(source))) {
                // a multi-part AOF directory (or a server's data directory): several files, no byte count for the bar
                reader = Sources.open(source, options);
            }
            if (reader == null) {
                raw = Inputs.isStdin(source) ? shielded(ctx.in()) : Inputs.openRaw(source);
                InputStream in = Inputs.decompress(progress == null ? raw : new CountingInputStream(raw, progress), name);
                // RDB, AOF (pure or with an RDB preamble) or AOF manifest, decided by content
                reader = Sources.open(in, name, Inputs.isStdin(source) ? null : Path.of(source), options);
            }
            Sink real;
            try {
                real = factory.create(output.stream());
            } catch (RedkitException e) {
                throw e;
            } catch (IOException e) {
                throw new OutputFailure(output.name(), e);
            }
            GuardedSink guarded = new GuardedSink(real, output.name(), progress);
            sink = guarded;
            hook = new Thread(() -> shutdown(guarded, output, interrupted), "redkit-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);

            Pipeline.run(reader, filter, sink);
            sink.close();
            output.commit();
        } catch (IOException | RuntimeException e) {
            if (interrupted.get()) {
                // the JVM is exiting on a signal; the hook already flushed what could be
                throw OutputFailure.interrupted(output.name());
            }
            if (sink != null) {
                try {
                    sink.close();
                } catch (IOException | RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            if (keepPartialOutput && e instanceof RedkitException) {
                try {
                    output.commit();
                } catch (IOException committing) {
                    e.addSuppressed(committing);
                }
            } else {
                output.abort();
            }
            throw e;
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run; nothing to undo
                }
            }
            if (progress != null) {
                progress.finish();
            }
            if (reader != null) {
                closeQuietly(reader);
            } else if (raw != null) {
                closeQuietly(raw);
            }
        }
    }

    /**
     * On SIGTERM or Ctrl-C: flushes the output (standard output keeps what was written, a file is
     * left untouched). Bounded in time, because the writer may hold the sink while blocked on a
     * pipe nobody reads, and the JVM must still exit.
     */
    private static void shutdown(GuardedSink sink, OutputTarget output, AtomicBoolean interrupted) {
        interrupted.set(true);
        Thread closer = new Thread(() -> {
            closeQuietly(sink);
            output.abort();
        }, "redkit-flush");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(SHUTDOWN_FLUSH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Standard input belongs to the process: closing the reader must not close it. */
    private static InputStream shielded(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // left open on purpose
            }
        };
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // closing an input (or an already failed output) has nothing left to report
        }
    }
}
