package io.redkit.kv;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Runs the scripting commands an AOF or a replication stream may hold (EVAL, EVALSHA, SCRIPT LOAD / FLUSH) against
 * an engine. Redis before 5.0 logged and replicated a script itself instead of its effects, so replaying such a
 * stream needs an interpreter; the engine has none, the server module provides one through {@link Factory}.
 */
public interface ScriptRunner {
    /** Runs one scripting command in database {@code db}; its writes go through the engine like any other. */
    Reply run(int db, List<byte[]> argv);

    /** Makes a runner for an engine; found with {@link ServiceLoader}, so a module on the class path can offer one. */
    interface Factory {
        /** A runner whose scripts read and write {@code engine}. */
        ScriptRunner create(KvEngine engine);
    }

    /** The first runner a module on the class path offers for the engine, or null when none does. */
    static ScriptRunner find(KvEngine engine) {
        for (Factory f : ServiceLoader.load(Factory.class, ScriptRunner.class.getClassLoader())) {
            return f.create(engine);
        }
        return null;
    }
}
