package io.redkit.kv;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The command table (name, Redis arity, handler) and the dispatcher that checks arity and maps errors to replies. */
final class Commands {
    /** A command implementation. */
    interface Handler {
        Reply run(KvEngine e, int db, List<byte[]> a);
    }

    /** A table entry; arity as in Redis: n means exactly n arguments with the name, -n at least n. */
    record Spec(String name, int arity, Handler handler) {
    }

    private static final Map<String, Spec> TABLE = new HashMap<>();
    /** The lookup by raw name bytes; rebuilt when a command is added after the class is initialised. */
    private static volatile NameTable<Spec> lookup;

    static {
        KeyCommands.register();
        StringCommands.register();
        ListCommands.register();
        HashCommands.register();
        SetCommands.register();
        ZSetCommands.register();
        StreamCommands.register();
        ObjectCommand.register();
        DumpCommands.register();
        StreamGroupCommands.register();
        BitCommands.register();
        HllCommands.register();
        HellotypeCommands.register();
        lookup = new NameTable<>(TABLE);
    }

    private Commands() {
    }

    static java.util.Set<String> names() {
        synchronized (TABLE) {
            return java.util.Set.copyOf(TABLE.keySet());
        }
    }

    static void add(String name, int arity, Handler h) {
        synchronized (TABLE) {
            TABLE.put(name, new Spec(name, arity, h));
            if (lookup != null) {
                lookup = new NameTable<>(TABLE);
            }
        }
    }

    static Reply execute(KvEngine e, int db, List<byte[]> argv) {
        if (argv.isEmpty()) {
            return Reply.error("ERR empty command");
        }
        byte[] n = argv.get(0);
        Spec spec = lookup.get(n);
        if (spec == null) {
            return unknown(argv);
        }
        int argc = argv.size();
        if ((spec.arity > 0 && argc != spec.arity) || (spec.arity < 0 && argc < -spec.arity)) {
            return Args.wrongArgs(spec.name).reply;
        }
        try {
            return spec.handler.run(e, db, argv);
        } catch (Args.Err err) {
            return err.reply;
        }
    }

    private static Reply unknown(List<byte[]> argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.size() && args.length() < 128; i++) {
            String s = new String(argv.get(i), StandardCharsets.UTF_8);
            int room = 128 - args.length();
            args.append('\'').append(s, 0, Math.min(s.length(), room)).append("' ");
        }
        String name = new String(argv.get(0), StandardCharsets.UTF_8);
        if (name.length() > 128) {
            name = name.substring(0, 128);
        }
        return Reply.error("ERR unknown command '" + name + "', with args beginning with: " + args);
    }
}
