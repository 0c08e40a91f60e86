package io.redkit.cli.shell;

import io.redkit.aof.SourceOptions;
import io.redkit.aof.Sources;
import io.redkit.cli.io.KvSources;
import io.redkit.core.sink.EventSource;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.kv.KvEngine;
import io.redkit.kv.KvLoader;
import io.redkit.kv.persist.KvStore;
import io.redkit.rdb.io.Inputs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens the backend for a SOURCE: a live server, a KV data directory, an RDB file, or an AOF in any form. */
final class Backends {
    private Backends() {
    }

    /**
     * Opens {@code source}. An RDB file is indexed (or its saved index reused with {@code keepIndex}); an AOF,
     * or an RDB followed by commands, is replayed into a private engine; {@code kv:DIR} is opened read-only.
     *
     * @param keepIndex write the index beside an RDB file and reuse it while the file is unchanged
     * @param err       where warnings go
     */
    static Backend open(String source, SourceOptions options, boolean keepIndex, PrintStream err) throws IOException {
        return open(source, options, keepIndex, RemoteSettings.DEFAULTS, err);
    }

    /** {@link #open(String, SourceOptions, boolean, PrintStream)} with how to reach a live server. */
    static Backend open(String source, SourceOptions options, boolean keepIndex, RemoteSettings remote,
                        PrintStream err) throws IOException {
        if (RemoteBackend.handles(source)) {
            return RemoteBackend.open(source, remote);
        }
        if (KvSources.isKv(source)) {
            return kv(source, err);
        }
        if (Inputs.isStdin(source)) {
            throw new IllegalArgumentException("the shell reads its commands from standard input: give a file, "
                    + "kv:DIR or redis[s]://HOST:PORT as SOURCE");
        }
        Path p = Path.of(source);
        if (!Files.exists(p)) {
            throw new FileNotFoundException("cannot open " + source + ": no such file");
        }
        if (Sources.detect(source) == Sources.Kind.RDB && Files.isRegularFile(p)) {
            Backend b = rdb(p, options, keepIndex, err);
            if (b != null) {
                return b;
            }
        }
        return aof(source, options);
    }

    /** The RDB backend, or null when commands follow the RDB part (the caller replays it as an AOF). */
    private static Backend rdb(Path p, SourceOptions options, boolean keepIndex, PrintStream err) throws IOException {
        Path idx = IndexFile.pathFor(p);
        IndexFile.Fingerprint fp = null;
        if (keepIndex) {
            fp = IndexFile.fingerprint(p);
            IndexFile.Loaded l = IndexFile.load(idx, fp);
            if (l != null) {
                return new RdbFileBackend(p, l.index(), l.begin(), options, l.index().size() + " keys, read from " + idx);
            }
        }
        long t0 = System.nanoTime();
        Indexer.Result r;
        try (EventSource src = Sources.open(p.toString(), options)) {
            r = Indexer.run(src, true);
        }
        if (r.commands) {
            return null;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String note = r.index.size() + " keys, built in " + ms + " ms";
        if (keepIndex) {
            try {
                IndexFile.save(idx, fp, r.begin, r.index);
                note += ", saved to " + idx;
            } catch (IOException e) {
                err.println("redkit: warning: cannot write " + idx + ": " + e.getMessage());
            }
        } else {
            note += " (in memory only; --index keeps it beside the file)";
        }
        return new RdbFileBackend(p, r.index, r.begin, options, note);
    }

    private static Backend aof(String source, SourceOptions options) throws IOException {
        long t0 = System.nanoTime();
        KvEngine engine = new KvEngine();
        try {
            KvLoader loader = new KvLoader(engine, KvLoader.OnExisting.REPLACE, false, Inputs.displayName(source));
            try (EventSource src = Sources.open(source, options)) {
                Pipeline.run(src, KeyFilter.all(), loader);
            }
            loader.close();
            KeyIndex ix = index(engine);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            List<String[]> info = new ArrayList<>();
            info.add(new String[]{"source", source});
            info.add(new String[]{"format", "AOF (or RDB with commands after it), replayed into an in-memory engine: "
                    + loader.keysLoaded() + " keys and " + loader.commandsApplied() + " commands applied, "
                    + loader.commandErrors() + " command errors, " + loader.keysExpired() + " expired keys dropped"});
            Path p = Path.of(source);
            if (Files.isRegularFile(p)) {
                long size = Files.size(p);
                info.add(new String[]{"size", Text.human(size) + " (" + size + " bytes)"});
            }
            info.add(new String[]{"index", ix.size() + " keys, built in " + ms + " ms"});
            return new EngineBackend(engine, null, ix, p.getFileName() == null ? source : p.getFileName().toString(), info);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The key index of what an engine holds, from a snapshot of it. */
    private static KeyIndex index(KvEngine engine) throws IOException {
        try (EventSource snap = engine.snapshot()) {
            return Indexer.run(snap, false).index;
        }
    }

    private static Backend kv(String source, PrintStream err) throws IOException {
        KvStore store = KvSources.openReadOnly(source, err);
        try {
            KvEngine engine = store.engine();
            long t0 = System.nanoTime();
            KeyIndex ix = index(engine);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            List<String[]> info = new ArrayList<>();
            info.add(new String[]{"source", source});
            info.add(new String[]{"format", "KV engine data directory (opened read-only)"});
            info.add(new String[]{"index", ix.size() + " keys, built in " + ms + " ms"});
            return new EngineBackend(engine, store, ix, source, info);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
